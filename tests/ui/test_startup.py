"""Start-up: the design is read with the fast loader after the first frame, and the
round-trip tree for comment-keeping saves is built later from the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from stratus_tui.core import edits
from stratus_tui.core.store.design_file import (
    ExternalChangeError,
    load_design,
    open_document,
    save_document,
    with_tree,
)
from stratus_tui.ui.app import TREE_DELAY, make_app

from .helpers import settle

COMMENT = "# the three teams block each other today"


def test_lazy_open_reads_fast_and_builds_the_tree_from_the_bytes_it_read(
    design_file: Path,
) -> None:
    text = design_file.read_text()
    doc = open_document(design_file, lazy=True)
    assert doc.tree is None and doc.source == text
    assert doc.design == load_design(design_file)
    # Someone edits the file after we opened it: the tree still comes from what we read,
    # and saving over their edit is refused (the digest is of the bytes read at open).
    design_file.write_text(text.replace("name: Checkout platform", "name: Theirs"))
    built = with_tree(doc)
    assert built.tree["name"] == "Checkout platform"
    assert built.digest == doc.digest and built.source is None
    with pytest.raises(ExternalChangeError):
        save_document(doc, edits.update_design(doc.design, name="Mine"))
    assert "name: Theirs" in design_file.read_text()


def test_a_save_before_the_tree_is_built_keeps_comments(design_file: Path) -> None:
    doc = open_document(design_file, lazy=True)
    saved = save_document(doc, edits.update_design(doc.design, name="Renamed"))
    text = design_file.read_text()
    assert COMMENT in text and "name: Renamed" in text
    assert saved.tree is not None
    assert load_design(design_file).name == "Renamed"


async def test_deferred_start_shows_the_design_then_keeps_comments(design_file: Path) -> None:
    app = make_app(design_file, defer_load=True)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current_mode == "discover"
        assert app.design == load_design(design_file)
        engineers = app.screen.query_one("#f-team__engineers", Input)
        assert engineers.value == str(app.design.discovery.team.engineers)
        assert app.screen.query_one("#verdicts", DataTable).row_count > 0
        # The round-trip tree is parsed in a worker once the screen has settled.
        await pilot.pause(TREE_DELAY + 0.1)
        await app.workers.wait_for_complete()
        assert app.document is not None and app.document.tree is not None
        app.apply(edits.update_design(app.design, name="Renamed"), "rename")
        assert app.save_now()
    text = design_file.read_text()
    assert COMMENT in text and "name: Renamed" in text


async def test_deferred_start_of_an_invalid_file_ends_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices: [{id: a, replicas: -1}]\n")
    before = bad.read_bytes()
    app = make_app(bad, defer_load=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 1
    assert app.open_error is not None and "bad.yaml:3" in app.open_error
    assert app.design is None
    assert bad.read_bytes() == before


def test_the_first_frame_needs_neither_pydantic_nor_the_model(tmp_path: Path) -> None:
    import subprocess
    import sys

    # A fresh interpreter: what DISCOVER's first frame imports, nothing more.
    code = (
        "import sys\n"
        "from stratus_tui.ui.app import make_app\n"
        "from stratus_tui.ui.screens.discover import DiscoverScreen\n"
        "print(sorted(m for m in ('pydantic', 'stratus_tui.core.model') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
