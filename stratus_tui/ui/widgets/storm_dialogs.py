"""Dialogs of the STORM board: pick a bounded context, preview derived services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import StormContext
from ...core.storm.derive import DerivedPlan, plan_lines

NO_CONTEXT = "\x00none"  # an option id no context can have (ids are [A-Za-z0-9_.-])


@dataclass(frozen=True)
class ContextChoice:
    """What the user picked: an existing context id, None (no context) or a new name."""

    context_id: str | None = None
    new_name: str | None = None


class ContextPicker(ModalScreen[ContextChoice | None]):
    """Choose the bounded context for one sticky or a marked range, or name a new one."""

    DEFAULT_CSS = """
    ContextPicker { align: center middle; }
    ContextPicker > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 90%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ContextPicker OptionList { height: auto; max-height: 14; margin: 1 0; }
    ContextPicker #help { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="storm.context.cancel",
            tooltip="Close without changing any context",
        ),
    ]

    def __init__(self, title: str, contexts: tuple[StormContext, ...], current: str | None):
        super().__init__()
        self.title_text = title
        self.contexts = contexts
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            options = [Option(f"{c.name or c.id}  ({c.id})", id=c.id) for c in self.contexts]
            options.append(Option("(no context)", id=NO_CONTEXT))
            yield OptionList(*options, id="contexts")
            yield Input(placeholder="or type a new context name and press Enter", id="new")
            yield Static("Enter picks · Tab switches · Escape cancels", id="help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.contexts:
            ids = [c.id for c in self.contexts]
            options.highlighted = ids.index(self.current) if self.current in ids else 0
            options.focus()
        else:
            self.query_one(Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        picked = event.option.id
        self.dismiss(ContextChoice(context_id=None if picked == NO_CONTEXT else picked))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(ContextChoice(new_name=event.value.strip()))


class DerivePreview(ModalScreen[bool]):
    """Shows what deriving services would do; True applies it."""

    DEFAULT_CSS = """
    DerivePreview { align: center middle; }
    DerivePreview > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 90%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    DerivePreview VerticalScroll { height: auto; max-height: 30; margin: 1 0; }
    DerivePreview Horizontal { height: auto; width: auto; }
    DerivePreview Button { margin-right: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,n",
            "dismiss(False)",
            "Cancel",
            id="storm.derive.cancel",
            tooltip="Close without changing the design",
        ),
        Binding(
            "y",
            "apply",
            "Apply",
            id="storm.derive.apply",
            tooltip="Merge the derived services into the design (undoable)",
        ),
    ]

    def __init__(self, plan: DerivedPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Derive services from the board", markup=False)
            with VerticalScroll():
                yield Static("\n".join(plan_lines(self.plan)), id="plan", markup=False)
            with Horizontal():
                yield Button("Apply", id="apply", variant="primary", disabled=self.plan.empty)
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#apply" if not self.plan.empty else "#cancel", Button).focus()

    def action_apply(self) -> None:
        if not self.plan.empty:
            self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "apply" and not self.plan.empty)
