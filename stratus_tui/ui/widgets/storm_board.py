"""The event-storming board: a horizontal timeline with one lane per sticky kind.

Drawn with the line API so a board of hundreds of stickies scrolls without mounting a
widget per sticky. The timeline is cut into time slices (columns): a slice takes the next
stickies in order, stacking several of a kind in their lane (a command over its event,
a burst of events from chaotic exploration), so a 160x48 terminal shows dozens of
stickies; each sticky still has its own cells, so nothing overlaps, and text is wrapped
and cut to them. Lanes with no sticky shrink to their label. The overview zoom draws
one line per sticky, a whole workshop's timeline on one screen. The lane labels stay put
on the left while the timeline scrolls under them.

Attributes down, messages up: the screen calls `show(...)`; the board posts
`CursorMoved` when a click moves the cursor.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
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
from ...core.storm.board import KINDS

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
HEAD_ROWS = 2
"""The ruler row (positions, cursor, pivotal marks) and the context band."""


@dataclass(frozen=True)
class Geometry:
    """How big a sticky is drawn: cells wide (with a space each side), rows tall (the
    last row a spacer when there are several), and the gap between time slices."""

    sticky_w: int
    rows: int
    gap: int = 1

    @property
    def col_w(self) -> int:
        return self.sticky_w + self.gap

    @property
    def text_w(self) -> int:
        return self.sticky_w - 2

    @property
    def text_rows(self) -> int:
        return max(1, self.rows - 1)


NORMAL = Geometry(sticky_w=16, rows=3)
"""14 cells x 2 lines of text: eight time slices across 160 columns."""
MOST_TEXT_ROWS = 4
"""Lines of text a sticky may grow to when the board has the rows to spare."""
OVERVIEW = Geometry(sticky_w=7, rows=1)
"""The zoomed-out board: 5 cells x 1 line, a 150-sticky timeline on one screen."""
STICKY_W = NORMAL.sticky_w
COL_W = NORMAL.col_w


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


def _deepest_stacks(items: Sequence[StormItem]) -> Counter[StickyKind]:
    """Per kind, the most stickies one time slice could stack in its lane: slices end at
    a pivotal event or a change of context, so no lane needs more rows than that."""
    deepest: Counter[StickyKind] = Counter()
    run: Counter[StickyKind] = Counter()
    previous: object = None
    for item in items:
        if item.pivotal or item.context != previous:
            run.clear()
            previous = item.context
        run[item.kind] += 1
        deepest[item.kind] = max(deepest[item.kind], run[item.kind])
    return deepest


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
        self.dots: dict[str, int] = {}
        """Dot votes per sticky id (live workshops), drawn on the sticky."""
        self.geometry = NORMAL
        self._overview = False
        self.lane_h = NORMAL.rows
        """Rows per sticky (the spacer row included)."""
        self.slices: list[TimeSlice] = []
        self.item_slice: list[int] = []
        self.lane_rows: dict[StickyKind, int] = {kind: NORMAL.rows for kind in KINDS}
        self.lane_top: dict[StickyKind, int] = {}
        self._row_lane: list[tuple[StickyKind, int]] = []
        self._parity: list[bool] = []
        self._first_visible = 0
        self._styles: dict[str, Style] = {}
        self._lines: dict[tuple[str, int, int], list[str]] = {}

    # ------------------------------------------------------------------ data in

    def show(
        self,
        items: tuple[StormItem, ...],
        contexts: tuple[BoardContext, ...],
        dots: dict[str, int] | None = None,
    ) -> None:
        """Draw these stickies (in timeline order) and contexts."""
        self.items = items
        self.contexts = {c.id: c for c in contexts}
        self.dots = dict(dots or {})
        if self.mark_from is not None and self.mark_from >= len(items):
            self.mark_from = None
        self.cursor = self.clamp(self.cursor)
        self._layout()
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

    @property
    def overview(self) -> bool:
        return self._overview

    def set_overview(self, on: bool) -> None:
        """Zoom out to the whole timeline (one line per sticky) or back in."""
        self._overview = on
        self._layout()
        self.scroll_to_cursor()
        self.refresh()

    # ------------------------------------------------------------------ geometry

    def _layout(self) -> None:
        """Share the rows among the lanes, then cut the timeline into time slices.

        Lanes with no sticky keep one row (their label); the others share the rest in
        proportion to how many stickies they hold. A time slice is one column: it takes
        the next stickies in timeline order, several of a kind stacked in their lane, and
        ends where a lane is full, a pivotal event starts, or the context changes.
        """
        self._lines.clear()
        height = self.scrollable_content_region.height or self.size.height
        avail = max(len(KINDS), height - HEAD_ROWS)
        counts = Counter(item.kind for item in self.items)
        used = [kind for kind in KINDS if counts[kind]] or list(KINDS)
        stack = _deepest_stacks(self.items)
        g = OVERVIEW if self._overview else self._fitted(avail, used, stack)
        self.geometry = g
        rows = {kind: (g.rows if kind in used else 1) for kind in KINDS}
        spare = avail - sum(rows.values())
        if spare > 0:
            total = sum(counts[kind] for kind in used) or len(used)
            for kind in used:
                share = spare * (counts[kind] or 1) // total
                rows[kind] += share - share % g.rows
                # never taller than its deepest stack: no empty rows under the stickies
                rows[kind] = min(rows[kind], g.rows * max(1, stack[kind]))
        self.lane_rows = rows
        top = 0
        self._row_lane = []
        for kind in KINDS:
            self.lane_top[kind] = top
            self._row_lane.extend((kind, offset) for offset in range(rows[kind]))
            top += rows[kind]
        self.lane_h = g.rows
        self.slices = []
        self.item_slice = []
        current: TimeSlice | None = None
        for index, item in enumerate(self.items):
            capacity = max(1, rows[item.kind] // g.rows)
            if (
                current is None
                or item.pivotal
                or len(current.lanes.get(item.kind, ())) >= capacity
                or item.context != self.items[current.first].context
            ):
                current = TimeSlice(first=index)
                self.slices.append(current)
            current.lanes.setdefault(item.kind, []).append(index)
            current.last = index
            self.item_slice.append(len(self.slices) - 1)
        self._parity = []
        run, previous = 0, None
        for piece in self.slices:
            context = self.items[piece.first].context
            if context != previous:
                run += 1
                previous = context
            self._parity.append(run % 2 == 0)
        columns = len(self.slices) + 1  # a free column after the last slice
        self.virtual_size = Size(GUTTER + columns * g.col_w, HEAD_ROWS + top)

    def _fitted(self, avail: int, used: list[StickyKind], stack: Counter[StickyKind]) -> Geometry:
        """NORMAL, or taller stickies (up to MOST_TEXT_ROWS lines of text) when some
        text needs the lines and every lane's deepest stack still fits the height."""
        width = NORMAL.text_w
        need = max(
            (len(textwrap.wrap(_clean(item.text), width=width)) for item in self.items),
            default=1,
        )
        unused = len(KINDS) - len(used)
        for text_rows in range(min(need, MOST_TEXT_ROWS), NORMAL.text_rows, -1):
            rows = text_rows + 1
            if sum(rows * max(1, stack[kind]) for kind in used) + unused <= avail:
                return Geometry(sticky_w=NORMAL.sticky_w, rows=rows)
        return NORMAL

    def on_resize(self, _event: Resize) -> None:
        self._layout()
        self.scroll_to_cursor()

    def watch_cursor(self) -> None:
        self.scroll_to_cursor()
        self.refresh()

    def watch_mark_from(self) -> None:
        self.refresh()

    def visible_columns(self) -> int:
        return max(1, (self.scrollable_content_region.width - GUTTER) // self.geometry.col_w)

    def scroll_to_cursor(self) -> None:
        """Scroll by whole time slices, just enough to show the cursor's."""
        if not self.item_slice:
            return
        col_w = self.geometry.col_w
        column = self.item_slice[self.clamp(self.cursor)]
        visible = self.visible_columns()
        first = int(self.scroll_x) // col_w
        if column < first:
            first = column
        elif column >= first + visible:
            first = column - visible + 1
        x = first * col_w
        if x != self.scroll_x:
            self.scroll_to(x=x, animate=False, immediate=True)

    def cell_of(self, index: int) -> tuple[int, int]:
        """Where sticky `index`'s text starts, in board (virtual) cells."""
        item = self.items[index]
        piece = self.slices[self.item_slice[index]]
        stack = piece.lanes[item.kind].index(index)
        x = GUTTER + self.item_slice[index] * self.geometry.col_w + 1
        y = HEAD_ROWS + self.lane_top[item.kind] + stack * self.geometry.rows
        return x, y

    def column_at(self, x: int) -> int | None:
        """The time slice under widget cell x (None on the gutter or past the end)."""
        if x < GUTTER:
            return None
        column = (int(self.scroll_x) + x - GUTTER) // self.geometry.col_w
        return column if column < len(self.slices) else None

    def item_at(self, x: int, y: int) -> int | None:
        """The sticky under widget cell (x, y), else the first of the slice there."""
        column = self.column_at(x)
        if column is None:
            return None
        piece = self.slices[column]
        row = int(self.scroll_y) + y - HEAD_ROWS
        if 0 <= row < len(self._row_lane):
            kind, offset = self._row_lane[row]
            stack = piece.lanes.get(kind, [])
            if offset // self.geometry.rows < len(stack):
                return stack[offset // self.geometry.rows]
        return piece.first

    def on_click(self, event: Click) -> None:
        index = self.item_at(event.x, event.y)
        if index is not None:
            self.cursor = index
            self.post_message(self.CursorMoved(self, index))

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
        col_w = self.geometry.col_w
        width = self.scrollable_content_region.width
        view = max(0, width - GUTTER)
        first = scroll_x // col_w
        last = min(len(self.slices), (scroll_x + view) // col_w + 1)
        self._first_visible = first
        segments: list[Segment] = []
        for column in range(first, last + 1):
            segments.extend(self._cell(row, column))
        board = Strip(segments, (last - first + 1) * col_w).crop(
            scroll_x - first * col_w, scroll_x - first * col_w + view
        )
        gutter = Strip([self._gutter(row)], GUTTER)
        base = self._style("base")
        if not self.items and row == HEAD_ROWS:
            board = Strip([Segment(" Empty: type below", self._style("hint"))])
        return Strip.join([gutter, board]).extend_cell_length(width, base).crop(0, width)

    def _gutter(self, row: int) -> Segment:
        if row < HEAD_ROWS or row - HEAD_ROWS >= len(self._row_lane):
            label = "TIMELINE" if row == 0 else ("CONTEXT" if row == 1 else "")
            return Segment(set_cell_size(f" {label}", GUTTER), self._style("gutter"))
        kind, offset = self._row_lane[row - HEAD_ROWS]
        if offset == 0:
            return Segment(
                set_cell_size(f" {LANE_LABELS[kind]}", GUTTER - 1) + " ", self._style(kind)
            )
        return Segment(" " * GUTTER, self._style("gutter"))

    def _item_background(self, index: int) -> Style | None:
        marked = self.marked
        if marked is not None and marked[0] <= index <= marked[1]:
            return self._style("range")
        return None

    def _cell(self, row: int, column: int) -> list[Segment]:
        """The col_w cells of one time slice on one row."""
        g = self.geometry
        base = self._style("base")
        if column >= len(self.slices):
            return [Segment(" " * g.col_w, base)]
        piece = self.slices[column]
        cursor_here = bool(self.items) and self.item_slice[self.cursor] == column
        blank = self._style("cursor-column") if cursor_here else base
        following = self.slices[column + 1] if column + 1 < len(self.slices) else None
        pivotal = following is not None and self.items[following.first].pivotal
        in_board = row < HEAD_ROWS + len(self._row_lane)
        bar = "┃" if pivotal and in_board else " "
        gap = Segment(bar + " " * (g.gap - 1), self._style("pivotal") if pivotal else base)
        if row == 0:
            return [self._ruler(column, piece, cursor_here), gap]
        if row == 1:
            band = self._context_band(column, piece, blank)
            context = self.items[piece.first].context
            joined = following is not None and self.items[following.first].context == context
            if not pivotal and context is not None and joined:
                gap = Segment(" " * g.gap, band.style)  # one band across the run
            return [band, gap]
        if row - HEAD_ROWS >= len(self._row_lane):
            return [Segment(" " * g.sticky_w, blank), gap]
        kind, offset = self._row_lane[row - HEAD_ROWS]
        stack, line = divmod(offset, g.rows)
        indexes = piece.lanes.get(kind, [])
        if stack >= len(indexes) or (g.rows > 1 and line == g.rows - 1):
            return [Segment(" " * g.sticky_w, blank), gap]
        index = indexes[stack]
        text = self._sticky_lines(index)[line]
        style = self._style(self.items[index].kind)
        background = self._item_background(index)
        if background is not None:
            style += background
        if index == self.cursor:
            style += self._style("cursor")
        return [Segment(f" {text} ", style), gap]

    def _sticky_lines(self, index: int) -> list[str]:
        item = self.items[index]
        g = self.geometry
        dots = self.dots.get(item.id, 0)
        text = ("◆ " if item.pivotal else "") + (f"●{dots} " if dots else "") + item.text
        key = (text, g.text_w, g.text_rows)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = sticky_lines(text, g.text_w, g.text_rows)
        return lines

    def _ruler(self, column: int, piece: TimeSlice, cursor_here: bool) -> Segment:
        g = self.geometry
        mark = "▼" if cursor_here else " "
        pivotal = self.items[piece.first].pivotal
        label = f"{mark}{piece.first + 1}"
        if g.sticky_w > 10 and piece.last > piece.first:
            label += f"-{piece.last + 1}"
        if pivotal and g.sticky_w > 10:
            label += " ◆"
        style = self._style("ruler-cursor" if cursor_here else "ruler")
        if pivotal and not cursor_here:
            style = self._style("pivotal")
        return Segment(set_cell_size(label, g.sticky_w), style)

    def _context_band(self, column: int, piece: TimeSlice, blank: Style) -> Segment:
        g = self.geometry
        item = self.items[piece.first]
        ctx = self.contexts.get(item.context or "")
        if ctx is None:
            return Segment(" " * g.sticky_w, blank)
        previous = self.items[self.slices[column - 1].first].context if column > 0 else None
        style = self._style("context-alt" if self._parity[column] else "context")
        # The name at the start of a run and at the left edge of the view.
        named = previous != ctx.id or column == self._first_visible
        return Segment(set_cell_size(f" {ctx.name}" if named else "", g.sticky_w), style)


@dataclass
class TimeSlice:
    """One column of the board: stickies from `first` to `last` on the timeline, by lane."""

    first: int
    last: int = 0
    lanes: dict[StickyKind, list[int]] = field(default_factory=dict)
