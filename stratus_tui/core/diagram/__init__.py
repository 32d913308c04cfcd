"""The topology drawn in character cells, for the terminal (no Textual here).

    graph = build_graph(design)          # what to draw; hashable: the cache key
    layout = layout_graph(graph)         # dot when available, else built-in layering
    picture = render(layout)             # cells + style regions
    print("\\n".join(picture.lines))

`draw(design)` does all three; `python -m stratus_tui.core.diagram FILE` prints it.

How it works: ranks (columns, left to right) and a vertical order come from
Graphviz `dot -Tplain` (its y coordinates, at `ROWS_PER_INCH`, become the rows each
box would like) or from the built-in longest-path layering with barycenter sweeps.
`packing` then places boxes, context frames and long-edge lanes so that nothing can
overlap, `routing` draws edges orthogonally through the gaps between columns, and
`render` turns it all into cells plus style regions for the UI. dot's answers are
remembered by their DOT text (`dot_process`), so relabelling never runs dot again.
"""

from __future__ import annotations

import subprocess
from typing import Literal

from stratus_tui.core.model import Design

from .geometry import place
from .graph import (
    COMPACT,
    FULL,
    LEVELS,
    MICRO,
    TINY,
    DCluster,
    DEdge,
    Detail,
    DiagramGraph,
    DNode,
    build_graph,
)
from .memory import LayoutMemory
from .ranking import Ranking, dot_available, dot_ranking, layered_ranking
from .render import Region, Rendered, picture_width, render
from .routing import PortConflict, route
from .shapes import Box, Frame, Layout, Route

Engine = Literal["auto", "dot", "layered"]

__all__ = [
    "COMPACT",
    "FULL",
    "LEVELS",
    "MICRO",
    "TINY",
    "Box",
    "DCluster",
    "DEdge",
    "DNode",
    "Detail",
    "DiagramGraph",
    "Engine",
    "Frame",
    "Layout",
    "LayoutMemory",
    "Region",
    "Rendered",
    "Route",
    "build_graph",
    "draw",
    "fit_layout",
    "layout_graph",
    "render",
]

SETTLE_PASSES = 3
"""Placements from memory after a fresh layout, until the rows stop changing."""

DOT_TIMEOUT = 5.0
"""Seconds before a dot run is abandoned for the built-in layout."""


def layout_graph(
    graph: DiagramGraph,
    engine: Engine = "auto",
    timeout: float = DOT_TIMEOUT,
    memory: LayoutMemory | None = None,
) -> Layout:
    """Lay out `graph` in cells.

    "dot" and "auto" ask Graphviz for ranks and order (falling back to the built-in
    layering, with a note saying why, when dot is missing, fails or is too slow);
    "layered" uses the built-in layering only. With a `memory` of an earlier layout
    of the same design, known nodes keep their places and nothing runs dot (see
    `memory`); the memory then learns this layout.

    One-row boxes (MICRO) whose edges cannot be routed apart (two edges swapping rows
    in one gap, see `routing`) are drawn at TINY instead: the layout's `detail` says
    which level it is.
    """
    if graph.detail.box_height == 1:
        try:
            return _layout_graph(graph, engine, timeout, memory)
        except PortConflict:
            # The same boxes two rows tall (title in the top border): separate ports.
            tall = DiagramGraph(graph.nodes, graph.edges, graph.clusters, TINY)
            return _layout_graph(tall, engine, timeout, memory)
    return _layout_graph(graph, engine, timeout, memory)


def _layout_graph(
    graph: DiagramGraph,
    engine: Engine,
    timeout: float,
    memory: LayoutMemory | None,
) -> Layout:
    notes: list[str] = []
    ranking: Ranking | None = None
    used: Literal["dot", "layered"] = "layered"
    if memory is not None:
        ranking = memory.ranking_for(graph)
        if ranking is not None:
            used = "dot" if memory.engine == "dot" else "layered"
            placement = place(graph, ranking, sweeps=0)
            memory.learn(graph, ranking, _box_rows(placement.row, graph, placement.top))
            return route(graph, placement, used)
    if engine != "layered":
        if not dot_available():
            notes.append("Graphviz dot not found")
        else:
            try:
                ranking = dot_ranking(graph, timeout)
            except (OSError, ValueError, subprocess.SubprocessError) as exc:
                notes.append(f"dot failed: {type(exc).__name__}")
    used = "dot" if ranking else "layered"
    if ranking is None:
        ranking = layered_ranking(graph)
    # dot already minimised crossings; the built-in order needs a few sweeps.
    placement = place(graph, ranking, sweeps=1 if used == "dot" else 4)
    if memory is not None:
        memory.engine = used
        memory.learn(graph, ranking, _box_rows(placement.row, graph, placement.top))
        # Drawn from what it remembers at once: long edges' lanes then want the
        # rows the boxes really took, so the next edit starts from this picture.
        for _ in range(SETTLE_PASSES):
            again = memory.ranking_for(graph)
            if again is None:
                break
            before = placement.row
            placement = place(graph, again, sweeps=0)
            memory.learn(graph, again, _box_rows(placement.row, graph, placement.top))
            if placement.row == before:
                break
    result = route(graph, placement, used)
    if notes:
        return Layout(
            result.width,
            result.height,
            result.boxes,
            result.frames,
            result.routes,
            used,
            tuple(notes),
            result.legend,
            result.detail,
        )
    return result


def _box_rows(rows: dict[str, int], graph: DiagramGraph, top: int) -> dict[str, int]:
    return {n.id: rows[n.id] - top for n in graph.nodes}


def fit_layout(
    graph: DiagramGraph,
    width: int,
    height: int,
    engine: Engine = "auto",
    memory: LayoutMemory | None = None,
) -> Layout:
    """The most detailed layout of `graph` that fits `width` x `height` cells; the
    tiny one when none does (then the view pans).

    The small-box level is tried first: when it does not fit (a big design), it is
    the answer (only one layout made) unless the one-row boxes of MICRO fit, which
    is tried only when the tiny picture is too tall by no more than twice.
    """
    tiny = layout_graph(graph.at(TINY), engine, memory=memory)
    if picture_width(tiny) > width or tiny.height > height:
        if picture_width(tiny) <= width and tiny.height <= 2 * height:
            micro = layout_graph(graph.at(MICRO), engine, memory=memory)
            if picture_width(micro) <= width and micro.height <= height:
                return micro
        return tiny
    for detail in (FULL, COMPACT):
        layout = layout_graph(graph.at(detail), engine, memory=memory)
        if picture_width(layout) <= width and layout.height <= height:
            return layout
    return tiny


def draw(design: Design, engine: Engine = "auto") -> Rendered:
    """Build, lay out and render the topology of `design`."""
    return render(layout_graph(build_graph(design), engine))
