"""Draw a `Layout` on a character grid, with style regions for the UI to colour.

Frames first, then boxes, then edges (see `edges`). The grid never grows past its
width: every label was cut to fit its box, frame or run of line before it is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .canvas import Canvas, Region, RegionKind
from .edges import Superseded, draw_edges
from .shapes import Box, Frame, Layout, Route
from .text import cell_width, clip

BORDERS: dict[str, str] = {
    # top-left, horizontal, top-right, vertical, bottom-left, bottom-right
    "service": "┌─┐│└┘",
    "datastore": "╭─╮│╰╯",
    "external": "╔═╗║╚╝",
    "frame": "┌─┐│└┘",
}
BRACKETS: dict[str, tuple[str, str]] = {
    # one-row boxes (MICRO): the same shapes as the borders, in one row
    "service": ("[", "]"),
    "datastore": ("(", ")"),
    "external": ("«", "»"),
}
LEGEND = "─▶ sync call   ┄▷ async message   ┌┐ service   ╭╮ datastore   ╔╗ external   ┌─ context ─┐"


_BUCKET = 32
_XBUCKET = 128


@dataclass(frozen=True, slots=True)
class Rendered:
    """The diagram as sparse rows of cells: `rows[y][x]` is the text of a drawn cell
    ('' for the right half of a wide character); missing cells are blank."""

    width: int
    height: int
    rows: list[dict[int, str]]
    regions: tuple[Region, ...]
    layout: Layout
    partial: bool = False
    """Only part of the layout was drawn (see `render`'s clip)."""

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

    def region_index(self) -> RegionIndex:
        """Regions by tiles of 32 rows x 128 cells (a region is listed in every tile
        it touches, with its drawing position); `regions_at` uses it so a UI finds
        the regions of one row of its window without a scan of the whole row."""
        index: RegionIndex = {}
        for i, r in enumerate(self.regions):
            bx0, bx1 = r.x0 // _XBUCKET, (r.x1 - 1) // _XBUCKET + 1
            for band in range(r.y0 // _BUCKET, (r.y1 - 1) // _BUCKET + 1):
                for bx in range(bx0, bx1):
                    index.setdefault((band, bx), []).append((i, r))
        return index


RegionIndex = dict[tuple[int, int], list[tuple[int, Region]]]
"""Regions by (row band, column band), each with its position in drawing order."""


def regions_at(index: RegionIndex, y: int, x0: int, x1: int) -> list[Region]:
    """Regions covering row `y` and meeting cells `x0 <= x < x1`, in drawing order,
    from a `region_index`."""
    band = y // _BUCKET
    lo, hi = x0 // _XBUCKET, (x1 - 1) // _XBUCKET
    if lo == hi:  # the usual case: the window lies in one tile, no duplicates
        return [
            r for _, r in index.get((band, lo), ()) if r.y0 <= y < r.y1 and r.x0 < x1 and x0 < r.x1
        ]
    found: dict[int, Region] = {}
    for bx in range(lo, hi + 1):
        for i, r in index.get((band, bx), ()):
            if r.y0 <= y < r.y1 and r.x0 < x1 and x0 < r.x1:
                found[i] = r
    return [found[i] for i in sorted(found)]


def _draw_frame(cv: Canvas, f: Frame) -> None:
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


def _draw_box(cv: Canvas, b: Box) -> None:
    cv.regions.append(Region(b.x, b.y, b.x + b.w, b.y + b.h, b.kind, b.id))
    if b.h == 1:  # one row: the title between the kind's brackets, `[name]`
        left, right = BRACKETS[b.kind]
        cv.text(b.x, b.y, left, 1)
        cv.text(b.x + 1, b.y, b.title, b.w - 2)
        cv.text(b.x + b.w - 1, b.y, right, 1)
        return
    cv.rect(b.x, b.y, b.w, b.h, BORDERS[b.kind])
    if b.h == 2:  # a short box: the title in its top border, the subtitle in its bottom
        cv.text(b.x + 1, b.y, b.title, b.w - 2)
        cv.text(b.x + 1, b.y + 1, b.subtitle, b.w - 2)
        return
    inner = b.w - 4
    for i, line in enumerate((b.title, b.subtitle)):
        text = clip(line, inner)
        pad = (inner - cell_width(text)) // 2
        cv.text(b.x + 2 + pad, b.y + 1 + i, text, inner - pad)


Clip = tuple[int, int, int, int]
"""x0, y0, x1, y1: a rectangle of cells (half-open)."""


def _meets(clip: Clip | None, x0: int, y0: int, x1: int, y1: int) -> bool:
    return clip is None or (x0 < clip[2] and clip[0] < x1 and y0 < clip[3] and clip[1] < y1)


def legend_text(layout: Layout) -> str:
    """The legend row of `layout`: the symbols, the layout engine and any notes."""
    engine = "Graphviz dot" if layout.engine == "dot" else "built-in"
    return f"{LEGEND}   layout: {engine}" + "".join(f" ({n})" for n in layout.notes)


def picture_width(layout: Layout) -> int:
    """Cells the rendered picture of `layout` is wide (its legend may be the widest)."""
    return max(layout.width, cell_width(legend_text(layout)) + 1 if layout.legend else 0)


def render(
    layout: Layout,
    legend: bool = True,
    clip: Clip | None = None,
    stop: Callable[[], bool] | None = None,
) -> Rendered:
    """Draw `layout`; the legend goes on row 0 when asked (the layout leaves it free),
    followed by the layout engine used and why, when it fell back.

    With `clip`, only what meets that rectangle is drawn (the picture is `partial`):
    a quick first paint of the visible part of a big diagram. `stop`: see `draw_edges`
    (raises `Superseded`).
    """
    legend = legend and layout.legend
    key = legend_text(layout)
    width = picture_width(layout) if legend else layout.width
    cv = Canvas(width, layout.height)
    if legend:
        n = cv.text(0, 0, key, width)
        cv.regions.append(Region(0, 0, n, 1, "legend"))
    for f in layout.frames:
        if _meets(clip, f.x, f.y, f.x + f.w, f.y + f.h):
            _draw_frame(cv, f)
    for b in layout.boxes:
        if _meets(clip, b.x, b.y, b.x + b.w, b.y + b.h):
            _draw_box(cv, b)
    routes = layout.routes
    if clip is not None:
        routes = tuple(r for r in routes if _meets(clip, *_bounds(r)))
    wanted = (max(0, clip[1] - 1), clip[3] + 1) if clip is not None else None
    draw_edges(cv, routes, stop, wanted)
    return Rendered(width, layout.height, cv.rows, tuple(cv.regions), layout, clip is not None)


def _bounds(r: Route) -> Clip:
    xs = [p[0] for p in r.points]
    ys = [p[1] for p in r.points]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


__all__ = [
    "Region",
    "RegionIndex",
    "RegionKind",
    "Rendered",
    "Superseded",
    "regions_at",
    "render",
]
