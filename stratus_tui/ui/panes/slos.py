"""SLOs with the availability the dependencies allow, and the cost table vs budget."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ...core.model import Design
from ..optional import achievable_availability, cost_summary
from ..widgets.deferred import Deferred
from ..widgets.form import display


def _money(value: float | None) -> str:
    return "—" if value is None else f"${value:,.0f}"


class SlosPane(Deferred, Vertical):
    """Read-only figures computed in a worker; edit SLO targets in the Services tab."""

    DEFAULT_CSS = """
    SlosPane DataTable { height: 1fr; }
    SlosPane .pane-title { text-style: bold; color: $accent; padding: 0 1; }
    SlosPane #cost-total { height: auto; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="slos-pane")

    def compose(self) -> ComposeResult:
        yield Static(
            "SLOs: target vs achievable from serial sync dependencies", classes="pane-title"
        )
        slos: DataTable[Any] = DataTable(id="slo-table", cursor_type="row")
        slos.add_columns("service", "target %", "achievable %", "p99 ms", "status")
        yield slos
        yield Static("Cost per month", classes="pane-title")
        cost: DataTable[Any] = DataTable(id="cost-table", cursor_type="row")
        cost.add_columns("component", "kind", "baseline", "at 10x")
        yield cost
        yield Static("", id="cost-total")

    def on_mount(self) -> None:
        self.watch(self.app, "design", self.design_changed, init=False)
        self.call_after_refresh(self.refresh_if_stale)

    @work(thread=True, exclusive=True, group="slo-cost", description="slo-cost")
    def compute(self, design: Design) -> None:
        try:
            figures: tuple[Any, Any] | str = (achievable_availability(design), cost_summary(design))
        except Exception as exc:  # analysis bugs show as text, the editor keeps working
            figures = f"Analysis failed: {exc}"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, design, figures)

    def _show(self, design: Design, figures: tuple[Any, Any] | str) -> None:
        if not self.result_is_current(design):
            return
        total = self.query_one("#cost-total", Static)
        if isinstance(figures, str):
            total.update(figures)
            return
        achievable, cost = figures
        error = self.app.theme_variables.get("error", "red")
        slos = self.query_one("#slo-table", DataTable)
        slos.clear()
        for s in design.services:
            target = s.slo.availability if s.slo else None
            got = (achievable or {}).get(s.id)
            if got is None or target is None:
                status: str | Text = "" if target is not None else "no target"
            elif got + 1e-9 < target:
                status = Text("✗ unreachable", style=f"bold {error}")
            else:
                status = "✓"
            slos.add_row(
                s.id,
                display(target),
                "—" if got is None else f"{got:.3f}",
                display(s.slo.latency_p99_ms if s.slo else None),
                status,
                key=s.id,
            )
        table = self.query_one("#cost-table", DataTable)
        table.clear()
        if cost is None:
            total.update("Cost analysis is not available.")
            return
        for line in cost.lines:
            table.add_row(
                line.component,
                line.kind,
                _money(line.baseline),
                _money(getattr(line, "at_10x", None)),
            )
        verdict = ""
        if cost.budget is not None:
            # no "within budget" below 80 % declared: the summary says what is missing
            verdict = f" — {cost.budget_text()}"
        total.update(
            f"Total: {_money(cost.baseline)} baseline, {_money(cost.at_10x)} at 10x; "
            f"budget {_money(cost.budget)}{verdict}"
            + (
                f"\nNo declared cost (priced as assumed): {', '.join(cost.unpriced)}"
                if cost.unpriced
                else ""
            )
        )
