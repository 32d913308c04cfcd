"""Base of every workbench screen: header, body, footer; escape leaves a field."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Select, TextArea

from ..widgets.header import AppHeader
from ..workbench import Workbench, stratus_app

if TYPE_CHECKING:
    from ...core.model import Design


def typing_key(key: str) -> bool:
    """True for a key that types a character (`a`, `?`, `1`, space), not ctrl+a or f2."""
    character = key_to_character(key)
    return character is not None and character.isprintable()


def is_field(widget: Widget) -> bool:
    """True when `widget` is where the user types or picks a value: a text field, a
    dropdown, or anything inside a form."""
    from ..widgets.form import ModelForm

    if isinstance(widget, (Input, TextArea, Select)):
        return True
    return any(isinstance(node, ModelForm) for node in widget.ancestors_with_self)


class WorkbenchScreen(Screen[None]):
    """Subclasses implement `compose_body`; `TITLE` shows in the header."""

    TITLE_TEXT: ClassVar[str] = ""
    # First focus goes to a list, never into a field: in a field digits type, so the
    # first footer showed no 1-5 and the screen keys seemed not to work.
    AUTO_FOCUS = "#recent, DataTable, Tree, Tabs, SelectionList, StormBoard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave_field",
            "Leave field",
            show=False,
            id="screen.leave",
            tooltip="Move focus out of the current field so number keys switch screens",
        ),
    ]

    @property
    def stratus(self) -> Workbench:
        """The app, typed (read it; edits are posted: `messages.post_edit`)."""
        return stratus_app(self.app)

    @property
    def design(self) -> Design | None:
        return self.stratus.design

    @property
    def _binding_chain(self) -> list[tuple[DOMNode, BindingsMap]]:
        # Textual drops only the keys a focused Input or TextArea consumes; a focused
        # dropdown or any other part of a form let `a` (add), `r`, `x`, `y`, `n` fire from
        # the panes around it while the user was typing. In a field, single characters
        # belong to the field: other bindings with them are dropped (footer and `?` too).
        chain = super()._binding_chain
        focused = self.focused
        if focused is None or not is_field(focused):
            return chain
        for node, bindings in chain:  # copies: Screen._binding_chain copies every map
            if node is focused:
                continue
            for key in [k for k in bindings.key_to_bindings if typing_key(k)]:
                del bindings.key_to_bindings[key]
        return chain

    def compose(self) -> ComposeResult:
        yield AppHeader(self.TITLE_TEXT or type(self).__name__.removesuffix("Screen").upper())
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def before_input(self) -> Awaitable[None] | None:
        """Work to finish before a key, click or paste reaches this screen (the app awaits
        it): parts still being built after the first frames. None when all is built."""
        return None

    def action_leave_field(self) -> None:
        self.set_focus(None)
