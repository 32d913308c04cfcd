"""SVG snapshots of each screen on the checkout sample (regenerate with --snapshot-update)."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from stratus_tui.ui.app import make_app
from stratus_tui.ui.widgets.storm_phases import StormPhases

from .conftest import SAMPLE
from .helpers import settle

SIZE = (120, 40)


def _setup(
    keys: tuple[str, ...], tab: str | None = None
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press("escape")
            await pilot.press(key)
            await settle(pilot)
        screen = pilot.app.screen
        if tab is not None:
            await screen.show_tab(tab)  # type: ignore[attr-defined]
        if pilot.app.current_mode == "storm":
            # No clock in the picture: the phase timer stays paused at 00:00.
            phases = screen.query_one(StormPhases)
            assert not phases.running
            phases.elapsed = 0.0
        if pilot.app.current_mode == "export":
            screen.query_one("#folder").value = "/nonexistent/stratus-docs"  # type: ignore[attr-defined]
        await settle(pilot)
        pilot.app.set_focus(None)
        await settle(pilot)

    return run_before


@pytest.fixture
def design_copy(tmp_path: Path) -> Path:
    target = tmp_path / "checkout.yaml"
    shutil.copy(SAMPLE, target)
    return target


@pytest.mark.parametrize(
    ("keys", "tab"),
    [
        pytest.param((), None, id="discover"),
        pytest.param(("2",), None, id="architect_decisions"),
        pytest.param(("2",), "services", id="architect_services"),
        pytest.param(("3",), None, id="storm"),
        pytest.param(("4",), None, id="review"),
        pytest.param(("5",), None, id="export"),
    ],
)
def test_screen_snapshot(
    snap_compare: Any, design_copy: Path, keys: tuple[str, ...], tab: str | None
) -> None:
    app = make_app(design_copy)
    app.autosave_enabled = False
    assert snap_compare(app, terminal_size=SIZE, run_before=_setup(keys, tab))


def test_welcome_snapshot(snap_compare: Any) -> None:
    # The recent list is empty: the conftest points the state folder at tmp_path.
    assert snap_compare(make_app(None), terminal_size=SIZE, run_before=_setup(()))
