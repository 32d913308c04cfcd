"""StratusApp: the workbench shell (placeholder until the workbench issue lands)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class StratusApp(App[None]):
    TITLE = "STRATUS"

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"STRATUS online. {self.path or ''}")
        yield Footer()


def make_app(path: Path | None = None) -> StratusApp:
    return StratusApp(path)
