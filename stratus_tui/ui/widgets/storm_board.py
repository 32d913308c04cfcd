"""The event-storming board: a horizontal timeline with one lane per sticky kind.

Drawn with the line API so a board of hundreds of stickies scrolls without mounting a
widget per sticky. Every sticky has its own column (the timeline is strict), so nothing
can overlap; text is wrapped and cut to the sticky's cells. The lane labels stay put on
the left while the timeline scrolls under them.

Attributes down, messages up: the screen calls `show(...)`; the board posts
`CursorMoved` when a click moves the cursor.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.events import Click, Resize
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.model import StickyKind, StormItem
from ...core.storm import KINDS

LANE_LABELS: dict[StickyKind, str] = {
    "event": "EVENTS",
    "command": "COMMANDS",
    "actor": "ACTORS",
    "aggregate": "AGGREGATES",
    "policy": "POLICIES",
    "read_model": "READ MODELS",
    "external": "SYSTEMS",
    "hotspot": "HOTSPOTS",
}
GUTTER = 13
"""Cells of the lane-label column on the left (fixed while the timeline scrolls)."""
STICKY_W = 20
GAP = 2
COL_W = STICKY_W + GAP
HEAD_ROWS = 2
"""The ruler row (positions, cursor, pivotal marks) and the context band."""
MIN_LANE_H, MAX_LANE_H = 3, 6


def _clean(text: str) -> str:
    # Control characters would move the terminal cursor; newlines become spaces.
    return "".join(ch if ch.isprintable() else " " for ch in text)


def sticky_lines(text: str, width: int, height: int) -> list[str]:
    """The sticky's text wrapped into `height` lines of exactly `width` cells; text that
    does not fit ends with an ellipsis."""
    wrapped = textwrap.wrap(_clean(text), width=width) or [""]
    if len(wrapped) > height:
        wrapped = wrapped[:height]
        last = wrapped[-1]
        wrapped[-1] = (set_cell_size(last, width - 1) if cell_len(last) >= width else last) + "…"
    return [set_cell_size(line, width) for line in wrapped] + [" " * width] * (
        height - len(wrapped)
    )


@dataclass(frozen=True)
class BoardContext:
    """A context as the board shows it."""

    id: str
    name: str


class StormBoard(ScrollView, can_focus=True, inherit_bindings=False):
    """The timeline: columns are stickies in order, rows are lanes per kind.

    It has no key bindings of its own: the screen's keys move the cursor, and the view
    follows the cursor.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"storm-board--{kind}" for kind in KINDS),
        "storm-board--cursor",
        "storm-board--cursor-column",
        "storm-board--range",
        "storm-board--ruler",
        "storm-board--ruler-cursor",
        "storm-board--context",
        "storm-board--context-alt",
        "storm-board--pivotal",
        "storm-board--gutter",
        "storm-board--hint",
    }
    # The sticky colours are the event-storming legend (DDD Crew glossary) that a room
    # already knows, so they stay the same in every theme; dark ink reads on all of them.
    # Everything else uses the theme.
    DEFAULT_CSS = """
    StormBoard { background: $surface; scrollbar-size-horizontal: 1; }
    StormBoard:focus { background-tint: $foreground 3%; }
    StormBoard > .storm-board--event { background: #ff9f43; color: #1c1c1c; }
    StormBoard > .storm-board--command { background: #5aa9ff; color: #1c1c1c; }
    StormBoard > .storm-board--actor { background: #fff176; color: #1c1c1c; }
    StormBoard > .storm-board--aggregate { background: #f9c513; color: #1c1c1c; }
    StormBoard > .storm-board--policy { background: #c9a7ff; color: #1c1c1c; }
    StormBoard > .storm-board--read_model { background: #8be28f; color: #1c1c1c; }
    StormBoard > .storm-board--external { background: #f48fb1; color: #1c1c1c; }
    StormBoard > .storm-board--hotspot { background: #ff1f8e; color: #1c1c1c; }
    StormBoard > .storm-board--cursor { text-style: bold reverse; }
    StormBoard > .storm-board--cursor-column { background: $accent 20%; }
    StormBoard > .storm-board--range { background: $secondary 35%; }
    StormBoard > .storm-board--ruler { color: $text-muted; }
    StormBoard > .storm-board--ruler-cursor { color: $accent; text-style: bold; }
    StormBoard > .storm-board--context { background: $primary 45%; color: $text; text-style: bold; }
    StormBoard > .storm-board--context-alt {
        background: $secondary 45%; color: $text; text-style: bold;
    }
    StormBoard > .storm-board--pivotal { color: $error; text-style: bold; }
    StormBoard > .storm-board--gutter { color: $text-muted; text-style: bold; }
    StormBoard > .storm-board--hint { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, init=False)
    """Index of the sticky under the cursor on the timeline."""
    mark_from: reactive[int | None] = reactive(None, init=False)
    """Other end of a marked range (None when no range is marked)."""

    @dataclass
    class CursorMoved(Message):
        """The user put the cursor on another sticky (by clicking)."""

        board: StormBoard
        index: int

        @property
        def control(self) -> StormBoard:
            return self.board

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.items: tuple[StormItem, ...] = ()
        self.contexts: dict[str, BoardContext] = {}
        self.lane_h = 4
        self._parity: list[bool] = []
        self._first_visible = 0
        self._styles: dict[str, Style] = {}

    # ------------------------------------------------------------------ data in

    def show(self, items: tuple[StormItem, ...], contexts: tuple[BoardContext, ...]) -> None:
        """Draw these stickies (in timeline order) and contexts."""
        self.items = items
        self.contexts = {c.id: c for c in contexts}
        # Runs of neighbouring stickies in one context form a band; alternate shades.
        self._parity = []
        run, previous = 0, None
        for item in items:
            if item.context != previous:
                run += 1
                previous = item.context
            self._parity.append(run % 2 == 0)
        if self.mark_from is not None and self.mark_from >= len(items):
            self.mark_from = None
        self.cursor = self.clamp(self.cursor)
        self._resize_virtual()
        self.refresh()

    def clamp(self, index: int) -> int:
        return max(0, min(index, len(self.items) - 1)) if self.items else 0

    @property
    def selected(self) -> StormItem | None:
        return self.items[self.cursor] if self.items else None

    @property
    def marked(self) -> tuple[int, int] | None:
        """The marked range (first, last), inclusive, or None."""
        if self.mark_from is None or not self.items:
            return None
        lo, hi = sorted((self.mark_from, self.cursor))
        return lo, hi

    # ------------------------------------------------------------------ geometry

    def _resize_virtual(self) -> None:
        height = self.scrollable_content_region.height or self.size.height
        lanes = max(1, height - HEAD_ROWS)
        self.lane_h = max(MIN_LANE_H, min(MAX_LANE_H, lanes // len(KINDS)))
        columns = len(self.items) + 1  # a free column after the last sticky
        self.virtual_size = Size(GUTTER + columns * COL_W, HEAD_ROWS + len(KINDS) * self.lane_h)

    def on_resize(self, _event: Resize) -> None:
        self._resize_virtual()
        self.scroll_to_cursor()

    def watch_cursor(self) -> None:
        self.scroll_to_cursor()
        self.refresh()

    def watch_mark_from(self) -> None:
        self.refresh()

    def scroll_to_cursor(self) -> None:
        """Scroll by whole columns, just enough to show the cursor's column."""
        visible = max(1, (self.scrollable_content_region.width - GUTTER) // COL_W)
        first = int(self.scroll_x) // COL_W
        if self.cursor < first:
            first = self.cursor
        elif self.cursor >= first + visible:
            first = self.cursor - visible + 1
        x = first * COL_W
        if x != self.scroll_x:
            self.scroll_to(x=x, animate=False, immediate=True)

    def column_at(self, x: int) -> int | None:
        """The timeline index under widget cell x (None on the gutter or past the end)."""
        if x < GUTTER:
            return None
        column = (int(self.scroll_x) + x - GUTTER) // COL_W
        return column if column < len(self.items) else None

    def on_click(self, event: Click) -> None:
        column = self.column_at(event.x)
        if column is not None:
            self.cursor = column
            self.post_message(self.CursorMoved(self, column))

    # ------------------------------------------------------------------ drawing

    def notify_style_update(self) -> None:
        self._styles.clear()  # theme or CSS changed
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        # Cached: drawing asks for a style per cell, and Textual's lookups add up.
        style = self._styles.get(name)
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.get_component_rich_style(f"storm-board--{name}")
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        width = self.scrollable_content_region.width
        view = max(0, width - GUTTER)
        first = scroll_x // COL_W
        last = min(len(self.items), (scroll_x + view) // COL_W + 1)
        self._first_visible = first
        segments: list[Segment] = []
        for column in range(first, last + 1):
            segments.extend(self._cell(row, column))
        board = Strip(segments, (last - first + 1) * COL_W).crop(
            scroll_x - first * COL_W, scroll_x - first * COL_W + view
        )
        gutter = Strip([self._gutter(row)], GUTTER)
        base = self._style("base")
        return Strip.join([gutter, board]).extend_cell_length(width, base).crop(0, width)

    def _gutter(self, row: int) -> Segment:
        lane, offset = divmod(row - HEAD_ROWS, self.lane_h)
        if row < HEAD_ROWS or lane >= len(KINDS):
            label = "TIMELINE" if row == 0 else ("CONTEXT" if row == 1 else "")
            return Segment(set_cell_size(f" {label}", GUTTER), self._style("gutter"))
        if offset == 0:
            kind = KINDS[lane]
            return Segment(
                set_cell_size(f" {LANE_LABELS[kind]}", GUTTER - 1) + " ", self._style(kind)
            )
        return Segment(" " * GUTTER, self._style("gutter"))

    def _column_background(self, column: int) -> Style | None:
        marked = self.marked
        if marked is not None and marked[0] <= column <= marked[1]:
            return self._style("range")
        if column == self.cursor and self.items:
            return self._style("cursor-column")
        return None

    def _cell(self, row: int, column: int) -> list[Segment]:
        """The COL_W cells of one timeline column on one row."""
        blank = self._column_background(column) or self._style("base")
        if column >= len(self.items):
            if row == HEAD_ROWS and not self.items:
                return [Segment(set_cell_size(" Empty: type below", COL_W), self._style("hint"))]
            return [Segment(" " * COL_W, self._style("base"))]
        item = self.items[column]
        pivotal = item.pivotal and row < HEAD_ROWS + len(KINDS) * self.lane_h
        gap = Segment("┃ " if pivotal else "  ", self._style("pivotal") if pivotal else blank)
        if row == 0:
            return [self._ruler(column, item), gap]
        if row == 1:
            band = self._context_band(column, item, blank)
            following = self.items[column + 1].context if column + 1 < len(self.items) else None
            if not item.pivotal and item.context is not None and following == item.context:
                gap = Segment("  ", band.style)  # one band across the run
            return [band, gap]
        lane, offset = divmod(row - HEAD_ROWS, self.lane_h)
        if lane >= len(KINDS) or KINDS[lane] != item.kind or offset == self.lane_h - 1:
            return [Segment(" " * STICKY_W, blank), gap]
        text = ("◆ " if item.pivotal else "") + item.text
        line = sticky_lines(text, STICKY_W - 2, self.lane_h - 1)[offset]
        style = self._style(item.kind)
        if column == self.cursor:
            style += self._style("cursor")
        return [Segment(f" {line} ", style), gap]

    def _ruler(self, column: int, item: StormItem) -> Segment:
        mark = "▼" if column == self.cursor else " "
        label = f"{mark}{column + 1}" + (" pivotal" if item.pivotal else "")
        style = self._style("ruler-cursor" if column == self.cursor else "ruler")
        if item.pivotal and column != self.cursor:
            style = self._style("pivotal")
        return Segment(set_cell_size(label, STICKY_W), style)

    def _context_band(self, column: int, item: StormItem, blank: Style) -> Segment:
        ctx = self.contexts.get(item.context or "")
        if ctx is None:
            return Segment(" " * STICKY_W, blank)
        previous = self.items[column - 1].context if column > 0 else None
        style = self._style("context-alt" if self._parity[column] else "context")
        # The name at the start of a run and at the left edge of the view.
        named = previous != ctx.id or column == self._first_visible
        return Segment(set_cell_size(f" {ctx.name}" if named else "", STICKY_W), style)
