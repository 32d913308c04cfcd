"""Flows: the request flows of the design (issue 14), declared ones editable.

The list shows declared flows, then the flows STRATUS derives for entries no declared
flow starts at (marked "derived", read-only: `d` copies one into `flows:`). The form edits
name, entry, trigger, SLO and saga; the steps table below edits the calls in order. Every
change goes through `core.edits` (one undo step each; a refused value is never applied).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from ...core import edits
from ...core.fields import specs_for
from ...core.flows import flows_of
from ...core.model import Design, Flow, FlowStep
from ..dialogs.pick import PickDialog
from ..dialogs.prompt import PromptDialog
from ..messages import DesignEdited, Edit, post_edit
from ..widgets.collection import Collection, CollectionPane, cursor_key
from ..widgets.field_input import set_text
from ..widgets.fit_table import SteadyTable
from ..widgets.form import ModelForm


def _new_flow(flow_id: str, design: Design) -> Flow:
    services = [s.id for s in design.services]
    if not services:
        raise ValueError("add a service first: a flow starts at a service")
    return Flow(id=flow_id, entry=services[0])


FLOWS = Collection(
    "flows",
    "Request flows",
    ("id", "entry", "steps", "kind"),
    [
        replace(s, kind="choice") if s.name == "entry" else s
        for s in specs_for(Flow, exclude=("id", "steps"))
    ],
    _new_flow,
    edits.add_flow,
    "flow",
)
DERIVED = "derived: read-only (press d to declare it in flows: and edit it)"


def step_text(step: FlowStep) -> str:
    if step.parallel is not None:
        return " ∥ ".join(f"{c.from_} → {c.to}" for c in step.parallel)
    return f"{step.from_} → {step.to}"


def step_compensation(step: FlowStep) -> str:
    if step.parallel is not None:
        return "; ".join(sorted({c.compensate for c in step.parallel if c.compensate}))
    return step.compensate or ""


class FlowsPane(CollectionPane):
    """Request flows on the left, the steps of the highlighted one below them."""

    DEFAULT_CSS = """
    FlowsPane .steps { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "add_step",
            "Add step",
            id="flows.add_step",
            tooltip="Append a call to the selected flow (picked from its declared dependencies)",
        ),
        Binding(
            "x",
            "delete_step",
            "Delete step",
            id="flows.delete_step",
            tooltip="Delete the highlighted step of the selected flow",
        ),
        Binding(
            "left_square_bracket",
            "move_step(-1)",
            "Step up",
            key_display="[",
            id="flows.step_up",
            tooltip="Move the highlighted step one place earlier",
        ),
        Binding(
            "right_square_bracket",
            "move_step(1)",
            "Step down",
            key_display="]",
            id="flows.step_down",
            tooltip="Move the highlighted step one place later",
        ),
        Binding(
            "p",
            "parallel",
            "Parallel",
            id="flows.parallel",
            tooltip="Run the highlighted step at the same time as the one before (again: split)",
        ),
        Binding(
            "c",
            "compensate",
            "Compensation",
            id="flows.compensate",
            tooltip="Say how the highlighted step is undone in a saga (empty: none)",
        ),
        Binding(
            "d",
            "declare",
            "Declare",
            id="flows.declare",
            tooltip="Copy the selected derived flow into flows: to edit it",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(FLOWS, id="flows-pane")
        self.derived: dict[str, Flow] = {}
        self._step_rows: list[tuple[str, str]] | None = None

    def compose_extra(self) -> ComposeResult:
        yield Static(
            "Steps (s add, x delete, [ ] move, p parallel, c compensation)",
            classes="pane-title",
            id="steps-title",
        )
        table = SteadyTable(cursor_type="row", classes="steps")
        table.add_columns("#", "call", "compensate")
        yield table

    @property
    def steps_table(self) -> DataTable[str]:
        return self.query_one("DataTable.steps", DataTable)

    def items(self, design: Design) -> tuple[Flow, ...]:
        self.derived = {f.id: edits.as_declared(f) for f in flows_of(design) if f.derived}
        return (*design.flows, *self.derived.values())

    def row_of(self, item: Flow) -> tuple[str, ...]:
        kind = "derived" if item.id in self.derived else "declared"
        return (item.id, item.entry, str(len(item.steps)), kind)

    def current(self, design: Design | None = None) -> Flow | None:
        """The selected declared flow (derived ones are not edited: the base ignores them)."""
        design = design or self.stratus.design
        if design is None:
            return None
        return next((f for f in design.flows if f.id == self.selected_id), None)

    def shown(self) -> Flow | None:
        """The selected flow, declared or derived."""
        return self.current() or self.derived.get(self.selected_id or "")

    def choices(self, design: Design) -> dict[str, list[str]]:
        return {"entry": [s.id for s in design.services]}

    def load_form(self, design: Design) -> None:
        self.form.load(self.shown(), choices=self.choices(design))
        self._show_steps(self.shown())

    def _show_steps(self, flow: Flow | None) -> None:
        rows = [(step_text(s), step_compensation(s)) for s in (flow.steps if flow else ())]
        title = "Steps"
        if flow is not None:
            title = f"Steps of {flow.id}"
            if flow.id in self.derived:
                title += f" ({DERIVED})"
        set_text(self.query_one("#steps-title", Static), title)
        if rows == self._step_rows:
            return
        self._step_rows = rows
        table = self.steps_table
        keep = table.cursor_row
        table.clear()
        for i, (call, comp) in enumerate(rows):
            table.add_row(str(i + 1), call, comp, key=str(i))
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1), animate=False)

    @on(ModelForm.Edited)
    def _derived_edited(self, event: ModelForm.Edited) -> None:
        # The base handler ignores a derived flow (current() is None); say why.
        if event.form is self.form and self.selected_id in self.derived and not event.revert:
            self.form.refuse(event.name, f"{self.selected_id} is {DERIVED}")

    # ---------------------------------------------------------------- steps

    def _editable(self) -> tuple[Design, Flow] | None:
        design = self.stratus.design
        if design is None or self.selected_id is None:
            self.notify("Select a flow first", severity="warning", timeout=3)
            return None
        if self.selected_id in self.derived:
            self.notify(f"{self.selected_id} is {DERIVED}", severity="warning", timeout=4)
            return None
        flow = self.current(design)
        return None if flow is None else (design, flow)

    def _step_index(self, flow: Flow) -> int | None:
        key = cursor_key(self.steps_table)
        if key is None or not 0 <= int(key) < len(flow.steps):
            self.notify("No step is highlighted", severity="warning", timeout=3)
            return None
        return int(key)

    def _apply(self, design: Design, edit: Edit, label: str, row: int | None = None) -> None:
        """Post `edit` of `design`; once applied, the steps cursor goes to `row`."""
        try:
            edited = DesignEdited.made(design, edit, label)
        except edits.EditError as exc:
            self.notify(str(exc), severity="error")
            return
        post_edit(self, edited, then=None if row is None else lambda: self._step_cursor(row))

    def _step_cursor(self, row: int) -> None:
        if 0 <= row < self.steps_table.row_count:
            self.steps_table.move_cursor(row=row, animate=False)

    def action_add_step(self) -> None:
        found = self._editable()
        if found is None:
            return
        design, flow = found
        callers = edits.flow_callers(flow)
        present = {
            (c.from_, c.to)
            for s in flow.steps
            for c in (s.parallel if s.parallel is not None else (s,))
        }
        deps = [d for d in design.dependencies if d.from_ in callers]
        deps.sort(key=lambda d: callers.index(d.from_))
        options = [
            (f"{d.from_}\t{d.to}", f"{d.from_} → {d.to} ({d.mode})")
            for d in deps
            if (d.from_, d.to) not in present
        ]
        if not options:
            self.notify(f"No declared dependency of {', '.join(callers)} is left to add", timeout=4)
            return
        self.app.push_screen(
            PickDialog(f"Next step of {flow.id}", options),
            lambda picked: self._add_step(flow.id, picked),
        )

    def _add_step(self, flow_id: str, picked: str | None) -> None:
        design = self.stratus.design
        if design is None or not picked:
            return
        source, _, target = picked.partition("\t")
        flow = self.current(design)
        steps = len(flow.steps) if flow is not None else 0
        self._apply(
            design,
            lambda d: edits.add_flow_step(d, flow_id, source, target),
            f"add step {source}->{target} to {flow_id}",
            row=steps,
        )
        self.steps_table.focus()

    def action_delete_step(self) -> None:
        found = self._editable()
        i = self._step_index(found[1]) if found else None
        if found is None or i is None:
            return
        design, flow = found
        self._apply(
            design,
            lambda d: edits.delete_flow_step(d, flow.id, i),
            f"delete step {i + 1} of {flow.id}",
        )

    def action_move_step(self, delta: int) -> None:
        found = self._editable()
        i = self._step_index(found[1]) if found else None
        if found is None or i is None:
            return
        design, flow = found
        self._apply(
            design,
            lambda d: edits.move_flow_step(d, flow.id, i, delta),
            f"move step {i + 1} of {flow.id}",
            row=i + delta,
        )

    def action_parallel(self) -> None:
        found = self._editable()
        i = self._step_index(found[1]) if found else None
        if found is None or i is None:
            return
        design, flow = found
        self._apply(
            design,
            lambda d: edits.toggle_flow_parallel(d, flow.id, i),
            f"group/ungroup step {i + 1} of {flow.id}",
        )

    def action_compensate(self) -> None:
        found = self._editable()
        i = self._step_index(found[1]) if found else None
        if found is None or i is None:
            return
        _, flow = found
        self.app.push_screen(
            PromptDialog(
                f"How step {i + 1} ({step_text(flow.steps[i])}) is undone (empty: none)",
                step_compensation(flow.steps[i]),
            ),
            lambda text: self._compensate(flow.id, i, text),
        )

    def _compensate(self, flow_id: str, index: int, text: str | None) -> None:
        design = self.stratus.design
        if design is None or text is None:
            return
        self._apply(
            design,
            lambda d: edits.set_flow_compensation(d, flow_id, index, text),
            f"compensation of step {index + 1} of {flow_id}",
            row=index,
        )

    def action_declare(self) -> None:
        design = self.stratus.design
        flow = self.derived.get(self.selected_id or "")
        if design is None or flow is None:
            self.notify("Only a derived flow is declared (this one is already)", timeout=3)
            return
        self._apply(design, lambda d: edits.declare_flow(d, flow), f"declare flow {flow.id}")
        self.notify(f"Declared {flow.id} in flows: (ctrl+z takes it back)", timeout=4)

    def action_delete(self) -> None:
        if self.selected_id in self.derived:
            self.notify(f"{self.selected_id} is {DERIVED}", severity="warning", timeout=4)
            return
        super().action_delete()
