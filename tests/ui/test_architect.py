"""ARCHITECT: services, dependencies, failure modes and decisions change the model."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList

from stratus_tui.core.model import Service
from stratus_tui.core.store.validation import check_references
from stratus_tui.ui.app import make_app
from stratus_tui.ui.dialogs.delete import DeleteDialog
from stratus_tui.ui.dialogs.pick import PickDialog
from stratus_tui.ui.dialogs.prompt import PromptDialog
from stratus_tui.ui.screens.architect import ArchitectScreen
from stratus_tui.ui.widgets.collection import CollectionPane
from stratus_tui.ui.widgets.diagram import DiagramView

from .helpers import goto, settle, stratus, type_into


def drawn(screen: ArchitectScreen) -> set[str]:
    """Components the live diagram currently draws."""
    picture = screen.query_one(DiagramView).picture
    assert picture is not None
    return {r.component for r in picture.regions if r.component}


async def answer_prompt(pilot, text: str) -> None:
    assert isinstance(pilot.app.screen, PromptDialog)
    await type_into(pilot, "#value", text)
    await pilot.press("enter")
    await settle(pilot)


async def test_service_add_rename_delete_and_dependencies(design_file: Path) -> None:
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        pane = await screen.show_tab("services")
        await settle(pilot)
        assert isinstance(pane, CollectionPane)

        # add
        pane.table.focus()
        await pilot.press("a")
        await settle(pilot)
        await answer_prompt(pilot, "search")
        assert app.design is not None and app.design.component("search") is not None
        assert pane.table.row_count == len(app.design.services)
        assert "search" in drawn(screen)

        # edit a field through the detail form
        await type_into(pilot, "#services-form #f-replicas", "4")
        svc = app.design.component("search")
        assert isinstance(svc, Service) and svc.replicas == 4

        # add a dependency search -> stripe with the target picker, then edit it
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, PickDialog)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("stripe")
        await pilot.press("enter")
        await settle(pilot)
        dep = app.design.dependencies[-1]
        assert (dep.from_, dep.to, dep.mode) == ("search", "stripe", "sync")
        await type_into(pilot, "#dependency-form #f-timeout_ms", "250")
        assert app.design.dependencies[-1].timeout_ms == 250

        # rename: the dependency follows
        pane.table.focus()
        await pilot.press("r")
        await settle(pilot)
        await answer_prompt(pilot, "finder")
        assert app.design.component("search") is None
        assert app.design.dependencies[-1].from_ == "finder"
        assert "finder" in drawn(screen) and "search" not in drawn(screen)
        assert screen.query_one(DiagramView).selected == "finder"

        # delete the dependency, then the service
        screen.query_one("DataTable.deps", DataTable).focus()
        await pilot.press("x")
        await settle(pilot)
        assert all(d.from_ != "finder" for d in app.design.dependencies)
        pane.select("monolith")
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, DeleteDialog)
        await pilot.click("#drop")
        await settle(pilot)
        assert app.design.component("monolith") is None
        assert all("monolith" not in (d.from_, d.to) for d in app.design.dependencies)
        assert check_references(app.design) == []
        assert "monolith" not in drawn(screen)


async def test_failure_mode_added_and_decision_recorded(design_file: Path) -> None:
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)

        # accept the highlighted verdict: a decision is recorded from it
        await settle(pilot)
        decisions = screen.query_one("#decisions-pane")
        table = decisions.query_one("#pattern-verdicts", DataTable)
        row = [str(k.value) for k in table.rows].index("circuit-breaker")
        table.move_cursor(row=row)
        table.focus()
        await pilot.press("y")
        await settle(pilot)
        assert app.design is not None
        made = [d for d in app.design.decisions if d.pattern == "circuit-breaker"]
        assert len(made) == 1 and made[0].status == "accepted"
        assert made[0].rationale and made[0].alternatives
        # reject it again: the same record changes status, no duplicate
        table.focus()
        await pilot.press("n")
        await settle(pilot)
        made = [d for d in app.design.decisions if d.pattern == "circuit-breaker"]
        assert len(made) == 1 and made[0].status == "rejected"

        # a failure mode
        pane = await screen.show_tab("failures")
        await settle(pilot)
        assert isinstance(pane, CollectionPane)
        pane.table.focus()
        await pilot.press("a")
        await settle(pilot)
        await answer_prompt(pilot, "fm-db-full")
        fm = app.design.failure_modes[-1]
        assert fm.id == "fm-db-full"
        await type_into(pilot, "#failure_modes-form #f-failure", "disk full")
        assert app.design.failure_modes[-1].failure == "disk full"
        matrix = str(screen.query_one("#risk-matrix").render())
        assert matrix  # the matrix is drawn

        # SLOs: achievable availability next to each target, unreachable ones flagged
        await screen.show_tab("slos")
        await settle(pilot)
        slos = screen.query_one("#slo-table", DataTable)
        statuses = {str(k.value): str(slos.get_row(k)[-1]) for k in slos.rows}
        from stratus_tui.core.analysis import achievable_availability

        assert app.design is not None
        achievable = achievable_availability(app.design)
        for s in app.design.services:
            if s.slo and s.slo.availability and achievable.get(s.id, 100) < s.slo.availability:
                assert "unreachable" in statuses[s.id]
        cost = screen.query_one("#cost-total")
        assert "baseline" in str(cost.render())


async def test_ctrl_page_keys_step_through_the_editor_tabs(design_file: Path) -> None:
    from textual.widgets import TabbedContent

    from stratus_tui.ui.screens.architect import TABS
    from stratus_tui.ui.screens.help import help_rows

    async with make_app(design_file).run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await goto(pilot, "2")
        screen = pilot.app.screen
        assert isinstance(screen, ArchitectScreen)
        editors = screen.query_one("#editors", TabbedContent)
        order = [tab for tab, _ in TABS]
        assert editors.active == order[0]
        seen = []
        for _ in order:
            await pilot.press("ctrl+pagedown")
            await settle(pilot)
            seen.append(editors.active)
            focused = pilot.app.focused
            # the keys that follow act on the tab shown: the focus is inside it
            assert focused is not None and editors.get_pane(editors.active) in focused.ancestors
        assert seen == [*order[1:], order[0]]
        await pilot.press("ctrl+pageup")
        await settle(pilot)
        assert editors.active == order[-1]
        ids = {row.binding_id for row in help_rows(pilot.app.screen)}  # `?` lists them
        assert {"architect.next_tab", "architect.previous_tab"} <= ids
