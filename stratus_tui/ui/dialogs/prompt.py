"""Ask for one line of text, validated before it is returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from .path import PathInput, candidates_text

Check = Callable[[str], str | None]
"""Returns an error message for a bad value, None when it is fine."""


class PromptDialog(ModalScreen[str | None]):
    """One-line text prompt; Enter accepts a valid value, Escape cancels (None)."""

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical {
        width: 64; max-width: 95%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    PromptDialog #error { color: $error; height: auto; }
    PromptDialog #candidates { color: $text-muted; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "dismiss(None)", "Cancel", id="dialog.cancel", tooltip="Close without a value"
        ),
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        check: Check | None = None,
        placeholder: str = "",
        *,
        paths: bool = False,
    ) -> None:
        """`paths=True`: the value is a file path and Tab completes it."""
        super().__init__()
        self.title_text = title
        self.value = value
        self.check = check
        self.placeholder = placeholder
        self.paths = paths

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            if self.paths:
                yield PathInput(self.value, placeholder=self.placeholder, id="value")
                yield Static("", id="candidates", markup=False)
            else:
                yield Input(self.value, placeholder=self.placeholder, id="value")
            yield Static("", id="error", markup=False)

    def on_path_input_completed(self, event: PathInput.Completed) -> None:
        self.query_one("#candidates", Static).update(candidates_text(event.candidates))

    def on_input_changed(self, event: Input.Changed) -> None:
        message = self.check(event.value) if self.check else None
        self.query_one("#error", Static).update(message or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        message = self.check(value) if self.check else None
        if message:
            self.query_one("#error", Static).update(message)
            return
        self.dismiss(value)
