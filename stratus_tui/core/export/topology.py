"""The topology every diagram exporter draws: nodes grouped by bounded context, edges.

Computed once from the design so that Mermaid, C4 and Graphviz agree on grouping, order
and labels, and so tests can compare what a parser read back with the same model.
Order is by sorted domain ids (byte-stable output whatever the order in the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Dependency, Design
from ..topology import Node as TopoNode
from ..topology import NodeKind as ComponentKind
from ..topology import topology_of

DrawnKind = ComponentKind | Literal["missing"]
"""A component's kind, or "missing" for a reference to an unknown id (drawn anyway)."""
KIND_ORDER: dict[str, int] = {"service": 0, "datastore": 1, "external": 2, "missing": 3}


@dataclass(frozen=True)
class Node:
    """A component to draw."""

    id: str
    label: str
    kind: DrawnKind
    detail: str | None
    """Runtime of a service or kind of a datastore (C4 technology)."""
    description: str | None


@dataclass(frozen=True)
class Group:
    """A bounded context: its key (the context text), display title and members."""

    key: str
    title: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Edge:
    """A dependency to draw."""

    source: str
    target: str
    mode: Literal["sync", "async"]
    label: str | None
    purpose: str | None
    """The dependency's own label (what the call is for)."""
    protocol: str | None


@dataclass(frozen=True)
class StoreEdge:
    """A service's own datastore (`service.datastore`): drawn, but not as a call."""

    service: str
    store: str


STORE_PURPOSE = "reads from and writes to"
"""What an own-store link says where a diagram needs words (C4 relations)."""
STORE_TECHNOLOGY = "own store"


@dataclass(frozen=True)
class Topology:
    """Groups (sorted by title), nodes outside any context, edges (sorted by endpoints)
    and store links (sorted by service)."""

    groups: tuple[Group, ...]
    loose: tuple[Node, ...]
    edges: tuple[Edge, ...]
    stores: tuple[StoreEdge, ...] = ()

    def all_nodes(self) -> list[Node]:
        return [n for g in self.groups for n in g.nodes] + list(self.loose)


def edge_label(dep: Dependency) -> str | None:
    """What an edge says: its label and protocol, `label (protocol)`, or None."""
    return _label(dep.label, dep.protocol)


def _label(label_text: str | None, protocol_text: str | None) -> str | None:
    label = (label_text or "").strip()
    protocol = (protocol_text or "").strip()
    if label and protocol:
        return f"{label} ({protocol})"
    return label or protocol or None


def context_titles(design: Design) -> dict[str, str]:
    """Display names of the contexts the event-storming board declares, by id."""
    return dict(topology_of(design).context_titles)


def _context(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def _node(node: TopoNode) -> Node:
    return Node(node.id, node.label, node.kind, node.detail, node.description)


def node_context(design: Design) -> dict[str, str | None]:
    """Context of each component: a service's own; a store's when all its owners share one."""
    topo = topology_of(design)
    result: dict[str, str | None] = {
        n.id: _context(n.context) for n in topo.nodes.values() if n.kind == "service"
    }
    owners: dict[str, set[str | None]] = {}
    for link in topo.store_links:
        owners.setdefault(link.store, set()).add(result[link.service])
    for n in topo.nodes.values():
        if n.kind == "datastore":
            ctxs = owners.get(n.id, set())
            result[n.id] = next(iter(ctxs)) if len(ctxs) == 1 else None
        elif n.kind == "external":
            result[n.id] = None
    return result


def build_topology(design: Design) -> Topology:
    """Group the design's components by bounded context and list its dependencies.

    Read from the design's one topology (`core/topology.py`). Store links (a service's
    own datastore) are kept apart from declared dependencies: every diagram draws them,
    styled apart from calls, so no datastore floats and an import can restore ownership.
    """
    topo = topology_of(design)
    titles = topo.context_titles
    contexts = node_context(design)
    nodes = [_node(n) for n in topo.nodes.values()]
    known = set(topo.nodes)
    # References to unknown ids make a design invalid; draw them anyway rather than fail.
    for call in topo.calls:
        for ref in (call.source, call.target):
            if ref not in known:
                known.add(ref)
                nodes.append(Node(ref, ref, "missing", None, None))
    nodes.sort(key=lambda n: (KIND_ORDER[n.kind], n.id))

    members: dict[str, list[Node]] = {}
    loose: list[Node] = []
    for n in nodes:
        ctx = contexts.get(n.id)
        if ctx is None:
            loose.append(n)
        else:
            members.setdefault(ctx, []).append(n)
    groups = sorted(
        (Group(key, titles.get(key, key), tuple(ms)) for key, ms in members.items()),
        key=lambda g: (g.title.casefold(), g.title, g.key),
    )
    edges = [
        Edge(c.source, c.target, c.mode, _label(c.label, c.protocol), c.label, c.protocol)
        for c in topo.calls
    ]
    edges.sort(key=lambda e: (e.source, e.target))
    stores = sorted(
        {
            StoreEdge(s.service, s.store)
            for s in topo.store_links
            if topo.kind(s.store) == "datastore"
        },
        key=lambda s: (s.service, s.store),
    )
    return Topology(tuple(groups), tuple(loose), tuple(edges), tuple(stores))
