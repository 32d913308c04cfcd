"""An Input whose typing never re-lays out the screen.

Textual's Input sets its `virtual_size` (a reactive with `layout=True`) on every
change of its text, so each keystroke in any form reflowed the whole screen: ~20-30
ms at 200 services, then a second frame repainting every scrollbar that the reflow
touched. A form's Input has a fixed size (one row, the form's width), so its text
never changes its region: only its own scroll extent, which Input reads from
`virtual_size` directly. Here that reactive repaints the Input alone.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FieldInput(Input):
    """A form field's Input (fixed size: one row, the width its container gives)."""

    DEFAULT_CSS = """
    FieldInput { height: 1; }
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The width of the text, for scrolling it; repaints the Input, no screen layout."""
