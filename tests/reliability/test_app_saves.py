"""The workbench's own saves (issue 12, items 7 and 8), driven through the real app.

A slow save is never taken for someone else's change, edits typed during a save are
saved after it, and pending edits reach the disk on every way out except "Quit without
saving".
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from stratus_tui.core.store import design_file as store
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui import app as app_module
from stratus_tui.ui.app import StratusApp, make_app
from stratus_tui.ui.dialogs.choice import ChoiceDialog

pytestmark = pytest.mark.reliability

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"


@pytest.fixture
def design_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STRATUS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("STRATUS_CONFIG_DIR", str(tmp_path / "config"))
    target = tmp_path / "checkout.yaml"
    shutil.copy(SAMPLE, target)
    return target


def _renamed(app: StratusApp, name: str) -> None:
    assert app.design is not None
    app.apply(app.design.model_copy(update={"name": name}), "rename")


@pytest.fixture
def held_after_rename(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, ...]]:
    """Hold a worker's save just after its rename (the file is new, the save not done):
    the moment a slow save at 300 services spends writing its folder entry and fsyncs."""
    renamed, release = threading.Event(), threading.Event()
    real = store._fsync_dir

    def held(folder: Path) -> None:
        if threading.current_thread() is not threading.main_thread():
            renamed.set()
            release.wait(30)
        real(folder)

    monkeypatch.setattr(store, "_fsync_dir", held)
    yield renamed, release
    release.set()


async def test_own_slow_save_is_not_someone_elses_and_edits_meanwhile_are_kept(
    design_file: Path, held_after_rename: tuple[threading.Event, threading.Event]
) -> None:
    renamed, release = held_after_rename
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        app = pilot.app
        assert isinstance(app, StratusApp)
        _renamed(app, "First edit")
        app._autosave()  # the debounce is over: the worker saves
        assert await asyncio.to_thread(renamed.wait, 30)
        # The file on disk is already the new one; the poll must not call it a stranger's.
        app.check_external_change()
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
        # Typed while the save is still running, and its autosave fires meanwhile.
        _renamed(app, "Typed during the save")
        app._autosave()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
        # The first save is done; the edit typed during it is still to be saved, and is
        # scheduled: fire the autosave timer's callback rather than wait a second.
        assert app.dirty and app._save_timer is not None
        app._save_timer.stop()
        app._autosave()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
        assert load_design(design_file).name == "Typed during the save"
        assert not app.dirty
        app.check_external_change()
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)


async def test_a_pending_edit_is_saved_when_the_app_exits(design_file: Path) -> None:
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        _renamed(app, "Saved on the way out")
        assert app.dirty  # autosave is a second away; the app exits before
        app.exit()
    assert load_design(design_file).name == "Saved on the way out"


async def test_quit_without_saving_saves_nothing(
    design_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The autosave must not beat the key under load: its timer is not what this tests.
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 3600.0)
    before = design_file.read_bytes()
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        _renamed(app, "Not wanted")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-discard")
        await pilot.pause()
    assert design_file.read_bytes() == before


async def _past_the_autosave_deadline(app: StratusApp) -> None:
    """Let an autosave scheduled now (or earlier) fire if it is going to, then let its save
    finish: the app's own timer, set later than the autosave's, fires after it."""
    passed = asyncio.Event()
    app.set_timer(app_module.AUTOSAVE_DELAY * 2, passed.set)
    await passed.wait()
    await app.workers.wait_for_complete()


async def test_quit_dialog_holds_the_autosave_until_answered(
    design_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thinking over "There are unsaved changes" for longer than the autosave delay must not
    save what "Quit without saving" then throws away."""
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 0.2)
    before = design_file.read_bytes()
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        _renamed(app, "Not wanted")  # schedules the autosave ...
        await app.run_action("quit")  # ... and asks, without yielding to its timer between
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await _past_the_autosave_deadline(app)
        assert design_file.read_bytes() == before
        assert app.dirty and isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-discard")
        await pilot.pause()
    assert design_file.read_bytes() == before


async def test_cancelling_the_quit_dialog_autosaves_as_before(
    design_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 0.2)
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        _renamed(app, "Kept")
        await app.run_action("quit")
        await pilot.pause()
        await pilot.click("#choice-cancel")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
        await _past_the_autosave_deadline(app)
        await pilot.pause()
        assert load_design(design_file).name == "Kept"
        assert not app.dirty


async def test_a_conflict_on_the_way_out_keeps_both_versions(
    design_file: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    theirs = design_file.read_text().replace("engineers: 12", "engineers: 99")
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        _renamed(app, "Mine")
        design_file.write_text(theirs)  # someone else saves just before the session ends
        app.exit()
    assert design_file.read_text() == theirs
    copies = list(design_file.parent.glob("checkout.conflict-*.yaml"))
    assert len(copies) == 1
    assert load_design(copies[0]).name == "Mine"
    # Said on the terminal after the app leaves the alternate screen.
    said = capfd.readouterr().err.replace("\n", "")
    assert f"your version is in {copies[0]}" in said


async def test_reload_keeps_your_version_one_undo_away(design_file: Path) -> None:
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.autosave_enabled = False
        _renamed(app, "Typed before the reload")
        design_file.write_text(design_file.read_text().replace("engineers: 12", "engineers: 99"))
        app.check_external_change()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-reload")
        await pilot.pause()
        assert app.design is not None and app.design.discovery.team.engineers == 99
        await pilot.press("ctrl+z")
        assert app.design is not None and app.design.name == "Typed before the reload"
