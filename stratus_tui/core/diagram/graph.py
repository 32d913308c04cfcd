"""The graph to lay out, built from a Design: nodes, edges and context clusters.

Only what changes the picture is kept, so `DiagramGraph` doubles as the layout cache
key: editing a service's owner or SLO leaves it equal and nothing is laid out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stratus_tui.core.model import Design
from stratus_tui.core.topology import NodeKind as NodeKind  # re-exported for the shapes
from stratus_tui.core.topology import topology_of

from .text import cell_width, fit, sanitise

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

    Read from the design's one topology (`core/topology.py`). A datastore joins the
    context of the first service that names it as its `datastore`; externals and
    unowned stores stay outside every frame. Edges whose ends are unknown (an invalid
    design mid-edit) are left out rather than failing.
    """

    def title(label: str, cid: str) -> str:
        return fit(label, TITLE_MAX) or fit(cid, TITLE_MAX)

    topo = topology_of(design)
    owner_ctx: dict[str, str] = {}
    for link in topo.store_links:
        ctx = topo.nodes[link.service].context
        if ctx and link.store not in owner_ctx:
            owner_ctx[link.store] = sanitise(ctx)
    nodes: list[DNode] = []
    for node in topo.nodes.values():
        if node.kind == "service":
            ctx = sanitise(node.context) if node.context else None
            nodes.append(
                DNode(
                    node.id,
                    "service",
                    fit(node.label, TITLE_MAX),
                    _service_subtitle(node.detail),
                    ctx or None,
                )
            )
        elif node.kind == "datastore":
            sub = fit(node.detail or "datastore", TITLE_MAX)
            nodes.append(
                DNode(node.id, "datastore", title(node.label, node.id), sub, owner_ctx.get(node.id))
            )
        else:
            nodes.append(DNode(node.id, "external", title(node.label, node.id), "external", None))
    edges: list[DEdge] = []
    pairs: set[tuple[str, str]] = set()
    for call in topo.calls:
        key = (call.source, call.target)
        # One arrow per pair: a second dependency between the same two components
        # would be drawn on top of the first.
        if not topo.resolved(call) or call.source == call.target or key in pairs:
            continue
        pairs.add(key)
        label = fit(call.label or call.protocol or "", LABEL_MAX)
        edges.append(DEdge(call.source, call.target, call.mode, label))
    # A service's own datastore is drawn linked to it even without a dependency.
    for link in topo.store_links:
        key = (link.service, link.store)
        if key not in pairs and link.store != link.service:
            pairs.add(key)
            edges.append(DEdge(link.service, link.store, "sync", ""))
    cluster_ids = sorted({n.cluster for n in nodes if n.cluster})
    clusters = tuple(
        DCluster(cid, fit(topo.context_titles.get(cid) or cid, TITLE_MAX + 8))
        for cid in cluster_ids
    )
    return DiagramGraph(tuple(nodes), tuple(edges), clusters)
