"""What a layout produces, in character cells (x right, y down, 0-based)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .graph import EdgeMode, NodeKind

Point = tuple[int, int]

BOX_HEIGHT = 4
"""Border, title, subtitle, border."""


@dataclass(frozen=True, slots=True)
class Box:
    """A component's box; the text sits on rows `y + 1` and `y + 2`."""

    id: str
    kind: NodeKind
    x: int
    y: int
    w: int
    h: int
    title: str
    subtitle: str

    def contains(self, x: int, y: int) -> bool:
        """True when cell (x, y) lies on or inside the border."""
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


@dataclass(frozen=True, slots=True)
class Frame:
    """A bounded context: a labelled rectangle around its members' boxes."""

    id: str
    label: str
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True, slots=True)
class Route:
    """An edge drawn as an orthogonal polyline from `points[0]` to `points[-1]`.

    `arrow` is the cell that gets the arrowhead, next to the target's border, and
    `arrow_dir` the way it points.
    """

    src: str
    dst: str
    mode: EdgeMode
    label: str
    points: tuple[Point, ...]
    arrow: Point
    arrow_dir: Literal["left", "right"]


@dataclass(frozen=True, slots=True)
class Layout:
    """Boxes, frames and routes of a whole diagram, and the grid size they need."""

    width: int
    height: int
    boxes: tuple[Box, ...]
    frames: tuple[Frame, ...]
    routes: tuple[Route, ...]
    engine: Literal["dot", "layered"]
    notes: tuple[str, ...] = field(default=())
    legend: bool = True
    """Rows 0-1 are left free for the legend (the full level of detail)."""
    detail: str = "full"
    """The name of the level of detail it was drawn at (`graph.Detail.name`)."""
