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
class Detail:
    """A level of detail: how much of each component and edge is drawn.

    `box_height` 4 is border, title, subtitle, border; 2 writes the title into the
    top border and the subtitle into the bottom one (half the rows). Edges leave a
    box on its first inner row (4) or top row (2) and enter on the next one, so an
    edge leaving a box never shares a row with one entering a box across the gap.
    1 is the title between brackets, `[name]`, edges leaving and entering on that one
    row (routing keeps the two apart, see `routing`).
    """

    name: str
    box_height: int
    title_max: int
    subtitles: bool
    edge_labels: bool
    legend: bool
    min_gap: int
    """Fewest cells between two columns."""
    block_gap: int
    """Blank rows below every box, lane and frame."""

    @property
    def row_scale(self) -> float:
        """Rows of this level per row of the full level (to scale wanted rows)."""
        return (self.box_height + self.block_gap) / (FULL_BOX + 1)


FULL_BOX = 4
FULL = Detail("full", FULL_BOX, TITLE_MAX, True, True, True, 6, 1)
COMPACT = Detail("compact", 2, 14, True, False, False, 5, 1)
TINY = Detail("tiny", 2, 8, False, False, False, 4, 0)
MICRO = Detail("micro", 1, 8, False, False, False, 4, 0)
"""One row a component, `[name]`: for a design whose tiny picture is too tall to fit."""
LEVELS: tuple[Detail, ...] = (MICRO, TINY, COMPACT, FULL)
"""From the least detailed to the most; zooming in moves right."""


@dataclass(frozen=True, slots=True)
class DiagramGraph:
    """Everything the layout depends on; hashable, so usable as a cache key."""

    nodes: tuple[DNode, ...]
    edges: tuple[DEdge, ...]
    clusters: tuple[DCluster, ...]
    detail: Detail = FULL

    def node_width(self, node: DNode) -> int:
        """Box width in cells: the longer line plus borders (and padding at full size)."""
        if self.detail.box_height == FULL_BOX:
            return max(12, cell_width(node.title) + 4, cell_width(node.subtitle) + 4)
        if self.detail.box_height == 1:
            return max(4, cell_width(node.title) + 2)
        return max(6, cell_width(node.title) + 2, cell_width(node.subtitle) + 2)

    def at(self, detail: Detail) -> DiagramGraph:
        """This graph drawn at `detail`: the same nodes, edges and contexts (so the same
        ranks and order), with titles cut shorter and what the level leaves out blank."""
        if detail == self.detail:
            return self
        if self.detail != FULL:
            raise ValueError("level of detail applies to a full graph")

        width = detail.title_max

        def short(n: DNode) -> tuple[str, str]:
            if detail.subtitles:
                return _shorter(n, width), fit(n.subtitle, width)
            if detail.box_height == 1:
                return _shorter(n, width), ""
            # No subtitle: the name may take both lines of the box.
            first, rest = _wrap2(n.title, width)
            if fit(rest, width) == rest:
                return first, rest
            return _shorter(n, width), ""

        nodes = tuple(DNode(n.id, n.kind, *short(n), n.cluster) for n in self.nodes)
        edges = (
            self.edges
            if detail.edge_labels
            else tuple(DEdge(e.src, e.dst, e.mode, "") for e in self.edges)
        )
        clusters = tuple(DCluster(c.id, fit(c.label, detail.title_max + 4)) for c in self.clusters)
        return DiagramGraph(nodes, edges, clusters, detail)

    def subgraph(self, keep: set[str]) -> DiagramGraph:
        """Only the nodes in `keep`, the edges between them and their contexts."""
        nodes = tuple(n for n in self.nodes if n.id in keep)
        used = {n.cluster for n in nodes}
        return DiagramGraph(
            nodes,
            tuple(e for e in self.edges if e.src in keep and e.dst in keep),
            tuple(c for c in self.clusters if c.id in used),
            self.detail,
        )


def _shorter(n: DNode, width: int) -> str:
    # The id when it is shorter than the cut name: `pay-svc` reads better than
    # `Payment Se…`.
    title = fit(n.title, width)
    if title != n.title and cell_width(n.id) < cell_width(n.title):
        title = fit(n.id, width)
    return title


def _wrap2(text: str, width: int) -> tuple[str, str]:
    """`text` as a first line of at most `width` cells (broken at a space or hyphen
    when one fits) and the rest."""
    if cell_width(text) <= width:
        return text, ""
    for i in range(len(text) - 1, 0, -1):
        if text[i] in " -" and cell_width(text[: i + 1].rstrip()) <= width:
            return text[: i + 1].rstrip(), text[i + 1 :].strip()
    first = fit(text, width + 1)[:-1]  # cut without the ellipsis
    return first, text[len(first) :].strip()


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
                    title(node.label, node.id),  # a blank name shows the id
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
