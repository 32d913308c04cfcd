"""Pick one of a list of values (a dependency's target, say); None on escape."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class PickDialog(ModalScreen[str | None]):
    """A titled list; Enter picks the highlighted value."""

    DEFAULT_CSS = """
    PickDialog { align: center middle; }
    PickDialog > Vertical {
        width: 60; max-width: 95%; height: auto; max-height: 80%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    PickDialog OptionList { height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "dismiss(None)", "Cancel", id="dialog.cancel", tooltip="Close without picking"
        ),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            # Long lists: typing filters them; ↓ goes to the list, Enter picks.
            yield Input(placeholder="type to filter", id="filter", compact=True)
            yield OptionList(*[Option(label, id=value) for value, label in self.options])

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0 if self.options else None
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        words = event.value.lower().split()
        shown = [
            Option(label, id=value)
            for value, label in self.options
            if all(w in f"{value} {label}".lower() for w in words)
        ]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(shown)
        options.highlighted = 0 if shown else None

    @on(Input.Submitted, "#filter")
    def _pick_first(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_key(self, event: events.Key) -> None:
        if event.key in ("down", "up") and self.focused is self.query_one("#filter"):
            event.stop()
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
