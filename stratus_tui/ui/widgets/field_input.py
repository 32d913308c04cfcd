"""A form's Input and Select, whose new values never re-lay out the screen.

Textual's Input sets its `virtual_size` (a reactive with `layout=True`) on every
change of its text, so each keystroke in any form reflowed the whole screen: ~20-30
ms at 200 services, then a second frame repainting every scrollbar that the reflow
touched. A form's Input has a fixed size (one row, the form's width), so its text
never changes its region: only its own scroll extent, which Input reads from
`virtual_size` directly. Here that reactive repaints the Input alone.

A Select's shown value is a Static updated with a layout (its text may wrap): in a
form it is one row, cut with "…", so a new value (each arrow key in a list loads the
highlighted item's form) repaints the Select alone.
"""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, Select, Static
from textual.widgets._select import SelectCurrent


class FieldInput(Input):
    """A form field's Input (fixed size: one row, the width its container gives)."""

    DEFAULT_CSS = """
    FieldInput { height: 1; }
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The width of the text, for scrolling it; repaints the Input, no screen layout."""


class _Current(SelectCurrent):
    """The shown value of a `FieldSelect`: one row, so a new value needs no layout."""

    def update(self, label: Any) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        text: RenderableType = self.placeholder if label is Select.NULL else label
        self.query_one("#label", Static).update(text, layout=False)


class FieldSelect(Select[Any]):
    """A form field's Select (one row: a long value is cut, never wrapped)."""

    DEFAULT_CSS = """
    FieldSelect SelectCurrent Static#label {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield _Current(self.prompt) if type(widget) is SelectCurrent else widget


def set_text(static: Static, text: str) -> None:
    """Show `text` in `static`, laying the screen out again only when it takes another
    number of lines (a title above a list changes with each arrow key)."""
    width, before = static.content_size
    static.update(text, layout=False)
    if not width or static.get_content_height(static.size, static.app.size, width) != before:
        static.refresh(layout=True)
