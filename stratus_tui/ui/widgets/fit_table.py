"""A DataTable whose first column (a name) takes whatever width the others leave.

Verdict tables put the pattern name first: on an 80-column terminal a name in the last
column was cut to a few letters. Here the name column is sized to the table's width
(names longer than that end in "…"; the full name is in the detail beside the table),
and the rows are refitted when the table is resized. The columns are made once, in
`__init__`, and never rebuilt: rows always match them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable

Row = tuple[Sequence[Any], str]
"""The cells after the name (name first in `names`), and the row key."""


class FitTable(DataTable[Any]):
    """`columns`: the flexible name column's label, then (label, width) of the others."""

    MIN_NAME = 10
    """Narrowest the name column gets; below that the table scrolls sideways."""

    def __init__(
        self,
        name_label: str,
        columns: Sequence[tuple[str, int]],
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id, cursor_type="row")
        self._fixed = [max(width, len(label)) for label, width in columns]
        self._name_key = self.add_column(name_label, width=self.MIN_NAME)
        for (label, _width), width in zip(columns, self._fixed, strict=True):
            self.add_column(label, width=width)
        self._names: list[Text] = []
        self._rows: list[Row] = []
        self._fitted = -1

    def name_width(self) -> int:
        """Cells the name column can have at the table's current width."""
        width = self.size.width
        if width <= 0:  # not laid out yet: the resize after layout refits
            return self.MIN_NAME
        pad = 2 * self.cell_padding
        # Room for a vertical scrollbar is kept: rows arriving later may bring one, and
        # that does not resize the table (so it could not be refitted then).
        scrollbar = self.styles.scrollbar_size_vertical
        used = sum(w + pad for w in self._fixed) + pad + scrollbar
        return max(self.MIN_NAME, width - used)

    def set_rows(self, names: Sequence[Text | str], rows: Sequence[Row]) -> None:
        """Replace every row; keeps the cursor on the same row number."""
        self._names = [n if isinstance(n, Text) else Text(n) for n in names]
        self._rows = list(rows)
        self._fill()

    def _fill(self) -> None:
        width = self.name_width()
        self._fitted = width
        row = self.cursor_row
        self.columns[self._name_key].width = width
        self.clear()  # also drops the render caches that knew the old width
        for name, (cells, key) in zip(self._names, self._rows, strict=True):
            shown = name.copy()
            shown.truncate(width, overflow="ellipsis")
            self.add_row(shown, *cells, key=key)
        if self._rows:
            self.move_cursor(row=min(max(row, 0), len(self._rows) - 1), animate=False)

    def on_resize(self, _event: events.Resize) -> None:
        if self.name_width() != self._fitted:
            self._fill()


class SteadyTable(DataTable[Any]):
    """A DataTable of a fixed size (a `1fr` box) whose new rows re-lay out nothing.

    DataTable sets its `virtual_size`, a layout reactive, whenever its rows change:
    a list pane that refills a table for each highlighted item (a flow's steps)
    re-laid out the whole screen per arrow key. The table's own box does not depend
    on its rows, only its scrollbars do: they are updated here, and a scrollbar that
    appears or goes still lays the screen out (Textual's `show_*_scrollbar`).
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The rows' extent, for scrolling; repaints the table, no screen layout."""

    def watch_virtual_size(self, size: Size) -> None:
        if self.is_mounted and self.container_size:
            self._scroll_update(size)
