"""Draw a `Layout` on a character grid, with style regions for the UI to colour.

Edges are drawn as direction bits per cell, so crossings and joins get the right
junction glyph (┼ ┬ ├ ...). A cell is dashed (┄ ┆, rounded corners) only when every
edge through it is async. The grid never grows past `layout.width` columns: every
label was cut to fit its box, frame or run of line before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from .shapes import Box, Frame, Layout
from .text import cell_width, clip, fit, to_cells

RegionKind = Literal[
    "service",
    "datastore",
    "external",
    "frame",
    "frame-label",
    "edge",
    "arrow",
    "edge-label",
    "legend",
]

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
BORDERS: dict[str, str] = {
    # top-left, horizontal, top-right, vertical, bottom-left, bottom-right
    "service": "┌─┐│└┘",
    "datastore": "╭─╮│╰╯",
    "external": "╔═╗║╚╝",
    "frame": "┌─┐│└┘",
}
LEGEND = "─▶ sync call   ┄▷ async message   ┌┐ service   ╭╮ datastore   ╔╗ external   ┌─ context ─┐"


@dataclass(frozen=True, slots=True)
class Region:
    """The cells `x0 <= x < x1`, `y0 <= y < y1` and what they show.

    `component` is set on boxes and frames; `edges` lists the (src, dst) pairs drawn
    there; `mode` is "sync" or "async" on edge parts. Regions may overlap where
    edges share a line; later ones are drawn on top.
    """

    x0: int
    y0: int
    x1: int
    y1: int
    kind: RegionKind
    component: str | None = None
    edges: tuple[tuple[str, str], ...] = ()
    mode: str | None = None


_BUCKET = 32


@dataclass(frozen=True, slots=True)
class Rendered:
    """The diagram as sparse rows of cells: `rows[y][x]` is the text of a drawn cell
    ('' for the right half of a wide character); missing cells are blank."""

    width: int
    height: int
    rows: list[dict[int, str]]
    regions: tuple[Region, ...]
    layout: Layout

    def line(self, y: int, x0: int = 0, x1: int | None = None) -> str:
        """Cells `x0 <= x < x1` of row `y` as a string exactly `x1 - x0` cells wide."""
        return "".join(self.cells(y, x0, x1))

    def cells(self, y: int, x0: int = 0, x1: int | None = None) -> list[str]:
        """Cells `x0 <= x < x1` of row `y`, one entry per cell ('' right of a wide
        character); a wide character cut in half at either end becomes a space."""
        end = self.width if x1 is None else x1
        cells = [" "] * max(0, end - x0)
        for x, ch in self.rows[y].items():
            if x0 <= x < end:
                cells[x - x0] = ch
        if cells and cells[0] == "":
            cells[0] = " "
        if cells and end < self.width and self.rows[y].get(end) == "":
            cells[-1] = " "
        return cells

    @property
    def lines(self) -> list[str]:
        """One string per row; each is exactly `width` cells wide."""
        return [self.line(y) for y in range(self.height)]

    def region_index(self) -> dict[int, list[Region]]:
        """Regions by bands of 32 rows (a region is listed in every band it touches);
        `regions_at` uses it so a UI finds a row's regions without a full scan."""
        index: dict[int, list[Region]] = {}
        for r in self.regions:
            for band in range(r.y0 // _BUCKET, (r.y1 - 1) // _BUCKET + 1):
                index.setdefault(band, []).append(r)
        return index


def regions_at(index: dict[int, list[Region]], y: int) -> list[Region]:
    """Regions covering row `y`, in drawing order, from a `region_index`."""
    return [r for r in index.get(y // _BUCKET, ()) if r.y0 <= y < r.y1]


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows: list[dict[int, str]] = [{} for _ in range(height)]
        self.regions: list[Region] = []

    def text(self, x: int, y: int, text: str, limit: int) -> int:
        """Write clean `text` cut to `limit` cells; returns the cells written."""
        cells = to_cells(clip(text, max(0, min(limit, self.width - x))))
        self.rows[y].update(zip(range(x, x + len(cells)), cells, strict=True))
        return len(cells)

    def hline(self, x: int, y: int, w: int, left: str, mid: str, right: str) -> None:
        row = self.rows[y]
        row.update(dict.fromkeys(range(x + 1, x + w - 1), mid))
        row[x], row[x + w - 1] = left, right

    def rect(self, x: int, y: int, w: int, h: int, style: str) -> None:
        tl, hz, tr, vt, bl, br = tuple(style)
        self.hline(x, y, w, tl, hz, tr)
        self.hline(x, y + h - 1, w, bl, hz, br)
        for yy in range(y + 1, y + h - 1):
            self.rows[yy][x] = vt
            self.rows[yy][x + w - 1] = vt


def _draw_frame(cv: _Canvas, f: Frame) -> None:
    cv.rect(f.x, f.y, f.w, f.h, BORDERS["frame"])
    x1, y1 = f.x + f.w, f.y + f.h
    for part in (
        (f.x, f.y, x1, f.y + 1),
        (f.x, y1 - 1, x1, y1),
        (f.x, f.y, f.x + 1, y1),
        (x1 - 1, f.y, x1, y1),
    ):
        cv.regions.append(Region(*part, "frame", f.id))
    if f.w >= 8 and f.label:
        n = cv.text(f.x + 3, f.y, f" {f.label} ", f.w - 5)
        cv.regions.append(Region(f.x + 3, f.y, f.x + 3 + n, f.y + 1, "frame-label", f.id))


def _draw_box(cv: _Canvas, b: Box) -> None:
    cv.rect(b.x, b.y, b.w, b.h, BORDERS[b.kind])
    inner = b.w - 4
    for i, line in enumerate((b.title, b.subtitle)):
        text = fit(line, inner)
        pad = (inner - cell_width(text)) // 2
        cv.text(b.x + 2 + pad, b.y + 1 + i, text, inner - pad)
    cv.regions.append(Region(b.x, b.y, b.x + b.w, b.y + b.h, b.kind, b.id))


def render(layout: Layout, legend: bool = True) -> Rendered:
    """Draw `layout`; the legend goes on row 0 when asked (the layout leaves it free),
    followed by the layout engine used and why, when it fell back."""
    engine = "Graphviz dot" if layout.engine == "dot" else "built-in"
    key = f"{LEGEND}   layout: {engine}" + "".join(f" ({n})" for n in layout.notes)
    width = max(layout.width, cell_width(key) + 1 if legend else 0)
    cv = _Canvas(width, layout.height)
    if legend:
        n = cv.text(0, 0, key, width)
        cv.regions.append(Region(0, 0, n, 1, "legend"))
    for f in layout.frames:
        _draw_frame(cv, f)
    for b in layout.boxes:
        _draw_box(cv, b)
    _draw_edges(cv, layout)
    return Rendered(width, layout.height, cv.rows, tuple(cv.regions), layout)


def _draw_edges(cv: _Canvas, layout: Layout) -> None:
    bits: dict[tuple[int, int], int] = {}
    owner: dict[tuple[int, int], int] = {}  # route index, or -1 when shared
    solid: set[tuple[int, int]] = set()
    for ri, r in enumerate(layout.routes):
        cells: list[tuple[int, int]] = []
        edge = ((r.src, r.dst),)
        for (x0, y0), (x1, y1) in pairwise(r.points):
            if y0 == y1:
                lo, hi = min(x0, x1), max(x0, x1)
                run = [(x, y0) for x in range(lo, hi + 1)]
                inner, first, last = E | W, E, W
                cv.regions.append(Region(lo, y0, hi + 1, y0 + 1, "edge", None, edge, r.mode))
            else:
                lo, hi = min(y0, y1), max(y0, y1)
                run = [(x0, y) for y in range(lo, hi + 1)]
                inner, first, last = N | S, S, N
                cv.regions.append(Region(x0, lo, x0 + 1, hi + 1, "edge", None, edge, r.mode))
            for c in run[1:-1]:
                bits[c] = bits.get(c, 0) | inner
            # The ends of a run only point inwards (a corner, or a stub's tip).
            bits[run[0]] = bits.get(run[0], 0) | first
            bits[run[-1]] = bits.get(run[-1], 0) | last
            cells.extend(run)
        for c in cells:
            o = owner.get(c)
            owner[c] = ri if o is None or o == ri else -1
        if r.mode == "sync":
            solid.update(cells)
    rows = cv.rows
    for (x, y), b in bits.items():
        rows[y][x] = (_SOLID if (x, y) in solid else _DASHED).get(b, "·")
    arrows: dict[tuple[int, int], str] = {}
    for r in layout.routes:
        glyph = {"right": "▶▷", "left": "◀◁"}[r.arrow_dir][0 if r.mode == "sync" else 1]
        if arrows.get(r.arrow) not in ("▶", "◀"):
            arrows[r.arrow] = glyph
    for r in layout.routes:
        (x, y), edge = r.arrow, ((r.src, r.dst),)
        rows[y][x] = arrows[r.arrow]
        cv.regions.append(Region(x, y, x + 1, y + 1, "arrow", None, edge, r.mode))
    _draw_labels(cv, layout, bits, owner, set(arrows))


def _draw_labels(
    cv: _Canvas,
    layout: Layout,
    bits: dict[tuple[int, int], int],
    owner: dict[tuple[int, int], int],
    taken: set[tuple[int, int]],
) -> None:
    """Write each label on the longest straight run of line its edge has alone."""
    for ri, r in enumerate(layout.routes):
        if not r.label:
            continue
        best = (0, 0, 0)  # length, x, y
        for (x0, y0), (x1, y1) in pairwise(r.points):
            if y0 != y1:
                continue
            run = 0
            for x in range(min(x0, x1) + 1, max(x0, x1)):
                c = (x, y0)
                ok = owner.get(c) == ri and bits[c] == E | W and c not in taken
                run = run + 1 if ok else 0
                if run > best[0]:
                    best = (run, x - run + 1, y0)
        length, x, y = best
        if length < 6:
            continue
        n = cv.text(x + 1, y, fit(r.label, length - 2), length - 2)
        taken.update((xx, y) for xx in range(x + 1, x + 1 + n))
        cv.regions.append(
            Region(x + 1, y, x + 1 + n, y + 1, "edge-label", None, ((r.src, r.dst),), r.mode)
        )
