"""Under `stratus serve`, exports stay inside the design's folder (issue 12, item 1).

serve gives every app STRATUS_EXPORT_ROOT (tests/reliability/test_serve_sessions.py checks
the served process's environment); here the EXPORT screen, driven by Pilot as a browser
user would drive it, refuses any folder outside that root and writes inside it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, SelectionList, Static

from stratus_tui.core.confine import EXPORT_ROOT_ENV, OutsideRootError, confine, export_root
from stratus_tui.core.resources import sample_path
from stratus_tui.ui.app import make_app
from tests.ui.helpers import goto, settle, stratus


@pytest.fixture
def room(tmp_path: Path) -> Path:
    folder = tmp_path / "room"
    folder.mkdir()
    shutil.copy(sample_path("checkout"), folder / "checkout.yaml")
    return folder


def test_folders_inside_the_root_are_allowed(room: Path) -> None:
    assert confine(room, room) == room.resolve()
    assert confine(room / "docs" / "new", room) == (room / "docs" / "new").resolve()
    assert confine(Path("/anywhere"), None) == Path("/anywhere")  # not confined: as given


@pytest.mark.parametrize("escape", ["..", "../elsewhere", "docs/../../x", "/tmp", "~"])
def test_folders_outside_the_root_are_refused(room: Path, escape: str) -> None:
    with pytest.raises(OutsideRootError, match="exports stay inside the design's folder"):
        confine(room / escape if not escape.startswith(("/", "~")) else Path(escape), room)


def test_a_symlink_out_of_the_root_is_refused(room: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (room / "docs").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutsideRootError):
        confine(room / "docs", room)


def test_the_root_comes_from_the_environment(room: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EXPORT_ROOT_ENV, raising=False)
    assert export_root() is None
    monkeypatch.setenv(EXPORT_ROOT_ENV, str(room))
    assert export_root() == room


async def export_to(folder: str, design: Path) -> tuple[str, str]:
    """Write `mermaid` into `folder` from the EXPORT screen; the Written and status texts."""
    async with make_app(design).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await goto(pilot, "5")
        screen = stratus(pilot).screen
        screen.query_one("#folder", Input).value = folder
        formats = screen.query_one("#formats", SelectionList)
        formats.deselect_all()
        formats.select("mermaid")
        await settle(pilot)
        await pilot.click("#write")
        await settle(pilot)
        written = str(screen.query_one("#written", Static).render())
        status = str(screen.query_one("#export-status", Static).render())
    return written, status


async def test_an_export_outside_the_design_folder_is_refused_under_serve(
    room: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXPORT_ROOT_ENV, str(room))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    written, status = await export_to(str(outside), room / "checkout.yaml")
    assert "Export failed" in written
    assert "exports stay inside the design's folder" in written
    assert os.listdir(outside) == ["keep.txt"]  # nothing written there
    assert "keep.txt" not in status  # nor is the folder listed back to the browser


async def test_an_export_inside_the_design_folder_is_written_under_serve(
    room: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXPORT_ROOT_ENV, str(room))
    written, _ = await export_to(str(room / "docs"), room / "checkout.yaml")
    assert "checkout.mmd (written)" in written
    assert (room / "docs" / "checkout.mmd").is_file()


async def test_without_serve_exports_go_anywhere(
    room: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(EXPORT_ROOT_ENV, raising=False)
    written, _ = await export_to(str(tmp_path / "elsewhere"), room / "checkout.yaml")
    assert (tmp_path / "elsewhere" / "checkout.mmd").is_file(), written
