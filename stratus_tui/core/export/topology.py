"""The topology every diagram exporter draws: nodes grouped by bounded context, edges.

Computed once from the design so that Mermaid, C4 and Graphviz agree on grouping, order
and labels, and so tests can compare what a parser read back with the same model.
Order is by sorted domain ids (byte-stable output whatever the order in the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Datastore, Dependency, Design, External, Service

NodeKind = Literal["service", "datastore", "external", "missing"]
KIND_ORDER: dict[str, int] = {"service": 0, "datastore": 1, "external": 2, "missing": 3}


@dataclass(frozen=True)
class Node:
    """A component to draw."""

    id: str
    label: str
    kind: NodeKind
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
class Topology:
    """Groups (sorted by title), nodes outside any context, edges (sorted by endpoints)."""

    groups: tuple[Group, ...]
    loose: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def all_nodes(self) -> list[Node]:
        return [n for g in self.groups for n in g.nodes] + list(self.loose)


def edge_label(dep: Dependency) -> str | None:
    """What an edge says: its label and protocol, `label (protocol)`, or None."""
    label = (dep.label or "").strip()
    protocol = (dep.protocol or "").strip()
    if label and protocol:
        return f"{label} ({protocol})"
    return label or protocol or None


def context_titles(design: Design) -> dict[str, str]:
    """Display names of the contexts the event-storming board declares, by id."""
    return {c.id: (c.name or c.id) for c in design.event_storming.contexts}


def _context(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def _node(component: Service | Datastore | External) -> Node:
    if isinstance(component, Service):
        return Node(
            component.id, component.label, "service", component.runtime, component.description
        )
    if isinstance(component, Datastore):
        return Node(component.id, component.label, "datastore", component.kind, None)
    return Node(component.id, component.label, "external", None, component.description)


def node_context(design: Design) -> dict[str, str | None]:
    """Context of each component: a service's own; a store's when all its owners share one."""
    result: dict[str, str | None] = {s.id: _context(s.context) for s in design.services}
    owners: dict[str, set[str | None]] = {}
    for s in design.services:
        if s.datastore is not None:
            owners.setdefault(s.datastore, set()).add(_context(s.context))
    for d in design.datastores:
        ctxs = owners.get(d.id, set())
        result[d.id] = next(iter(ctxs)) if len(ctxs) == 1 else None
    for e in design.externals:
        result[e.id] = None
    return result


def build_topology(design: Design) -> Topology:
    """Group the design's components by bounded context and list its dependencies."""
    titles = context_titles(design)
    contexts = node_context(design)
    components: list[Service | Datastore | External] = [
        *design.services,
        *design.datastores,
        *design.externals,
    ]
    nodes = [_node(c) for c in components]
    known = {n.id for n in nodes}
    # References to unknown ids make a design invalid; draw them anyway rather than fail.
    for dep in design.dependencies:
        for ref in (dep.from_, dep.to):
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
        Edge(d.from_, d.to, d.mode, edge_label(d), d.label, d.protocol) for d in design.dependencies
    ]
    edges.sort(key=lambda e: (e.source, e.target))
    return Topology(tuple(groups), tuple(loose), tuple(edges))
