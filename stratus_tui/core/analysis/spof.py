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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

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

    Returns (component, number of separated groups that contain a service), sorted.
    `sync` is a networkx DiGraph whose nodes carry `kind`; direction is ignored.
    """
    adj: dict[str, set[str]] = {str(n): set() for n in sync}
    for u, v in sync.edges():
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    is_service = {n: sync.nodes[n]["kind"] == "service" for n in adj}
    return split_points(adj, is_service)


def split_points(
    adj: Mapping[str, Iterable[str]], is_service: Mapping[str, bool]
) -> list[tuple[str, int]]:
    """Every node whose removal leaves two or more groups that contain a service, with
    that number of groups, sorted. `adj` is undirected (each edge both ways).

    One iterative depth-first search (Tarjan's articulation points; a chain can be
    thousands deep), linear in nodes + edges: removing `v` leaves as separate groups the
    subtree of each child `c` with low[c] >= disc[v], and, unless `v` is the root,
    everything else of its component.
    """
    succ = {n: sorted(ns) for n, ns in adj.items()}
    disc: dict[str, int] = {}
    low: dict[str, int] = {}
    services: dict[str, int] = {}  # services in the DFS subtree, the node included
    split: dict[str, list[int]] = {}  # services of each subtree the node cuts off
    result: list[tuple[str, int]] = []
    for root in sorted(succ):
        if root in disc or not succ[root]:
            continue  # done, or isolated: nothing to split
        members = [root]
        disc[root] = low[root] = len(disc)
        services[root], split[root] = 0, []
        stack: list[tuple[str, str | None, Iterator[str]]] = [(root, None, iter(succ[root]))]
        while stack:
            v, parent, it = stack[-1]
            for w in it:
                if w == parent:
                    continue
                if w in disc:
                    low[v] = min(low[v], disc[w])
                    continue
                disc[w] = low[w] = len(disc)
                services[w], split[w] = 0, []
                members.append(w)
                stack.append((w, v, iter(succ[w])))
                break
            else:
                stack.pop()
                services[v] += is_service[v]
                if parent is not None:
                    low[parent] = min(low[parent], low[v])
                    services[parent] += services[v]
                    if low[v] >= disc[parent]:
                        split[parent].append(services[v])
        total = services[root]
        for v in members:
            groups = [g for g in split[v] if g > 0]
            if v != root and total - is_service[v] - sum(split[v]) > 0:
                groups.append(1)  # the rest of the component, above `v`
            if len(groups) >= 2:
                result.append((v, len(groups)))
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
