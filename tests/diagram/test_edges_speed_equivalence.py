"""The fast `draw_edges` (issue 21: a 1,000-service picture drew its edges in ~0.5 s,
nearly all of it cell by cell down vertical lines) draws exactly what it drew before.

A frozen copy of the implementation before the change is the reference: every cell
and every region (in order) of the sample designs, generated designs of 50 and 300
services (whole and clipped pictures), and random routes over random text, wide
characters included, must be the same."""

from __future__ import annotations

import bisect
import copy
import importlib
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.graphs import write_design
from stratus_tui.core.diagram import (
    Layout,
    LayoutMemory,
    build_graph,
    fit_layout,
    layout_graph,
    render,
)
from stratus_tui.core.diagram.canvas import Canvas, Region
from stratus_tui.core.diagram.edges import STOP_EVERY, Superseded, draw_edges
from stratus_tui.core.diagram.render import Rendered
from stratus_tui.core.diagram.shapes import Route
from stratus_tui.core.diagram.text import clip
from stratus_tui.core.store.design_file import load_design

render_module = importlib.import_module("stratus_tui.core.diagram.render")

# ---- the reference: draw_edges as it was before issue 21's speed-up (frozen) ----

N, E, S, W = 1, 2, 4, 8
_SOLID = {
    E | W: "─",
    E: "─",
    W: "─",
    N | S: "│",
    N: "│",
    S: "│",
    E | S: "┌",
    W | S: "┐",
    N | E: "└",
    N | W: "┘",
    N | E | S: "├",
    N | W | S: "┤",
    E | W | S: "┬",
    N | E | W: "┴",
    N | E | S | W: "┼",
}
_DASHED = _SOLID | {
    E | W: "┄",
    E: "┄",
    W: "┄",
    N | S: "┆",
    N: "┆",
    S: "┆",
    E | S: "╭",
    W | S: "╮",
    N | E: "╰",
    N | W: "╯",
}
_HSEG = tuple[int, int, bool, int]  # lo, hi, sync, route index


class _Row:
    """Horizontal runs of one row, sorted, with a running max of their ends."""

    def __init__(self, segs: list[_HSEG]) -> None:
        self.segs = sorted(segs)
        self.los = [s[0] for s in self.segs]
        self.maxhi: list[int] = []
        top = -1
        for s in self.segs:
            top = max(top, s[1])
            self.maxhi.append(top)

    def overlapping(self, a: int, b: int) -> list[_HSEG]:
        """Runs with lo < b and hi > a (they share interior with (a, b))."""
        out: list[_HSEG] = []
        j = bisect.bisect_left(self.los, b) - 1
        while j >= 0 and self.maxhi[j] > a:
            if self.segs[j][1] > a:
                out.append(self.segs[j])
            j -= 1
        return out


def reference_draw_edges(
    cv: Canvas,
    routes: tuple[Route, ...],
    stop: Callable[[], bool] | None = None,
    rows_wanted: tuple[int, int] | None = None,
) -> None:
    """Draw `routes` with arrowheads and labels; record their regions.

    `stop` is asked now and then; when it says so, Superseded is raised: drawing the
    edges of a 1,000-service diagram takes ~0.5 s, and the workbench drops it for the
    next keystroke's picture instead of making that wait. `rows_wanted` (first, end):
    vertical lines are drawn only there (a partial picture of what is on screen: the
    lines that cross it run thousands of rows beyond it in a tall diagram)."""
    top, bottom = rows_wanted if rows_wanted is not None else (0, cv.height)
    hsegs: dict[int, list[_HSEG]] = {}
    bits: dict[tuple[int, int], int] = {}  # cells where lines turn, end or run vertically
    solid: set[tuple[int, int]] = set()
    for ri, r in enumerate(routes):
        if stop is not None and ri % STOP_EVERY == 0 and stop():
            raise Superseded
        sync = r.mode == "sync"
        edge = ((r.src, r.dst),)
        for (x0, y0), (x1, y1) in pairwise(r.points):
            if y0 == y1:
                lo, hi = min(x0, x1), max(x0, x1)
                hsegs.setdefault(y0, []).append((lo, hi, sync, ri))
                ends = [((lo, y0), E), ((hi, y0), W)]
                cv.regions.append(Region(lo, y0, hi + 1, y0 + 1, "edge", None, edge, r.mode))
            else:
                lo, hi = min(y0, y1), max(y0, y1)
                for y in range(max(lo + 1, top), min(hi, bottom)):
                    c = (x0, y)
                    bits[c] = bits.get(c, 0) | N | S
                    if sync:
                        solid.add(c)
                ends = [((x0, lo), S), ((x0, hi), N)]
                cv.regions.append(Region(x0, lo, x0 + 1, hi + 1, "edge", None, edge, r.mode))
            for c, b in ends:
                bits[c] = bits.get(c, 0) | b
                if sync:
                    solid.add(c)
    rows = {y: _Row(segs) for y, segs in hsegs.items()}
    for y, row in rows.items():
        cells = cv.rows[y]
        # Async first, so a run shared with a sync edge ends up solid.
        for lo, hi, sync, _ in sorted(row.segs, key=lambda s: s[2]):
            if hi - lo > 1:
                cells.update(dict.fromkeys(range(lo + 1, hi), "─" if sync else "┄"))
    for i, ((x, y), b) in enumerate(bits.items()):
        if stop is not None and i % (STOP_EVERY * 128) == 0 and stop():
            raise Superseded
        is_solid = (x, y) in solid
        row_segs = rows.get(y)
        if row_segs is not None:
            for lo, hi, sync, _ in row_segs.overlapping(x, x + 1):
                if lo < x < hi:
                    b |= E | W
                    is_solid = is_solid or sync
        cv.put(x, y, (_SOLID if is_solid else _DASHED).get(b, "·"))
    arrows: dict[tuple[int, int], str] = {}
    for r in routes:
        glyph = {"right": "▶▷", "left": "◀◁"}[r.arrow_dir][0 if r.mode == "sync" else 1]
        if arrows.get(r.arrow) not in ("▶", "◀"):
            arrows[r.arrow] = glyph
    for r in routes:
        (x, y), edge = r.arrow, ((r.src, r.dst),)
        cv.put(x, y, arrows[r.arrow])
        cv.regions.append(Region(x, y, x + 1, y + 1, "arrow", None, edge, r.mode))
    _draw_labels(cv, routes, rows, bits)


