"""Base of every workbench screen: header, body, footer; escape leaves a field."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from ..widgets.header import AppHeader

if TYPE_CHECKING:
    from ...core.model import Design
    from ..app import StratusApp


class WorkbenchScreen(Screen[None]):
    """Subclasses implement `compose_body`; `TITLE` shows in the header."""

    TITLE_TEXT: ClassVar[str] = ""
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
    def stratus(self) -> StratusApp:
        return self.app  # type: ignore[return-value]

    @property
    def design(self) -> Design | None:
        return self.stratus.design

    def compose(self) -> ComposeResult:
        yield AppHeader(self.TITLE_TEXT or type(self).__name__.removesuffix("Screen").upper())
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def action_leave_field(self) -> None:
        self.set_focus(None)
