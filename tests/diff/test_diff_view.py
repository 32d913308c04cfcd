"""REVIEW's "since last commit" tab, driven by Pilot on a design in a real git repository."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import TabbedContent

from stratus_tui.ui.app import make_app
from stratus_tui.ui.widgets.diff_view import WAITING, DiffView
from tests.ui.helpers import goto, settle, stratus

from .conftest import SAMPLE


async def _open_tab(pilot: Pilot[Any]) -> DiffView:
    await goto(pilot, "4")
    tabs = pilot.app.screen.query_one("#review-tabs", TabbedContent)
    tabs.active = "diff-tab"
    await settle(pilot)
    return pilot.app.screen.query_one("#diff-view", DiffView)


async def test_the_tab_shows_what_the_unsaved_edit_does(repo: Path) -> None:
    app = make_app(repo / "design.yaml")
    app.autosave_enabled = False  # the edit stays in the workbench: HEAD and the file agree
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        view = await _open_tab(pilot)
        assert "No change" in view.text

        workbench = stratus(pilot)
        design = workbench.design
        assert design is not None
        services = tuple(
            s.model_copy(update={"replicas": 1}) if s.id == "checkout" else s
            for s in design.services
        )
        workbench.apply(design.model_copy(update={"services": services}), "one copy")
        await settle(pilot)
        text = view.text
        assert text.startswith("**STRATUS design diff** (HEAD:design.yaml → design.yaml")
        assert "### Findings: 1 opened, 1 closed" in text
        assert "`spof`" in text and "opened" in text
        assert "98.832 % → 98.347 %" in text
        assert "<details" not in text and "```mermaid" not in text  # no HTML in a terminal
        assert (repo / "design.yaml").read_bytes() == SAMPLE.read_bytes()


async def test_a_hidden_tab_computes_nothing_until_shown(repo: Path) -> None:
    async with make_app(repo / "design.yaml").run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await goto(pilot, "4")
        view = pilot.app.screen.query_one("#diff-view", DiffView)
        assert view.text == WAITING  # the report tab is in front
        view = await _open_tab(pilot)
        assert "No change" in view.text


async def test_outside_a_repository_the_tab_says_so(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.copy(SAMPLE, plain / "design.yaml")
    async with make_app(plain / "design.yaml").run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        view = await _open_tab(pilot)
        assert view.text.startswith("Nothing to compare with:")
        assert "not a git repository" in view.text