def _draw_labels(
    cv: Canvas, routes: tuple[Route, ...], rows: dict[int, _Row], bits: dict[tuple[int, int], int]
) -> None:
    """Write each label on the longest straight run of line its edge has alone."""
    taken: dict[int, list[tuple[int, int]]] = {}  # row -> label spans already written
    marks: dict[int, list[int]] = {}
    for x, y in bits:
        marks.setdefault(y, []).append(x)
    for xs in marks.values():
        xs.sort()
    for ri, r in enumerate(routes):
        if not r.label:
            continue
        best = (0, 0, 0)  # length, x, y
        for (x0, y0), (x1, y1) in pairwise(r.points):
            if y0 != y1:
                continue
            lo, hi = min(x0, x1), max(x0, x1)
            # Cells lo+1..hi-1, less what other edges, junctions and labels use.
            blocked = [(a, b) for a, b, _, other in rows[y0].overlapping(lo, hi) if other != ri]
            blocked.extend(taken.get(y0, ()))
            xs = marks.get(y0, [])
            i = bisect.bisect_right(xs, lo)
            while i < len(xs) and xs[i] < hi:
                blocked.append((xs[i], xs[i]))
                i += 1
            start = lo + 1
            for a, b in [*sorted(blocked), (hi, hi)]:
                end = min(a, hi)  # free cells: start .. end-1
                if end - start > best[0]:
                    best = (end - start, start, y0)
                start = max(start, b + 1)
        length, x, y = best
        if length < 6:
            continue
        n = cv.text(x + 1, y, clip(r.label, length - 2), length - 2)
        taken.setdefault(y, []).append((x + 1, x + n))
        edge = ((r.src, r.dst),)
        cv.regions.append(Region(x + 1, y, x + 1 + n, y + 1, "edge-label", None, edge, r.mode))


# ---- the checks ----

SAMPLES = sorted((Path(__file__).parents[2] / "sample_designs").glob("*.yaml"))


def _both(layout: Layout, **kw: object) -> tuple[Rendered, Rendered]:
    new = render(layout, **kw)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render_module, "draw_edges", reference_draw_edges)
        old = render(layout, **kw)  # type: ignore[arg-type]
    return new, old


