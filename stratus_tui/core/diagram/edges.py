"""Edges on the grid: orthogonal lines, junction glyphs, arrowheads and labels.

Runs of line are written in bulk (most of an edge's length): horizontal ones run by
run, vertical ones row by row (a sweep down the rows keeps the columns lines cross
there); only cells where something turns or ends get direction bits, so joins get the
right junction glyph (┼ ┬ ├ ...). A cell is dashed (┄ ┆, rounded corners) only when
every edge through it is async; labels go on a run of line their edge has alone.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from itertools import pairwise

from .canvas import Canvas, Region
from .shapes import Route
from .text import char_width, clip

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


class Superseded(Exception):
    """`stop` said the picture is no longer wanted (a newer edit arrived)."""


STOP_EVERY = 64
"""Routes (and STOP_EVERY * 128 cells) drawn between two calls of `stop`."""


def draw_edges(
    cv: Canvas,
    routes: tuple[Route, ...],
    stop: Callable[[], bool] | None = None,
    rows_wanted: tuple[int, int] | None = None,
) -> None:
    """Draw `routes` with arrowheads and labels; record their regions.

    `stop` is asked now and then; when it says so, Superseded is raised: drawing the
    edges of a 1,000-service diagram takes ~0.15 s, and the workbench drops it for the
    next keystroke's picture instead of making that wait. `rows_wanted` (first, end):
    vertical lines are drawn only there (a partial picture of what is on screen: the
    lines that cross it run thousands of rows beyond it in a tall diagram)."""
    top, bottom = rows_wanted if rows_wanted is not None else (0, cv.height)
    hsegs: dict[int, list[_HSEG]] = {}
    tips: dict[tuple[int, int], int] = {}  # cells where lines turn or end
    solid: set[tuple[int, int]] = set()  # ... of them, those a sync edge has
    runs: list[_VRUN] = []  # the rows of vertical lines between their tips
    for ri, r in enumerate(routes):
        if stop is not None and ri % STOP_EVERY == 0 and stop():
            raise Superseded
        sync = r.mode == "sync"
        edge = ((r.src, r.dst),)
        mode, regions = r.mode, cv.regions
        for (x0, y0), (x1, y1) in pairwise(r.points):
            if y0 == y1:
                lo, hi = (x0, x1) if x0 <= x1 else (x1, x0)
                hsegs.setdefault(y0, []).append((lo, hi, sync, ri))
                a, b = (lo, y0), (hi, y0)
                tips[a] = tips.get(a, 0) | E
                tips[b] = tips.get(b, 0) | W
                regions.append(Region(lo, y0, hi + 1, y0 + 1, "edge", None, edge, mode))
            else:
                lo, hi = (y0, y1) if y0 <= y1 else (y1, y0)
                first, end = max(lo + 1, top), min(hi, bottom)
                if first < end:
                    runs.append((x0, first, end, sync))
                a, b = (x0, lo), (x0, hi)
                tips[a] = tips.get(a, 0) | S
                tips[b] = tips.get(b, 0) | N
                regions.append(Region(x0, lo, x0 + 1, hi + 1, "edge", None, edge, mode))
            if sync:
                solid.add(a)
                solid.add(b)
    rows = {y: _Row(segs) for y, segs in hsegs.items()}
    across: dict[int, dict[int, str]] = {}  # row -> interior cells of its runs -> glyph
    for y, row in rows.items():
        cells = across[y] = {}
        # Async first, so a run shared with a sync edge ends up solid.
        for lo, hi, sync, _ in sorted(row.segs, key=lambda s: s[2]):
            if hi - lo > 1:
                cells.update(dict.fromkeys(range(lo + 1, hi), "─" if sync else "┄"))
        cv.rows[y].update(cells)
    special, wide, marks = _draw_vertical(cv, runs, tips, solid, across, stop)
    _draw_junctions(
        cv, special, wide, across, stop, lambda cells: _first_seen(routes, top, bottom, cells)
    )
    arrows: dict[tuple[int, int], str] = {}
    for r in routes:
        glyph = {"right": "▶▷", "left": "◀◁"}[r.arrow_dir][0 if r.mode == "sync" else 1]
        if arrows.get(r.arrow) not in ("▶", "◀"):
            arrows[r.arrow] = glyph
    for r in routes:
        (x, y), edge = r.arrow, ((r.src, r.dst),)
        cv.put(x, y, arrows[r.arrow])
        cv.regions.append(Region(x, y, x + 1, y + 1, "arrow", None, edge, r.mode))
    _draw_labels(cv, routes, rows, marks)


_VRUN = tuple[int, int, int, bool]  # x, first row, end row, sync
_SPECIAL = dict[tuple[int, int], tuple[int, bool, str | None]]
"""Cells drawn one by one: direction bits, solid, what the cell held before."""


_NARROW = frozenset("─│┄┆┌┐└┘╭╮╰╯├┤┬┴┼═║╔╗╚╝[]()«» ·▶▷◀◁")
"""Characters boxes, frames and lines are drawn with: none is wide."""


def _is_wide(old: str | None) -> bool:
    """`Canvas.put` over this blanks a neighbour: half of a wide character."""
    return old is not None and (old == "" or char_width(old) == 2)


def _draw_vertical(
    cv: Canvas,
    runs: list[_VRUN],
    tips: dict[tuple[int, int], int],
    solid: set[tuple[int, int]],
    across: dict[int, dict[int, str]],
    stop: Callable[[], bool] | None,
) -> tuple[_SPECIAL, set[tuple[int, int]], dict[int, list[int]]]:
    """Write the vertical lines row by row, in bulk.

    A sweep down the rows keeps the lines crossing the current row (column -> glyph),
    changed only where a line starts or ends: a cell lines only run through vertically
    is │ (┆ when every one of them is async), one a run of line crosses too is ┼.
    Returns the cells still to work out one by one (`_draw_junctions`): the tips, and
    the cells of vertical lines drawn over half of a wide character; of those, the
    cells whose order matters (the wide ones and their neighbours); and per row, the
    tips and crossings (where a label must not go)."""
    starts: dict[int, list[tuple[int, bool]]] = {}
    ends: dict[int, list[tuple[int, bool]]] = {}
    for x, first, end, sync in runs:
        starts.setdefault(first, []).append((x, sync))
        ends.setdefault(end, []).append((x, sync))
    marks: dict[int, list[int]] = {}
    for x, y in tips:
        marks.setdefault(y, []).append(x)
    special: _SPECIAL = {}
    wide: set[tuple[int, int]] = set()
    events = sorted({*starts, *ends, *marks})
    counts: dict[int, list[int]] = {}  # column -> [sync lines, async lines] crossing the row
    active: dict[int, str] = {}  # column -> glyph, for the lines crossing the row
    drawn, ask = 0, 0
    for i, y0 in enumerate(events):
        touched: set[int] = set()
        for x, sync in ends.get(y0, ()):
            counts[x][0 if sync else 1] -= 1
            touched.add(x)
        for x, sync in starts.get(y0, ()):
            counts.setdefault(x, [0, 0])[0 if sync else 1] += 1
            touched.add(x)
        for x in touched:
            n_sync, n_async = counts[x]
            if n_sync:
                active[x] = "│"
            elif n_async:
                active[x] = "┆"
            else:
                del counts[x]
                active.pop(x, None)
        y1 = events[i + 1] if active and i + 1 < len(events) else y0 + 1
        for y in range(y0, y1):
            row = cv.rows[y]
            seeds: list[int] = []
            if y == y0:
                for x in marks.get(y, ()):
                    c = (x, y)
                    glyph = active.get(x)
                    old = row.get(x)
                    b = tips[c] | (N | S if glyph is not None else 0)
                    special[c] = (b, c in solid or glyph == "│", old)
                    if old is not None and old not in _NARROW and _is_wide(old):
                        seeds.append(x)
            under = active.keys() & row.keys()  # cells of lines drawn over something
            crossed: set[int] = set()
            if under:
                run_cells = across.get(y)
                if run_cells is not None:
                    crossed = run_cells.keys() & under
                    under -= crossed
                    marks.setdefault(y, []).extend(crossed)
                if not _NARROW.issuperset(map(row.__getitem__, under)):
                    for x in under:
                        old = row[x]
                        if _is_wide(old):
                            seeds.append(x)
                            special.setdefault((x, y), (N | S, active[x] == "│", old))
            for x in seeds:  # put in order, with their neighbours (see _draw_junctions)
                wide.add((x, y))
                for n in (x - 1, x + 1):
                    if (n, y) in special:
                        wide.add((n, y))
                    elif n in active:
                        special[n, y] = (N | S, active[n] == "│", row.get(n))
                        wide.add((n, y))
            if not active:
                continue
            row.update(active)
            if crossed:
                row.update(dict.fromkeys(crossed, "┼"))
            drawn += len(active)
            if stop is not None and drawn >= ask:
                ask = drawn + STOP_EVERY * 128
                if stop():
                    raise Superseded
    return special, wide, marks


def _draw_junctions(
    cv: Canvas,
    special: _SPECIAL,
    wide: set[tuple[int, int]],
    across: dict[int, dict[int, str]],
    stop: Callable[[], bool] | None,
    first_seen: Callable[[set[tuple[int, int]]], dict[tuple[int, int], tuple[int, ...]]],
) -> None:
    """Write the junction glyph of each special cell (see `_draw_vertical`).

    A line drawn over a wide character (or its right half) blanks the other half
    (`Canvas.put`); those cells, and their special neighbours, are put in the order
    the cells were first met along the routes, so the blanks land where they
    always did. Every other cell is written outright: no blank can reach it."""

    def glyph(x: int, y: int, b: int, is_solid: bool) -> str:
        run = across.get(y, {}).get(x)
        if run is not None:  # inside a run of line
            b |= E | W
            is_solid = is_solid or run == "─"
        return (_SOLID if is_solid else _DASHED).get(b, "·")

    for i, ((x, y), (b, is_solid, _)) in enumerate(special.items()):
        if stop is not None and i % (STOP_EVERY * 128) == 0 and stop():
            raise Superseded
        if not wide or (x, y) not in wide:
            cv.rows[y][x] = glyph(x, y, b, is_solid)
    if not wide:
        return
    for x, y in wide:  # as the cells were before the vertical lines were written
        old = special[x, y][2]
        if old is None:
            cv.rows[y].pop(x, None)
        else:
            cv.rows[y][x] = old
    order = first_seen(wide)
    for x, y in sorted(wide, key=order.__getitem__):
        b, is_solid, _ = special[x, y]
        cv.put(x, y, glyph(x, y, b, is_solid))


def _first_seen(
    routes: tuple[Route, ...], top: int, bottom: int, cells: set[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, ...]]:
    """For each of `cells`, where the routes first reach it: (segment number, 0, row)
    inside a vertical line, (segment number, 1, end) at an end of a segment."""
    rows_in: dict[int, list[int]] = {}
    for x, y in cells:
        rows_in.setdefault(x, []).append(y)
    seen: dict[tuple[int, int], tuple[int, ...]] = {}
    k = 0
    for r in routes:
        for (x0, y0), (x1, y1) in pairwise(r.points):
            if y0 == y1:
                ends = ((min(x0, x1), y0), (max(x0, x1), y0))
            else:
                lo, hi = min(y0, y1), max(y0, y1)
                first, end = max(lo + 1, top), min(hi, bottom)
                for y in rows_in.get(x0, ()):
                    if first <= y < end:
                        seen.setdefault((x0, y), (k, 0, y))
                ends = ((x0, lo), (x0, hi))
            for j, c in enumerate(ends):
                if c in cells:
                    seen.setdefault(c, (k, 1, j))
            k += 1
    return seen


def _draw_labels(
    cv: Canvas,
    routes: tuple[Route, ...],
    rows: dict[int, _Row],
    marks: dict[int, list[int]],
) -> None:
    """Write each label on the longest straight run of line its edge has alone."""
    taken: dict[int, list[tuple[int, int]]] = {}  # row -> label spans already written
    for y, xs in marks.items():  # tips and crossings: no label there
        marks[y] = sorted(set(xs))
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
