"""Nothing lost: undo/redo, autosave, external changes."""

from __future__ import annotations

from pathlib import Path

from stratus_tui.core import edits
from stratus_tui.core.model import Service
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.app import make_app
from stratus_tui.ui.dialogs.choice import ChoiceDialog

from .helpers import settle, stratus, type_into


async def test_undo_redo_restore_exact_models(design_file: Path) -> None:
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        app.autosave_enabled = False
        d0 = app.design
        assert d0 is not None
        d1 = edits.add_service(d0, Service(id="search"))
        app.apply(d1, "add search")
        d2 = edits.rename_component(d1, "monolith", "legacy")
        app.apply(d2, "rename monolith")
        # typing in a field is one undo step per field, not one per key
        await type_into(pilot, "#f-team__engineers", "345")
        d3 = app.design
        assert d3 is not None and d3.discovery.team.engineers == 345
        assert [lbl for _d, lbl in app.history.past][-1:] == ["answer team.engineers"]
        await pilot.press("escape", "ctrl+z")
        assert app.design == d2
        await pilot.press("ctrl+z")
        assert app.design == d1
        await pilot.press("ctrl+z")
        assert app.design == d0
        await pilot.press("ctrl+y", "ctrl+y", "ctrl+y")
        assert app.design == d3
        # the form shows the restored value
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.screen.query_one("#f-team__engineers").value == "12"  # type: ignore[attr-defined]


async def test_autosave_leaves_a_valid_file(design_file: Path) -> None:
    original = design_file.read_text()
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await type_into(pilot, "#f-team__engineers", "40")
        assert app.dirty
        await pilot.pause(1.5)  # the debounce is about a second
        await settle(pilot)
        assert not app.dirty
        saved = load_design(design_file)
        assert saved == app.design
        assert saved.discovery.team.engineers == 40
    text = design_file.read_text()
    assert "# E-commerce checkout leaving a monolith." in text  # comments survive
    assert Path(str(design_file) + ".bak").read_text() == original


async def test_external_change_reload_or_keep(design_file: Path) -> None:
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        changed = design_file.read_text().replace("engineers: 12", "engineers: 99")
        design_file.write_text(changed)
        app.check_external_change()
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-reload")
        await settle(pilot)
        assert app.design is not None and app.design.discovery.team.engineers == 99

        # someone changes it again; this time we keep ours, which overwrites theirs
        design_file.write_text(changed.replace("engineers: 99", "engineers: 7"))
        app.check_external_change()
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-keep")
        await settle(pilot)
        assert load_design(design_file).discovery.team.engineers == 99
        # and the poll is quiet once the file is ours again
        app.check_external_change()
        await settle(pilot)
        assert not isinstance(app.screen, ChoiceDialog)
