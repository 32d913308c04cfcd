"""Vertical placement: pack blocks into rows so nothing ever overlaps.

A block spans a run of columns and owns a rectangle of rows across all of them:
a single box, a framed context (its members packed inside it the same way) or a
*lane*, the one row a long edge travels along. Lanes also reserve their row in the
columns of both endpoints, so no box stub ever runs on the same row as a lane.
Boxes start on even rows: out-ports (title row) are then odd and in-ports (subtitle
row) even, so an edge leaving one box never shares a row segment with an edge
entering another in the same gap. One-row boxes (MICRO) have a single port row and
no parity: routing orders their tracks instead.

Two modes: without wanted rows, blocks stack in key order (a skyline); with wanted
rows (from dot's coordinates) each block takes the first free rows at or below
the row it wants, so dot's picture is kept wherever it fits.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from .shapes import BOX_HEIGHT

BlockKind = Literal["node", "lane", "cluster"]


@dataclass(slots=True)
class Block:
    """Something to place: `first..last` are the columns it reserves."""

    id: str
    kind: BlockKind
    first: int
    last: int
    key: float = 0.0
    want: int | None = None
    children: list[Block] = field(default_factory=list)
    y: int = 0
    height: int = 0


class _Columns:
    """Occupied row intervals per column (each block plus `gap` blank rows below)."""

    def __init__(self, columns: int, gap: int = 1) -> None:
        self.gap = gap
        self.starts: list[list[int]] = [[] for _ in range(columns)]
        self.ends: list[list[int]] = [[] for _ in range(columns)]
        self.skyline = [0] * columns

    def lowest_free(self, first: int, last: int, y: int, height: int) -> int:
        """First row >= y where rows y..y+height are free in every column."""
        moved = True
        while moved:
            moved = False
            for c in range(first, last + 1):
                starts, ends = self.starts[c], self.ends[c]
                i = bisect.bisect_right(starts, y + height) - 1
                if i >= 0 and ends[i] > y:
                    y = ends[i]
                    moved = True
        return y

    def occupy(self, first: int, last: int, y: int, height: int) -> None:
        for c in range(first, last + 1):
            i = bisect.bisect_left(self.starts[c], y)
            self.starts[c].insert(i, y)
            self.ends[c].insert(i, y + height + self.gap)
            self.skyline[c] = max(self.skyline[c], y + height + self.gap)


def _parity_fix(block: Block, y: int, origin: int) -> int:
    # Boxes on even absolute rows; cluster tops odd, so their members start even.
    if origin < 0:  # one-row boxes: no parity
        return y
    if block.kind == "node" and (origin + y) % 2:
        return y + 1
    if block.kind == "cluster" and (origin + y) % 2 == 0:
        return y + 1
    return y


def pack(
    blocks: list[Block],
    columns: int,
    origin: int = 0,
    base_want: int = 0,
    box_height: int = BOX_HEIGHT,
    gap: int = 1,
) -> int:
    """Place `blocks` top-down; returns the rows used.

    `origin` is the absolute row of relative row 0 (for the parity rule; negative:
    no parity, for one-row boxes) and
    `base_want` is subtracted from wanted rows (members of a cluster want rows
    relative to it). Cluster blocks are packed recursively first. Boxes are
    `box_height` rows tall and every block keeps `gap` blank rows below it.
    """
    cols = _Columns(max(columns, 1), gap)
    for block in blocks:
        if block.kind == "node":
            block.height = box_height
        elif block.kind == "lane":
            block.height = 1
        else:
            inner_base = (block.want if block.want is not None else 0) + 1
            inner = pack(
                block.children, columns, 0 if origin >= 0 else -1, inner_base, box_height, gap
            )
            block.height = inner + 2
    if any(b.want is not None for b in blocks):
        ordered = sorted(blocks, key=lambda b: (b.want or 0, b.key))
    else:
        ordered = sorted(blocks, key=lambda b: b.key)
    for block in ordered:
        if block.want is None:
            y = max(cols.skyline[block.first : block.last + 1])
            y = _parity_fix(block, y, origin)
        else:
            y = max(0, block.want - base_want)
            while True:
                y = _parity_fix(
                    block, cols.lowest_free(block.first, block.last, y, block.height), origin
                )
                if cols.lowest_free(block.first, block.last, y, block.height) == y:
                    break
        block.y = y
        cols.occupy(block.first, block.last, y, block.height)
    return max(cols.skyline) - gap if blocks else 0


def absolute_rows(blocks: list[Block], base: int = 0) -> dict[str, int]:
    """Absolute top row of every block id, cluster members included."""
    rows: dict[str, int] = {}
    for b in blocks:
        rows[b.id] = base + b.y
        if b.kind == "cluster":
            rows.update(absolute_rows(b.children, base + b.y + 1))
    return rows
