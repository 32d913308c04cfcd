"""Issue 11, items 1, 2, 3, 8, 9: the editing defects, each replayed with the issue's keys
on a copy of the bundled sample, checking the screen and the file on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.app import make_app
from stratus_tui.ui.dialogs.delete import DeleteDialog
from stratus_tui.ui.dialogs.pick import PickDialog
from stratus_tui.ui.dialogs.prompt import PromptDialog
from stratus_tui.ui.panes.services import ServicesPane
from stratus_tui.ui.screens.architect import ArchitectScreen
from stratus_tui.ui.widgets.form import ModelForm

from .helpers import settle, stratus

SIZE = (160, 48)


async def palette(pilot: Pilot[Any], command: str) -> None:
    """Run a palette command as a user does: ctrl+p, type it, Enter."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*command)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def header_status(pilot: Pilot[Any]) -> str:
    return str(pilot.app.screen.query_one("#header-status", Static).render())


def messages(pilot: Pilot[Any]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


def services_pane(pilot: Pilot[Any]) -> ServicesPane:
    screen = pilot.app.screen
    assert isinstance(screen, ArchitectScreen)
    return screen.query_one(ServicesPane)


def flushed(pilot: Pilot[Any], path: Path) -> bytes:
    """The file after any pending autosave has been written."""
    stratus(pilot).save_now()
    return path.read_bytes()


async def test_down_onto_a_dependency_target_does_not_crash(design_file: Path) -> None:
    """Item 1: `2`, palette `jump: gateway`, Enter, ↓ raised InvalidSelectValueError."""
    original = design_file.read_bytes()
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: gateway")
        pane = services_pane(pilot)
        assert pane.selected_id == "gateway"
        assert pilot.app.focused is pane.table
        await pilot.press("down")
        await settle(pilot)
        assert pilot.app.return_code is None  # still running
        assert pane.selected_id == "checkout"
        # The dependency editor (loaded when it is shown) holds one of checkout's own
        # dependencies, and its target picker holds a value that is one of its options.
        pane.deps_table.focus()
        await settle(pilot)
        dep = pane.dep_form.model
        assert dep is not None and dep.from_ == "checkout"  # type: ignore[attr-defined]
        to = pane.dep_form.query_one("#f-to", Select)
        assert to.value == dep.to  # type: ignore[attr-defined]
        pane.table.focus()
        await settle(pilot)
        # Arrow through every service and back: never a crash, always the right owner.
        for key in ["down"] * 6 + ["up"] * 6:
            await pilot.press(key)
            await settle(pilot)
            shown = pane.dep_form.model
            assert shown is None or shown.from_ == pane.selected_id  # type: ignore[attr-defined]
    assert design_file.read_bytes() == original  # nothing was edited


async def test_x_on_a_service_without_dependencies_deletes_nothing(design_file: Path) -> None:
    """Item 2: add a service, press `x`: another service's dependency was deleted."""
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: gateway")
        pane = services_pane(pilot)
        # gateway's dependencies are on screen; now add a service, as the issue did
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")  # the suggested id
        await settle(pilot)
        assert app.design is not None
        new_id = app.design.services[-1].id
        before = app.design.dependencies
        pane.table.focus()
        await settle(pilot)
        assert pane.selected_id == new_id
        # The dependency editor is empty and disabled: no stale dependency to type into.
        assert pane.dep_form.model is None and pane.dep_form.disabled
        assert pane.deps_table.row_count == 0
        await pilot.press("x")
        await settle(pilot)
        assert app.design.dependencies == before
        assert any("nothing deleted" in m for m in messages(pilot))
        on_disk = load_design(design_file) if flushed(pilot, design_file) else None
        assert on_disk is not None and on_disk.dependencies == before


async def test_delete_dependency_names_it_and_undo_restores_the_bytes(
    design_file: Path,
) -> None:
    """Item 2/9: `x` on a real dependency says what it deleted; ctrl+z puts back the line
    as it was written (`mode: sync` kept, `1000` not `1000.0`)."""
    original = design_file.read_bytes()
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: gateway")
        pane = services_pane(pilot)
        pane.deps_table.focus()
        await settle(pilot)
        assert pane.dep_form.model is not None
        gone = pane.dep_form.model
        await pilot.press("x")
        await settle(pilot)
        assert app.design is not None and gone not in app.design.dependencies
        assert any("Deleted dependency gateway → checkout (sync)" in m for m in messages(pilot))
        assert b"{from: gateway, to: checkout," not in flushed(pilot, design_file)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert flushed(pilot, design_file) == original


async def test_an_invalid_value_never_reaches_the_file(design_file: Path) -> None:
    """Item 3: DISCOVER, availability: clear it, type `150`. The `15` keystroke was saved
    and the header said saved."""
    original = design_file.read_bytes()
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        field = app.screen.query_one("#f-requirements__availability", Input)
        field.focus()
        await pilot.press("end", *["backspace"] * len(field.value), "1", "5", "0")
        await settle(pilot)
        assert field.value == "150" and field.has_class("-invalid")
        error = app.screen.query_one("#f-requirements__availability-error", Static)
        assert "100" in str(error.render())
        assert app.design is not None
        assert app.design.discovery.requirements.availability == 99.9
        assert "unsaved: invalid value in availability" in header_status(pilot)
        assert flushed(pilot, design_file) == original
        # Still not "saved" once the file is written: the screen shows 150.
        await settle(pilot)
        assert "✓ saved" not in header_status(pilot)
        # Fixing it commits the value and the header tells the truth again.
        await pilot.press("backspace")
        await settle(pilot)
        assert app.design.discovery.requirements.availability == 15
        assert not field.has_class("-invalid")
        assert b"    availability: 15\n" in flushed(pilot, design_file)
        await settle(pilot)
        assert "✓ saved" in header_status(pilot)


async def test_invalid_numbers_and_ids_in_architect_are_not_applied(design_file: Path) -> None:
    """Item 3, audited: a whole-number field and an id field in ARCHITECT's editors."""
    original = design_file.read_bytes()
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: checkout")
        form = services_pane(pilot).form
        replicas = form.query_one("#f-replicas", Input)
        replicas.focus()
        await pilot.press("end", "backspace", "4", "x")  # 3 -> 4 -> 4x
        await settle(pilot)
        assert replicas.value == "4x" and replicas.has_class("-invalid")
        assert app.design is not None and app.design.component("checkout").replicas == 3  # type: ignore[union-attr]
        assert "unsaved: invalid value in replicas" in header_status(pilot)
        assert flushed(pilot, design_file) == original
        # Leaving for another service drops the pending text: screen and file agree.
        services_pane(pilot).table.focus()
        await pilot.press("down")
        await settle(pilot)
        assert not form.invalid
        assert "invalid" not in header_status(pilot)
        # An id that names nothing (a decision superseded by a missing one) is refused.
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        decisions = await screen.show_tab("decisions")
        await settle(pilot)
        records = decisions.query_one("#decision-records")
        records_form = records.query_one(ModelForm)
        records.query_one("DataTable.items", DataTable).focus()
        await settle(pilot)
        field = records_form.query_one("#f-superseded_by", Input)
        field.focus()
        await pilot.press(*"adr-999")
        await settle(pilot)
        assert field.has_class("-invalid")
        assert all(d.superseded_by is None for d in app.design.decisions)
        assert flushed(pilot, design_file) == original


async def test_new_failure_mode_goes_to_the_selected_component(design_file: Path) -> None:
    """Item 8: the new failure mode was for the alphabetically first component."""
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: payments")
        await palette(pilot, "add: failure mode")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.design is not None
        fm = app.design.failure_modes[-1]
        assert fm.component == "payments"
        shown = app.screen.query_one("#failure_modes-form #f-component", Select)
        assert shown.value == "payments"
        flushed(pilot, design_file)
        assert load_design(design_file).failure_modes[-1].component == "payments"


async def test_integers_stay_integers_through_edit_and_undo(design_file: Path) -> None:
    """Item 9: an edited timeout is written `750` (an integer), and undo restores the file's
    bytes. payments -> stripe is at 400 ms since the checkout sample's timeouts nest inside
    each caller's p99 (sample fixes, commit 030e1e9)."""
    original = design_file.read_bytes()
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: payments")
        pane = services_pane(pilot)
        pane.deps_table.focus()
        await settle(pilot)
        timeout = pane.dep_form.query_one("#f-timeout_ms", Input)
        assert timeout.value == "400"
        timeout.focus()
        await pilot.press("end", "backspace", "backspace", "backspace", "7", "5", "0")
        await settle(pilot)
        text = flushed(pilot, design_file).decode()
        assert "to: stripe, mode: sync, protocol: rest, timeout_ms: 750, retries: 0" in text
        pane.deps_table.focus()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert flushed(pilot, design_file) == original


async def test_delete_dialog_offers_repointing_only_with_references(design_file: Path) -> None:
    """Item 10: nothing references a new service, so there is nothing to re-point."""
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: stripe")
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, DeleteDialog)
        assert app.screen.query_one("#repoint").display
        await pilot.press("escape")
        await settle(pilot)
        await palette(pilot, "add: service")
        await pilot.press("enter")
        await settle(pilot)
        services_pane(pilot).table.focus()
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, DeleteDialog)
        assert not app.screen.query_one("#repoint").display
        assert not app.screen.query_one("#target").display


async def test_dependency_picker_filters_as_you_type(design_file: Path) -> None:
    """Item 10: the target picker of a new dependency narrows to what is typed."""
    async with make_app(design_file).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await pilot.press("2")
        await settle(pilot)
        await palette(pilot, "jump: notifications")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"strip")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.design is not None
        dep = app.design.dependencies[-1]
        assert (dep.from_, dep.to) == ("notifications", "stripe")