def _same_pictures(layout: Layout) -> None:
    new, old = _both(layout)
    assert new.rows == old.rows
    assert new.regions == old.regions
    h, w = layout.height, layout.width
    for y0 in (0, 1, h // 3, h // 2, max(0, h - 30)):
        for x0 in (0, w // 2):
            part = (x0, y0, w, y0 + 30)
            new, old = _both(layout, clip=part)
            assert new.rows == old.rows, part
            assert new.regions == old.regions, part
    new, old = _both(layout, legend=False)
    assert new.rows == old.rows
    assert new.regions == old.regions


def _layouts(path: Path) -> Iterator[tuple[str, Layout]]:
    graph = build_graph(load_design(path))
    yield "fit", fit_layout(graph, 100, 40, memory=LayoutMemory())
    yield "whole", layout_graph(graph)


def test_there_are_sample_designs() -> None:
    assert len(SAMPLES) >= 3


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_designs_draw_the_same(path: Path) -> None:
    for _, layout in _layouts(path):
        assert layout.routes
        _same_pictures(layout)


@pytest.mark.parametrize("n", [50, 300])
def test_generated_designs_draw_the_same(n: int, tmp_path: Path) -> None:
    path = write_design(n, tmp_path / f"d{n}.yaml")
    for _, layout in _layouts(path):
        assert len(layout.routes) > n // 2
        _same_pictures(layout)


# Random routes over a canvas holding random text (wide characters, and their halves
# cut by later text), crowded so that lines cross, share, end on and run over text.

TEXT = st.text(alphabet="ab ─│┼漢字ｗ界", min_size=1, max_size=6)


@st.composite
def scenes(draw: st.DrawFn) -> tuple[Canvas, tuple[Route, ...], tuple[int, int] | None]:
    w = draw(st.integers(2, 24))
    h = draw(st.integers(2, 16))
    cv = Canvas(w, h)
    for _ in range(draw(st.integers(0, 25))):
        x = draw(st.integers(0, w - 1))
        y = draw(st.integers(0, h - 1))
        cv.text(x, y, draw(TEXT), draw(st.integers(0, 6)))
    xs, ys = st.integers(0, w - 1), st.integers(0, h - 1)
    routes = []
    for i in range(draw(st.integers(0, 12))):
        points = [(draw(xs), draw(ys))]
        for _ in range(draw(st.integers(1, 5))):
            x, y = points[-1]
            how = draw(st.sampled_from(["h", "v", "v", "same"]))
            if how == "h":
                points.append((draw(xs), y))
            elif how == "v":
                points.append((x, draw(ys)))
            else:
                points.append((x, y))
        routes.append(
            Route(
                src=f"s{i}",
                dst=draw(st.sampled_from(["a", "b", f"d{i}"])),
                mode=draw(st.sampled_from(["sync", "async"])),
                label=draw(st.sampled_from(["", "reads", "漢字 calls", "x" * 12])),
                points=tuple(points),
                arrow=(draw(xs), draw(ys)),
                arrow_dir=draw(st.sampled_from(["left", "right"])),
            )
        )
    wanted = None
    if draw(st.booleans()):
        first = draw(st.integers(0, h))
        wanted = (first, draw(st.integers(first, h + 2)))
    return cv, tuple(routes), wanted


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes())
def test_random_routes_draw_the_same(scene: tuple) -> None:
    cv, routes, wanted = scene
    ref = copy.deepcopy(cv)
    draw_edges(cv, routes, rows_wanted=wanted)
    reference_draw_edges(ref, routes, rows_wanted=wanted)
    assert cv.rows == ref.rows
    assert cv.regions == ref.regions


def test_a_line_over_wide_characters_blanks_the_same_halves() -> None:
    """Lines crossing and ending on wide characters and on halves cut by later text:
    the blanked halves depend on the order cells are drawn in."""
    cv = Canvas(12, 8)
    for y in range(1, 7):
        cv.text(0, y, "漢字界漢字界", 12)
    cv.text(3, 3, "ab", 2)  # cuts 字 (a half left alone) and 界
    routes = (
        Route("a", "b", "sync", "", ((2, 0), (2, 7)), (2, 7), "right"),
        Route("c", "b", "async", "", ((3, 0), (3, 7)), (3, 7), "left"),
        Route("d", "b", "async", "", ((0, 3), (11, 3)), (11, 3), "right"),
        Route("e", "b", "sync", "", ((5, 7), (5, 2), (8, 2), (8, 5)), (8, 5), "left"),
        Route("f", "b", "async", "", ((4, 1), (4, 6), (1, 6)), (1, 6), "left"),
    )
    ref = copy.deepcopy(cv)
    draw_edges(cv, routes)
    reference_draw_edges(ref, routes)
    assert cv.rows == ref.rows
    assert cv.regions == ref.regions
    assert any(" " in row.values() for row in cv.rows)  # some half was blanked


def test_stop_is_asked_down_long_lines() -> None:
    """Drawing stops within the vertical lines too, not only between routes: a few
    tall lines are many cells."""
    cv = Canvas(40, STOP_EVERY * 128)
    routes = tuple(
        Route(f"s{x}", "d", "sync", "", ((x, 0), (x, cv.height - 1)), (x, 0), "left")
        for x in range(0, 40, 2)
    )
    asked: list[int] = []

    def later() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Superseded):
        draw_edges(cv, routes, stop=later)
    assert len(asked) == 3
