"""Single points of failure: one replica on a synchronous path, and structural chokepoints.

A component is on a synchronous path when it has a synchronous edge in or out. Services
count unless their runtime is serverless or managed (the platform keeps them running);
datastores count when they have fewer than two replicas or are not multi-AZ (a store
that is multi-AZ and declares no replica count is a managed store such as DynamoDB or
S3, which replicates across zones by itself). A chokepoint is an articulation point of
the undirected sync graph whose removal leaves at least two separate groups that still
contain a service (stores hanging off their owner are not chokepoints). A chokepoint
that runs redundantly is not a single copy: it is reported at `info` severity, as a
concentration of blast radius rather than a single point of failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from ..model import Design

PLATFORM_RUNTIMES = frozenset({"serverless", "managed"})


@dataclass(frozen=True, slots=True)
class Spof:
    """A single point of failure and why."""

    component: str
    kind: str
    cause: Literal["replicas", "undeclared", "chokepoint"]
    reason: str
    severity: Literal["error", "warning", "info"]

    @property
    def single_copy(self) -> bool:
        """True unless this is a chokepoint that runs redundantly."""
        return self.severity != "info"


def replica_spofs(design: Design, sync: Any) -> list[Spof]:
    """Components on a sync path that run as a single copy (or do not say how many)."""
    out: list[Spof] = []
    on_path = {n for n in sync.nodes if sync.degree(n) > 0}
    for s in design.services:
        if s.id not in on_path:
            continue
        runtime = (s.runtime or "").strip().lower()
        if runtime in PLATFORM_RUNTIMES:
            continue
        if s.replicas is None:
            out.append(
                Spof(
                    s.id,
                    "service",
                    "undeclared",
                    f"runs on a synchronous path and declares no replica count "
                    f"(runtime {s.runtime or 'undeclared'})",
                    "warning",
                )
            )
        elif s.replicas < 2:
            out.append(
                Spof(
                    s.id,
                    "service",
                    "replicas",
                    f"runs {s.replicas} replica on a synchronous path "
                    f"(runtime {s.runtime or 'undeclared'})",
                    "error",
                )
            )
    for d in design.datastores:
        if d.id not in on_path:
            continue
        gaps: list[str] = []
        if d.replicas is not None and d.replicas < 2:
            gaps.append(f"{d.replicas} replica")
        if d.multi_az is False:
            gaps.append("a single availability zone")
        if gaps:
            out.append(
                Spof(
                    d.id,
                    "datastore",
                    "replicas",
                    "is used synchronously with " + " and ".join(gaps),
                    "error",
                )
            )
        elif d.multi_az is None:
            missing = [
                name
                for name, v in (("replicas", d.replicas), ("multi_az", d.multi_az))
                if v is None
            ]
            # replicas alone may be unset: a multi-AZ managed store has none to declare
            out.append(
                Spof(
                    d.id,
                    "datastore",
                    "undeclared",
                    "is used synchronously and does not declare " + " or ".join(missing),
                    "warning",
                )
            )
    return sorted(out, key=lambda s: s.component)


def chokepoints(sync: Any) -> list[tuple[str, int]]:
    """Articulation points of the sync graph that split services apart.

    Returns (component, number of separated groups that contain a service), computed on
    the block-cut tree so the whole pass stays linear in the size of the graph.
    """
    undirected = nx.Graph(sync.to_undirected(as_view=True))
    undirected.remove_nodes_from([n for n in list(undirected) if undirected.degree(n) == 0])
    if undirected.number_of_nodes() < 3:
        return []
    cut = set(nx.articulation_points(undirected))
    if not cut:
        return []
    is_service = {n: sync.nodes[n]["kind"] == "service" for n in undirected}
    tree = nx.Graph()
    for i, block in enumerate(nx.biconnected_components(undirected)):
        weight = sum(1 for n in block if n not in cut and is_service[n])
        tree.add_node(("b", i), weight=weight)
        for n in block:
            if n in cut:
                tree.add_node(("c", n), weight=int(is_service[n]))
                tree.add_edge(("b", i), ("c", n))
    result: list[tuple[str, int]] = []
    for component in nx.connected_components(tree):
        root = min(component)
        parent = {root: root}
        order = [root]
        for node in order:  # BFS; `order` grows as we go
            for nxt in tree.neighbors(node):
                if nxt not in parent:
                    parent[nxt] = node
                    order.append(nxt)
        subtotal = {n: tree.nodes[n]["weight"] for n in order}
        for node in reversed(order[1:]):
            subtotal[parent[node]] += subtotal[node]
        total = subtotal[root]
        for node in order:
            if node[0] != "c":
                continue
            groups = [
                subtotal[c] for c in tree.neighbors(node) if parent.get(c) == node and c != node
            ]
            above = total - subtotal[node]
            if node != root:
                groups.append(above)
            separated = sum(1 for g in groups if g > 0)
            if separated >= 2:
                result.append((str(node[1]), separated))
    return sorted(result)


def _redundant_components(design: Design) -> set[str]:
    """Ids of the components the design says run more than one copy."""
    out = {
        s.id
        for s in design.services
        if (s.runtime or "").strip().lower() in PLATFORM_RUNTIMES or (s.replicas or 0) >= 2
    }
    out |= {
        d.id
        for d in design.datastores
        if d.multi_az is True and (d.replicas is None or d.replicas >= 2)
    }
    return out


def find_spofs(design: Design, sync: Any) -> list[Spof]:
    """Every SPOF: replica SPOFs first, then chokepoints not already listed."""
    spofs = replica_spofs(design, sync)
    listed = {s.component for s in spofs}
    redundant = _redundant_components(design)
    for node, groups in chokepoints(sync):
        if node in listed:
            continue
        if node in redundant:
            spofs.append(
                Spof(
                    node,
                    sync.nodes[node]["kind"],
                    "chokepoint",
                    f"is the only synchronous link between {groups} groups of services; it "
                    "runs redundantly, so it is a concentration of blast radius rather than "
                    "a single copy",
                    "info",
                )
            )
            continue
        spofs.append(
            Spof(
                node,
                sync.nodes[node]["kind"],
                "chokepoint",
                f"is the only synchronous link between {groups} groups of services",
                "warning",
            )
        )
    return sorted(spofs, key=lambda s: (s.component, s.cause))
