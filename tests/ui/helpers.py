"""Pilot helpers: wait for workers so assertions see computed results."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from stratus_tui.ui.app import StratusApp
from stratus_tui.ui.widgets.deferred import QUIET, Deferred
from stratus_tui.ui.widgets.form import ModelForm


async def settle(pilot: Pilot[Any]) -> None:
    """Let messages, workers, debounced computations and the redraw finish."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        pending = [
            w
            for w in [screen, *screen.query("*")]
            if isinstance(w, Deferred) and w._deferred_timer is not None
        ]
        # a worker started by another worker (EXPORT's check after a write) was not
        # there when wait_for_complete looked: go round again until none runs
        busy = [w for w in pilot.app.workers if w.is_running]
        # DISCOVER builds its questions below the fold after the first verdicts' frame
        building = [f for f in screen.query(ModelForm) if not f.rest_built.is_set()]
        for form in building:
            await asyncio.wait_for(form.rest_built.wait(), timeout=30)
        if not pending and not busy and not building:
            return
        await pilot.pause(QUIET + 0.05)


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Replace the text of the Input at `selector` as a user would, key by key."""
    app = pilot.app
    widget = app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await pilot.pause()
    await pilot.press("end")
    if text:
        await pilot.press(*list(text))
    await settle(pilot)


async def goto(pilot: Pilot[Any], key: str) -> None:
    """Leave any field and press a screen key."""
    await pilot.press("escape")
    await pilot.press(key)
    await settle(pilot)


def stratus(pilot: Pilot[Any]) -> StratusApp:
    app = pilot.app
    assert isinstance(app, StratusApp)
    return app
