"""Deleting a component: what happens to the things that reference it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static


@dataclass(frozen=True)
class DeleteChoice:
    """Drop the references, or re-point them at `target`."""

    policy: Literal["drop", "repoint"]
    target: str | None = None


class DeleteDialog(ModalScreen[DeleteChoice | None]):
    """Confirm a delete and choose the policy for its references."""

    DEFAULT_CSS = """
    DeleteDialog { align: center middle; }
    DeleteDialog > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 90%; padding: 1 2;
        border: thick $error; background: $surface;
    }
    DeleteDialog #refs { height: auto; max-height: 10; color: $text-muted; }
    DeleteDialog Horizontal { height: auto; margin-top: 1; }
    DeleteDialog Button { margin-right: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "dismiss(None)", "Cancel", id="dialog.cancel", tooltip="Keep the component"
        ),
    ]

    def __init__(self, component_id: str, references: list[str], others: list[str]) -> None:
        super().__init__()
        self.component_id = component_id
        self.references = references
        self.others = others

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Delete {self.component_id}?", markup=False)
            refs = "\n".join(self.references) or "Nothing references it."
            yield Static(refs, id="refs", markup=False)
            # Re-pointing is offered only when there is something to re-point.
            offer = bool(self.references and self.others)
            target = Select([(o, o) for o in self.others], prompt="re-point to ...", id="target")
            target.display = offer
            yield target
            with Horizontal():
                drop = "Delete, drop references" if self.references else "Delete"
                yield Button(drop, id="drop", variant="error")
                repoint = Button("Delete, re-point", id="repoint")
                repoint.display = offer
                yield repoint
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "drop":
            self.dismiss(DeleteChoice("drop"))
        elif event.button.id == "repoint":
            target = self.query_one("#target", Select).value
            if isinstance(target, str):
                self.dismiss(DeleteChoice("repoint", target))
            else:
                self.notify("Choose where to re-point the references", severity="warning")
        else:
            self.dismiss(None)
