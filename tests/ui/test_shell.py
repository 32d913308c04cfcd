"""The shell: header, modes, help, keymap, quitting, welcome, opening files."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.app import make_app
from stratus_tui.ui.dialogs.choice import ChoiceDialog
from stratus_tui.ui.screens.help import HelpScreen

from .helpers import goto, settle, stratus


async def test_header_modes_help_and_keymap(design_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('"mode.review" = "f4"\n')
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = pilot.app.screen.query_one("#header-activation", Static)
        assert (
            "STRATUS online. Mapping infrastructure topology and failure surface for "
            "checkout and payments." in str(header.render())
        )
        for key, mode in (("2", "architect"), ("5", "export"), ("3", "storm"), ("1", "discover")):
            await goto(pilot, key)
            assert pilot.app.current_mode == mode
        # remapped through keymap.toml: f4 is REVIEW now, 4 no longer is
        await goto(pilot, "4")
        assert pilot.app.current_mode == "discover"
        await goto(pilot, "f4")
        assert pilot.app.current_mode == "review"
        # help lists every active binding with its id
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HelpScreen)
        ids = {row[2] for row in screen.rows}
        assert {"app.undo", "app.quit", "mode.architect", "mode.review"} <= ids
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_quit_with_unsaved_changes_asks(design_file: Path) -> None:
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.autosave_enabled = False
        design = stratus(pilot).design
        assert design is not None
        app.apply(design.model_copy(update={"scope": "payments only"}), "edit scope")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-save")
        await settle(pilot)
    assert load_design(design_file).scope == "payments only"


async def test_welcome_without_a_file_and_new_from_sample(
    tmp_path: Path, monkeypatch: object
) -> None:
    import os

    os.chdir(tmp_path)
    app = make_app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current_mode == "welcome" and app.design is None
        await pilot.press("escape", "2")  # no design: modes are disabled
        assert app.current_mode == "welcome"
        samples = app.screen.query_one("#samples")
        samples.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # accept the suggested file name
        await settle(pilot)
        assert app.current_mode == "discover"
        assert app.design is not None
        assert (tmp_path / "checkout.yaml").is_file()


async def test_missing_file_is_created(tmp_path: Path) -> None:
    target = tmp_path / "fresh.yaml"
    async with make_app(target).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    assert load_design(target).name == "fresh"


async def test_invalid_file_opens_welcome_with_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices: [{id: a, replicas: -1}]\n")
    before = bad.read_bytes()
    app = make_app(bad)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current_mode == "welcome"
        assert app.open_error is not None and "bad.yaml:3" in app.open_error
    assert bad.read_bytes() == before


def test_cli_reports_an_invalid_design_with_its_position_and_exits_1(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices: [{id: a, replicas: -1}]\n")
    before = bad.read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "stratus_tui", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1
    assert f"{bad}:3:" in run.stderr and "Traceback" not in run.stderr
    assert bad.read_bytes() == before


async def test_welcome_imports_a_compose_file(tmp_path: Path) -> None:
    compose = tmp_path / "docker-compose.yaml"
    compose.write_text(
        "services:\n"
        "  web:\n    image: nginx\n    depends_on: [api]\n"
        "  api:\n    image: python:3.11\n    depends_on: [db]\n"
        "  db:\n    image: postgres:16\n"
    )
    (tmp_path / "docker-compose.stratus.yaml").write_text("keep me\n")  # never overwritten
    app = make_app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#value").value = str(compose)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "discover"
        assert app.design is not None
        assert {"web", "api"} <= app.design.component_ids()
    assert (tmp_path / "docker-compose.stratus.yaml").read_text() == "keep me\n"
    assert load_design(tmp_path / "docker-compose-2.stratus.yaml") == app.design
