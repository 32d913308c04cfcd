"""Worker results racing screen switches and edits never crash the app or show stale rows.

Every screen computes in thread workers (verdicts, SLOs/cost, findings, diagram) and
fills its tables when the result comes back. These tests switch screens and tabs and
edit the design as fast as the event loop allows while those workers run, then check
that the app is still alive and every table shows the design as it is now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from stratus_tui.core import edits
from stratus_tui.core.model import Service
from stratus_tui.core.storm import board as storm
from stratus_tui.ui.app import StratusApp, make_app
from stratus_tui.ui.screens.architect import ArchitectScreen
from stratus_tui.ui.screens.discover import DiscoverScreen

from .helpers import settle

MODES = ("discover", "architect", "storm", "review", "export", "architect", "discover")
TABS = ("decisions", "services", "slos", "failures", "datastores", "decisions")


def _edit(app: StratusApp, step: int) -> None:
    """One edit of a different kind each step: answers, services, stickies."""
    design = app.design
    assert design is not None
    kind = step % 3
    if kind == 0:
        new = edits.set_discovery(design, "team.engineers", 3 + step)
    elif kind == 1:
        new = edits.add_service(design, Service(id=f"race-{step}"))
    else:
        new = storm.capture(design, f"! raced {step}", None)[0]
    app.apply(new, f"race {step}")


def _columns_match(table: DataTable[Any]) -> None:
    width = len(table.columns)
    for key in table.rows:
        assert len(table.get_row(key)) == width


async def test_mode_switches_and_edits_while_workers_run(design_file: Path) -> None:
    app = make_app(design_file)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for step, mode in enumerate(MODES * 2):
            await app.switch_mode(mode)
            _edit(app, step)
            if isinstance(app.screen, ArchitectScreen):
                await app.screen.show_tab(TABS[step % len(TABS)])
                _edit(app, step + 100)
            if step % 2:
                app.action_undo()
            await pilot.pause(0)  # let some worker results land mid-switch
        await app.switch_mode("discover")
        await settle(pilot)
        assert app.is_running
        design = app.design
        assert design is not None
        discover = app.screen
        assert isinstance(discover, DiscoverScreen)
        # The verdicts shown are those of the design as it is now, not a stale one.
        from stratus_tui.ui.optional import recommend

        shown = discover.query_one("#verdicts", DataTable)
        assert shown.row_count == len(recommend(design) or [])
        await app.switch_mode("architect")
        architect = app.screen
        assert isinstance(architect, ArchitectScreen)
        pane = await architect.show_tab("services")
        await settle(pilot)
        services = pane.query_one("DataTable.items", DataTable)
        assert [str(k.value) for k in services.rows] == [s.id for s in design.services]
        for table in app.screen.query(DataTable):
            _columns_match(table)


async def test_a_late_result_for_an_older_design_is_not_shown(design_file: Path) -> None:
    from stratus_tui.ui.optional import recommend

    app = make_app(design_file)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiscoverScreen)
        old = app.design
        assert old is not None
        # A tiny team that deploys together changes the microservices verdict.
        new = edits.set_discovery(edits.set_discovery(old, "team.engineers", 3), "team.teams", 1)
        app.apply(new, "tiny team")
        await settle(pilot)
        now = {str(v.pattern): str(v.verdict) for v in screen.verdicts}
        stale = recommend(old)
        assert stale is not None
        assert {str(v.pattern): str(v.verdict) for v in stale} != now
        # The worker started before the edit reports last: its rows must not win.
        screen._show_verdicts(stale, old)
        await settle(pilot)
        assert {str(v.pattern): str(v.verdict) for v in screen.verdicts} == now
        table = screen.query_one("#verdicts", DataTable)
        assert table.row_count == len(now)
