"""Edges on the grid: orthogonal lines, junction glyphs, arrowheads and labels.

Horizontal runs are written in bulk (most of an edge's length); only cells where
something turns, ends or crosses get direction bits, so crossings and joins get the
right junction glyph (┼ ┬ ├ ...). A cell is dashed (┄ ┆, rounded corners) only when
every edge through it is async; labels go on a run of line their edge has alone.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from itertools import pairwise

from .canvas import Canvas, Region
from .shapes import Route
from .text import clip

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
