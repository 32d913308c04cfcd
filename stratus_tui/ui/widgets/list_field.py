"""A list of short texts (pain points, migration steps): add with Enter, remove with Delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList


class ItemList(OptionList):
    """The items; Delete removes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete,backspace",
            "remove",
            "Remove item",
            id="list.remove",
            tooltip="Remove the highlighted item from the list",
        ),
    ]

    def action_remove(self) -> None:
        parent = self.parent
        if isinstance(parent, ListField) and self.highlighted is not None:
            parent.remove_at(self.highlighted)


class ListField(Vertical):
    """Items above an input; posts `Changed` with the whole new tuple."""

    DEFAULT_CSS = """
    ListField { height: auto; }
    ListField ItemList { height: auto; max-height: 8; border: none; padding: 0; }
    ListField Input { height: 1; }
    """

    @dataclass
    class Changed(Message):
        """The list now holds `items`."""

        field: ListField
        items: tuple[str, ...]

        @property
        def control(self) -> ListField:
            return self.field

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.placeholder = placeholder
        self.items: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        options = ItemList(*[f"• {item}" for item in self.items])
        options.display = bool(self.items)
        yield options
        yield Input(placeholder=self.placeholder, compact=True)

    def set_items(self, items: tuple[str, ...]) -> None:
        """Show `items` (from the model) without posting."""
        if items == self.items:
            return
        self.items = items
        options = self.query_one(ItemList)
        options.clear_options()
        options.add_options([f"• {item}" for item in items])
        options.display = bool(items)

    def remove_at(self, index: int) -> None:
        new = self.items[:index] + self.items[index + 1 :]
        self.set_items(new)
        self.post_message(self.Changed(self, new))

    @on(Input.Submitted)
    def _add(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        event.input.value = ""
        new = (*self.items, text)
        self.set_items(new)
        self.post_message(self.Changed(self, new))

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        event.stop()  # the text is not an answer until Enter adds it
