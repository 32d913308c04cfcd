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
from .graph import DCluster, DEdge, DiagramGraph, DNode, build_graph
from .ranking import Ranking, dot_available, dot_ranking, layered_ranking
from .render import Region, Rendered, render
from .routing import route
from .shapes import Box, Frame, Layout, Route

Engine = Literal["auto", "dot", "layered"]

__all__ = [
    "Box",
    "DCluster",
    "DEdge",
    "DNode",
    "DiagramGraph",
    "Engine",
    "Frame",
    "Layout",
    "Region",
    "Rendered",
    "Route",
    "build_graph",
    "draw",
    "layout_graph",
    "render",
]

DOT_TIMEOUT = 5.0
"""Seconds before a dot run is abandoned for the built-in layout."""


def layout_graph(
    graph: DiagramGraph, engine: Engine = "auto", timeout: float = DOT_TIMEOUT
) -> Layout:
    """Lay out `graph` in cells.

    "dot" and "auto" ask Graphviz for ranks and order (falling back to the built-in
    layering, with a note saying why, when dot is missing, fails or is too slow);
    "layered" uses the built-in layering only.
    """
    notes: list[str] = []
    ranking: Ranking | None = None
    if engine != "layered":
        if not dot_available():
            notes.append("Graphviz dot not found")
        else:
            try:
                ranking = dot_ranking(graph, timeout)
            except (OSError, ValueError, subprocess.SubprocessError) as exc:
                notes.append(f"dot failed: {type(exc).__name__}")
    used: Literal["dot", "layered"] = "dot" if ranking else "layered"
    if ranking is None:
        ranking = layered_ranking(graph)
    # dot already minimised crossings; the built-in order needs a few sweeps.
    placement = place(graph, ranking, sweeps=1 if used == "dot" else 4)
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
        )
    return result


def draw(design: Design, engine: Engine = "auto") -> Rendered:
    """Build, lay out and render the topology of `design`."""
    return render(layout_graph(build_graph(design), engine))
