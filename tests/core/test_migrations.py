"""Version handling: registered upgrade steps run in order; newer files are refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stratus_tui.core.model import SCHEMA_VERSION
from stratus_tui.core.problems import DesignError
from stratus_tui.core.store.design_file import load_design, open_document, save_document
from stratus_tui.core.store.migrations import MIGRATIONS, migrate, register_migration


@pytest.fixture
def fake_v0() -> Iterator[None]:
    """A pretend version 0 that called the design's name `title`."""

    @register_migration(0)
    def rename_title(data: dict[str, Any]) -> dict[str, Any]:
        data["name"] = data.pop("title")
        return data

    yield
    MIGRATIONS.pop(0)


def test_migrate_runs_the_step_and_sets_the_version(fake_v0: None) -> None:
    data, passed = migrate({"stratus": 0, "title": "Old"})
    assert data == {"stratus": 1, "name": "Old"}
    assert passed == [0]


def test_an_old_file_loads_as_the_current_version(tmp_path: Path, fake_v0: None) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("# written by stratus 0.x\nstratus: 0\ntitle: Old shop  # its name\n")
    assert load_design(path).name == "Old shop"


def test_saving_a_migrated_file_writes_the_new_version(tmp_path: Path, fake_v0: None) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("# written by stratus 0.x\nstratus: 0\ntitle: Old shop\nscope: s\n")
    doc = open_document(path)
    assert doc.migrated_from == (0,)
    save_document(doc, doc.design)
    text = path.read_text()
    assert text.startswith("# written by stratus 0.x\nstratus: 1\n")
    assert "title" not in text and "name: Old shop" in text
    assert (
        (tmp_path / "old.yaml.bak").read_text().startswith("# written by stratus 0.x\nstratus: 0")
    )


def test_current_version_needs_no_step() -> None:
    assert migrate({"stratus": 1, "name": "x"}) == ({"stratus": 1, "name": "x"}, [])


def test_version_without_a_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("stratus: 0\nname: x\n")
    with pytest.raises(DesignError) as info:
        load_design(path)
    (problem,) = info.value.problems
    assert "version 0 is not supported" in problem.message
    assert (problem.line, problem.column) == (1, 10)


def test_newer_version_is_refused_with_a_clear_message() -> None:
    with pytest.raises(DesignError) as info:
        migrate({"stratus": SCHEMA_VERSION + 1, "name": "x"})
    assert "upgrade stratus" in info.value.problems[0].message
