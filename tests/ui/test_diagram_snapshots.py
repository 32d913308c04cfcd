"""SVG snapshots of the live diagram: fit, zoom, focus and full screen at 80x24,
160x48 and 200x60 (regenerate with --snapshot-update).

A small host app holds only the diagram (and pushes the full-screen view), so these
pictures change when the diagram does, not when another pane does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.reactive import reactive

from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.screens.diagram_full import DiagramFullScreen
from stratus_tui.ui.widgets.diagram import DiagramView

from .conftest import SAMPLE
from .test_diagram import settle

SIZES = [(80, 24), (160, 48), (200, 60)]


class DiagramHost(App[None]):
    """The diagram of the checkout sample, alone."""

    design: reactive[Design | None] = reactive(None, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(DiagramHost.design, load_design(SAMPLE))

    def compose(self) -> ComposeResult:
        yield DiagramView()


def _setup(view: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        diagram = pilot.app.query_one(DiagramView)
        diagram.focus()
        if view == "zoom":
            await pilot.press("plus")
        elif view == "focus":
            diagram.selected = "checkout"
            await pilot.press("f")
        elif view == "full":
            await pilot.app.push_screen(DiagramFullScreen(diagram))
        await settle(pilot)
        pilot.app.set_focus(None)  # no focus tint or cursor in the picture
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("view", ["fit", "zoom", "focus", "full"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_diagram_views(snap_compare: Any, view: str, size: tuple[int, int]) -> None:
    assert snap_compare(DiagramHost(), terminal_size=size, run_before=_setup(view))


class LedgerHost(DiagramHost):
    """The diagram of the payments-ledger sample (16 components, 5 contexts)."""

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(DiagramHost.design, load_design(SAMPLE.parent / "payments-ledger.yaml"))


def test_payments_ledger_full_screen_at_80x24(snap_compare: Any) -> None:
    """One row a component (`[name]`): the whole of it in 80x24."""
    assert snap_compare(LedgerHost(), terminal_size=(80, 24), run_before=_setup("full"))
