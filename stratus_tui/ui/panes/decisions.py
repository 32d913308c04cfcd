"""Decisions: the verdict table; accepting or rejecting a pattern records a decision."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable
from textual.worker import get_current_worker

from ...core import edits
from ...core.decide import decision_from_verdict, record_decision
from ...core.model import Design
from ..messages import DesignEdited, post_edit
from ..optional import explain_verdict, verdict_label, verdicts_or_problem
from ..widgets.collection import CollectionPane
from ..widgets.deferred import Deferred
from ..widgets.fit_table import FitTable
from ..widgets.reasons import ReasonsView
from ..workbench import stratus_app
from .collections import DECISIONS

if TYPE_CHECKING:
    from ...core.patterns import Verdict


class DecisionsPane(Deferred, Vertical):
    """Verdicts with reasons on top, the decision records below."""

    DEFAULT_CSS = """
    DecisionsPane > Horizontal { height: 2fr; }
    DecisionsPane #pattern-verdicts { width: 3fr; height: 1fr; }
    DecisionsPane #verdict-side { width: 2fr; min-width: 28; border-left: solid $primary; }
    DecisionsPane #verdict-detail { height: 1fr; padding: 0 1; overflow-y: auto; }
    DecisionsPane #verdict-buttons { height: auto; }
    DecisionsPane #verdict-buttons Button { margin-right: 1; min-width: 12; }
    DecisionsPane CollectionPane { height: 3fr; border-top: solid $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y",
            "decide(True)",
            "Accept",
            id="decisions.accept",
            tooltip="Accept the highlighted pattern: records an accepted decision",
        ),
        Binding(
            "n",
            "decide(False)",
            "Reject",
            id="decisions.reject",
            tooltip="Reject the highlighted pattern: records a rejected decision",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="decisions-pane")
        self.verdicts: list[Verdict] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            # The name first and flexible (readable at 80 columns); the score is in the
            # detail beside it.
            yield FitTable("pattern", [("verdict", 15), ("decided", 8)], id="pattern-verdicts")
            with Vertical(id="verdict-side"):
                yield ReasonsView(id="verdict-detail")
                with Horizontal(id="verdict-buttons"):
                    yield Button("Accept (y)", id="accept", variant="success")
                    yield Button("Reject (n)", id="reject", variant="error")
        yield CollectionPane(DECISIONS, id="decision-records")

    def on_mount(self) -> None:
        self.watch(self.app, "design", self.design_changed, init=False)
        self.call_after_refresh(self.refresh_if_stale)

    @work(thread=True, exclusive=True, group="decision-verdicts", description="decision-verdicts")
    def compute(self, design: Design) -> None:
        verdicts = verdicts_or_problem(design)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, design, verdicts)

    def _show(self, design: Design, verdicts: list[Verdict] | str | None) -> None:
        if not self.result_is_current(design):
            return
        table = self.query_one("#pattern-verdicts", FitTable)
        if verdicts is None or isinstance(verdicts, str):
            self.query_one("#verdict-detail", ReasonsView).update(
                verdicts or "The pattern engine is not available."
            )
            return
        decided = {d.pattern: d.status for d in design.decisions if d.pattern}
        self.verdicts = verdicts
        table.set_rows(
            [str(v.name) for v in verdicts],
            [((verdict_label(v), decided.get(v.pattern, "")), str(v.pattern)) for v in verdicts],
        )
        self._detail(table.cursor_row)

    @on(DataTable.RowHighlighted, "#pattern-verdicts")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        if not 0 <= row < len(self.verdicts):
            return
        self.query_one("#verdict-detail", ReasonsView).update(explain_verdict(self.verdicts[row]))

    @on(Button.Pressed, "#accept,#reject")
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_decide(event.button.id == "accept")

    def action_decide(self, accept: bool) -> None:
        """Record a decision about the highlighted pattern and open it in the editor."""
        design = stratus_app(self.app).design
        row = self.query_one("#pattern-verdicts", DataTable).cursor_row
        if design is None or not 0 <= row < len(self.verdicts):
            return
        verdict = self.verdicts[row]
        today = dt.date.today()

        def decide(d: Design) -> Design:
            # The record is written in the core (core/decide.py): context from the
            # answers, options from the pattern's 'pick one' group.
            return record_decision(d, decision_from_verdict(d, verdict, accept, today=today))

        label = f"{'accept' if accept else 'reject'} {verdict.pattern}"
        try:
            edited = DesignEdited.made(design, decide, label)
        except edits.EditError as exc:
            self.notify(str(exc), severity="error")
            return
        post_edit(self, edited, then=lambda: self._show_record(verdict.pattern))

    def _show_record(self, pattern: str) -> None:
        """Once the app holds the decision: highlight its record in the editor below."""
        design = stratus_app(self.app).design
        chosen = (
            next((d.id for d in design.decisions if d.pattern == pattern), None) if design else None
        )
        if chosen is not None:
            self.query_one("#decision-records", CollectionPane).select(chosen)
