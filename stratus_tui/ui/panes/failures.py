"""Failure modes: table, editor and the likelihood x severity risk matrix."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.widgets import Static

from ...core.model import Design, FailureMode
from ..widgets.collection import CollectionPane
from .collections import FAILURE_MODES

LIKELIHOODS = ("high", "medium", "low")
SEVERITIES = ("low", "medium", "high", "critical")


def risk_matrix(design: Design) -> Table:
    """Failure-mode ids in a likelihood (rows) x severity (columns) grid."""
    table = Table(
        "likelihood \\ severity", *SEVERITIES, expand=True, show_lines=True, padding=(0, 0)
    )
    for likelihood in LIKELIHOODS:
        cells = []
        for severity in SEVERITIES:
            ids = [
                f.id
                for f in design.failure_modes
                if f.likelihood == likelihood and f.severity == severity
            ]
            cells.append("\n".join(ids))
        table.add_row(likelihood, *cells)
    unrated = [f.id for f in design.failure_modes if f.likelihood is None or f.severity is None]
    if unrated:
        table.caption = "unrated: " + ", ".join(unrated)
    return table


class FailuresPane(CollectionPane):
    """The failure-mode list with its risk matrix underneath."""

    DEFAULT_CSS = """
    FailuresPane #risk-matrix { height: auto; max-height: 16; }
    """

    def __init__(self) -> None:
        super().__init__(FAILURE_MODES, id="failures-pane")

    def compose_extra(self) -> ComposeResult:
        yield Static("Risk matrix", classes="pane-title")
        yield Static(id="risk-matrix")

    def make(self, new_id: str, design: Design) -> FailureMode:
        """A failure mode of the component selected in ARCHITECT (services, stores,
        externals or the diagram); else of the highlighted failure mode's component."""
        components = design.component_ids()
        if not components:
            raise ValueError("add a service, datastore or external first")
        chosen = getattr(self.screen, "selected_component", None)
        if chosen not in components:
            current = self.current(design)
            chosen = current.component if current is not None else sorted(components)[0]
        return FailureMode(id=new_id, component=chosen)

    def choices(self, design: Design) -> dict[str, list[str]]:
        return {"component": sorted(design.component_ids())}

    def load_form(self, design: Design) -> None:
        super().load_form(design)
        self.query_one("#risk-matrix", Static).update(risk_matrix(design))
