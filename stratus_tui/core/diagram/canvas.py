"""The character grid the renderer draws on, and the style regions it records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .text import char_width, clip, to_cells

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


class Canvas:
    """Sparse rows of cells plus the regions drawn so far."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows: list[dict[int, str]] = [{} for _ in range(height)]
        self.regions: list[Region] = []

    def text(self, x: int, y: int, text: str, limit: int) -> int:
        """Write clean `text` cut to `limit` cells; returns the cells written."""
        cells = to_cells(clip(text, max(0, min(limit, self.width - x))))
        self.rows[y].update(zip(range(x, x + len(cells)), cells, strict=True))
        return len(cells)

    def put(self, x: int, y: int, ch: str) -> None:
        """Write one narrow character; a wide one it cuts in half becomes a space."""
        row = self.rows[y]
        old = row.get(x)
        if old == "":
            row[x - 1] = " "
        elif old is not None and char_width(old) == 2:
            row[x + 1] = " "
        row[x] = ch

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
