"""The graph to lay out, built from a Design: nodes, edges and context clusters.

Only what changes the picture is kept, so `DiagramGraph` doubles as the layout cache
key: editing a service's owner or SLO leaves it equal and nothing is laid out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stratus_tui.core.model import Design

from .text import cell_width, fit, sanitise

NodeKind = Literal["service", "datastore", "external"]
EdgeMode = Literal["sync", "async"]

TITLE_MAX = 20
"""Widest title in cells; longer names are cut with '…'."""
LABEL_MAX = 20
"""Widest edge label in cells."""


@dataclass(frozen=True, slots=True)
class DNode:
    """A component drawn as a box: `title` on the first line, `subtitle` below."""

    id: str
    kind: NodeKind
    title: str
    subtitle: str
    cluster: str | None


@dataclass(frozen=True, slots=True)
class DEdge:
    """A dependency `src -> dst`; `label` is the call's label or its protocol."""

    src: str
    dst: str
    mode: EdgeMode
    label: str


@dataclass(frozen=True, slots=True)
class DCluster:
    """A bounded context drawn as a labelled frame around its members."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class DiagramGraph:
    """Everything the layout depends on; hashable, so usable as a cache key."""

    nodes: tuple[DNode, ...]
    edges: tuple[DEdge, ...]
    clusters: tuple[DCluster, ...]

    def node_width(self, node: DNode) -> int:
        """Box width in cells: the longer line plus borders and padding."""
        return max(12, cell_width(node.title) + 4, cell_width(node.subtitle) + 4)


def _service_subtitle(runtime: str | None) -> str:
    # The box style already says "service": the second line says how it runs.
    return fit(runtime or "service", TITLE_MAX)


def build_graph(design: Design) -> DiagramGraph:
    """The diagram graph of `design`: components, dependencies, contexts.

    A datastore joins the context of the first service that names it as its
    `datastore`; externals and unowned stores stay outside every frame. Edges whose
    ends are unknown (an invalid design mid-edit) are left out rather than failing.
    """

    def title(label: str, cid: str) -> str:
        return fit(label, TITLE_MAX) or fit(cid, TITLE_MAX)

    storm_names = {c.id: c.name for c in design.event_storming.contexts if c.name}
    owner_ctx: dict[str, str] = {}
    for svc in design.services:
        if svc.datastore and svc.context and svc.datastore not in owner_ctx:
            owner_ctx[svc.datastore] = sanitise(svc.context)
    nodes: list[DNode] = []
    seen: set[str] = set()
    for svc in design.services:
        if svc.id in seen:
            continue
        seen.add(svc.id)
        ctx = sanitise(svc.context) if svc.context else None
        nodes.append(
            DNode(
                svc.id,
                "service",
                fit(svc.label, TITLE_MAX),
                _service_subtitle(svc.runtime),
                ctx or None,
            )
        )
    for store in design.datastores:
        if store.id in seen:
            continue
        seen.add(store.id)
        sub = fit(store.kind or "datastore", TITLE_MAX)
        nodes.append(
            DNode(store.id, "datastore", title(store.label, store.id), sub, owner_ctx.get(store.id))
        )
    for ext in design.externals:
        if ext.id in seen:
            continue
        seen.add(ext.id)
        nodes.append(DNode(ext.id, "external", title(ext.label, ext.id), "external", None))
    edges: list[DEdge] = []
    pairs: set[tuple[str, str]] = set()
    for dep in design.dependencies:
        key = (dep.from_, dep.to)
        # One arrow per pair: a second dependency between the same two components
        # would be drawn on top of the first.
        if dep.from_ not in seen or dep.to not in seen or dep.from_ == dep.to or key in pairs:
            continue
        pairs.add(key)
        label = fit(dep.label or dep.protocol or "", LABEL_MAX)
        edges.append(DEdge(dep.from_, dep.to, dep.mode, label))
    # A service's own datastore is drawn linked to it even without a dependency.
    for svc in design.services:
        key = (svc.id, svc.datastore or "")
        if svc.datastore in seen and key not in pairs and svc.datastore != svc.id:
            pairs.add(key)
            edges.append(DEdge(svc.id, svc.datastore, "sync", ""))
    cluster_ids = sorted({n.cluster for n in nodes if n.cluster})
    clusters = tuple(
        DCluster(cid, fit(storm_names.get(cid) or cid, TITLE_MAX + 8)) for cid in cluster_ids
    )
    return DiagramGraph(tuple(nodes), tuple(edges), clusters)
