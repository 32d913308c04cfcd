"""Stands in for a screen whose module has not landed yet."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import WorkbenchScreen


class PlaceholderScreen(WorkbenchScreen):
    """Says which screen is missing instead of crashing."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.missing = name

    def compose_body(self) -> ComposeResult:
        yield Static(f"{self.missing} is not available in this build yet.", id="missing")
