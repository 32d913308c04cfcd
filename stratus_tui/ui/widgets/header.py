"""The header: the STRATUS activation line, the screen and the saved/unsaved mark."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ..workbench import stratus_app

if TYPE_CHECKING:
    from ...core.model import Design


def activation_line(design: Design | None) -> str:
    """The seed's activation line for `design` (a welcome line without one)."""
    if design is None:
        return "STRATUS online. Open a design to map its topology and failure surface."
    scope = design.scope or design.name
    return f"STRATUS online. Mapping infrastructure topology and failure surface for {scope}."


class AppHeader(Horizontal):
    """Activation line on the left (wraps on narrow terminals), status on the right."""

    DEFAULT_CSS = """
    AppHeader { height: auto; background: $panel; color: $foreground; dock: top; }
    AppHeader #header-activation { width: 1fr; height: auto; padding: 0 1; text-style: bold; }
    AppHeader #header-status { width: auto; padding: 0 1; color: $text-muted; }
    AppHeader #header-status.-dirty { color: $warning; }
    """

    def __init__(self, screen_title: str) -> None:
        super().__init__()
        self.screen_title = screen_title
        self._shown: tuple[str, str] = ("", "")
        self.pending: str | None = None
        """Text on screen the design does not hold (an invalid field): never "saved" then."""

    def show_pending(self, pending: str | None) -> None:
        """Set or clear what is on screen but not in the file (see `ModelForm.invalid`)."""
        self.pending = pending
        self._refresh()

    def compose(self) -> ComposeResult:
        yield Static(id="header-activation", markup=False)
        yield Static(id="header-status", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "design", self._refresh, init=True)
        self.watch(self.app, "dirty", self._refresh, init=False)

    def refresh_status(self) -> None:
        """Redraw the status now (something `save_mark` reads changed, not a reactive)."""
        self._refresh()

    def _refresh(self, _value: object = None) -> None:
        app = stratus_app(self.app)
        # Only touch what changed: an update re-lays out the screen, and this runs on
        # every keystroke that edits the design.
        line = activation_line(app.design)
        if app.design is None and app.loading is not None:
            line = f"STRATUS online. Reading {app.loading.name}…"
        mark, warn = app.save_mark()
        if self.pending:
            mark, warn = f"● unsaved: {self.pending}", True
        status_text = self.screen_title if app.design is None else f"{self.screen_title} │ {mark}"
        # The file being edited, always in sight (the activation line names only the scope).
        path = app.document.path if app.document is not None else app.loading
        if path is not None:
            status_text = f"{path.name} │ {status_text}"
        if (line, status_text) == self._shown:
            return
        self._shown = (line, status_text)
        self.query_one("#header-activation", Static).update(line)
        status = self.query_one("#header-status", Static)
        status.update(status_text)
        status.set_class(warn and app.design is not None, "-dirty")
