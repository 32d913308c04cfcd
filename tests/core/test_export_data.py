"""JSON, TOML and YAML exports: deterministic, and each reloads to an equal model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import (
    load_design,
    new_document,
    open_document,
    save_document,
)
from stratus_tui.core.store.serialise import to_json, to_toml, to_yaml
from tests.support.design_strategies import designs

FORMATS = {"json": to_json, "toml": to_toml, "yaml": to_yaml}
FAST = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("sample", sample_names())
def test_sample_export_reloads_equal(tmp_path: Path, fmt: str, sample: str) -> None:
    design = load_design(sample_path(sample))
    out = tmp_path / f"design.{fmt}"
    out.write_text(FORMATS[fmt](design), encoding="utf-8")
    assert load_design(out) == design


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_are_deterministic(fmt: str) -> None:
    first = FORMATS[fmt](load_design(sample_path("checkout")))
    second = FORMATS[fmt](load_design(sample_path("checkout")))
    assert first == second
    assert first.endswith("\n")


def test_toml_omits_absent_values() -> None:
    # TOML has no null: unset fields are left out, never written as "" or 0.
    text = to_toml(Design(name="x", scope=None))
    assert "scope" not in text
    assert text.splitlines()[:2] == ["stratus = 1", 'name = "x"']


@FAST
@given(design=designs())
def test_random_designs_reload_equal_in_every_format(tmp_path: Path, design: Design) -> None:
    for fmt, export in FORMATS.items():
        out = tmp_path / f"d.{fmt}"
        out.write_text(export(design), encoding="utf-8")
        assert load_design(out) == design, fmt


@FAST
@given(design=designs())
def test_save_then_load_is_identity(tmp_path: Path, design: Design) -> None:
    path = tmp_path / "saved.yaml"
    path.unlink(missing_ok=True)
    save_document(new_document(path, design), design)
    assert load_design(path) == design
    # And an edit-path save of the reopened file changes nothing.
    doc = open_document(path)
    before = path.read_bytes()
    save_document(doc, doc.design)
    assert path.read_bytes() == before
