"""The welcome screen's new-from-sample and import go through core/actions, as
`stratus new` and `stratus import` do: same formats, same refusals, same header."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.app import make_app
from stratus_tui.ui.dialogs.prompt import PromptDialog
from stratus_tui.ui.screens.welcome import WelcomeScreen

from .helpers import settle, stratus

COMPOSE = (
    "services:\n"
    "  web:\n    image: nginx\n    depends_on: [api]\n"
    "  api:\n    image: python:3.11\n    depends_on: [db]\n    replicas: 3\n"
    "  db:\n    image: postgres:16\n"
)


def _notes(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_new_from_a_sample_to_a_json_name_writes_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "shop.json"
    app = make_app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#samples").focus()
        await pilot.press("enter")  # the first sample
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one("#value", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "discover"
        document = stratus(pilot).document
        assert document is not None and document.path == target.resolve()
    sample = sample_names()[0]
    assert json.loads(target.read_text(encoding="utf-8"))["name"]  # JSON, not YAML
    assert load_design(target) == load_design(sample_path(sample))


async def test_new_from_a_sample_over_an_existing_file_is_refused(tmp_path: Path) -> None:
    """The prompt refuses a taken name; a file that appears after it is refused too."""
    target = tmp_path / "taken.yaml"
    target.write_bytes(b"precious\n")
    app = make_app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WelcomeScreen)
        await screen._new_from_sample(sample_names()[0], str(target))
        await settle(pilot)
        assert app.current_mode == "welcome" and app.design is None
        assert f"{target}: already exists; choose another name (nothing was written)" in (
            _notes(app)
        )
    assert target.read_bytes() == b"precious\n"


async def test_import_writes_a_free_name_with_the_header_and_opens_it(tmp_path: Path) -> None:
    compose = tmp_path / "shop.yml"
    compose.write_text(COMPOSE)
    (tmp_path / "shop.stratus.yaml").write_text("keep me\n")  # taken: never overwritten
    written = tmp_path / "shop-2.stratus.yaml"
    app = make_app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        assert "LikeC4" in app.screen.title_text and "Structurizr" in app.screen.title_text
        app.screen.query_one("#value", Input).value = str(compose)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "discover"
        document = stratus(pilot).document
        assert document is not None and document.path == written.resolve()
        assert app.design is not None and {"web", "api", "db"} <= app.design.component_ids()
        summary = next(n for n in _notes(app) if n.startswith("imported "))
        assert summary.startswith(f"imported {compose} (compose): 2 services, 1 datastores")
        assert f"-> {written}" in summary
        assert "skipped 1:" in summary and "replicas" in summary
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# Imported by `stratus import` from shop.yml (compose).\n# Review")
    assert {"web", "api", "db"} <= load_design(written).component_ids()
    assert (tmp_path / "shop.stratus.yaml").read_text() == "keep me\n"
