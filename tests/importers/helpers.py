"""Helpers for the importer tests: fixtures on disk, writing and re-loading designs."""

from __future__ import annotations

import re
from pathlib import Path

from stratus_tui.core.importers import ImportResult, import_source
from stratus_tui.core.model import ID_PATTERN, Datastore, Design, External, Service
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.validation import check_references

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Path:
    """Path of a fixture file."""
    return FIXTURES / name


def import_and_reload(path: Path, tmp_path: Path, **kw: object) -> tuple[ImportResult, Design]:
    """Import `path`, write the design as YAML and load it back with the real loader."""
    from stratus_tui.core.store.serialise import to_yaml

    result = import_source(path, **kw)  # type: ignore[arg-type]
    assert check_references(result.design) == []
    out = tmp_path / f"{path.stem}-imported.yaml"
    out.write_text(to_yaml(result.design), encoding="utf-8")
    reloaded = load_design(out)
    assert reloaded == result.design
    assert_ids_valid(reloaded)
    return result, reloaded


def assert_ids_valid(design: Design) -> None:
    """Every component id matches the id rule and the id space is shared without clashes."""
    ids = [c.id for c in design.services] + [c.id for c in design.datastores]
    ids += [c.id for c in design.externals]
    assert len(ids) == len(set(ids))
    for cid in ids:
        assert re.match(ID_PATTERN, cid), cid


def deps(design: Design) -> set[tuple[str, str, str]]:
    """Dependencies as (from, to, mode)."""
    return {(d.from_, d.to, d.mode) for d in design.dependencies}


def by_id(design: Design) -> dict[str, Service | Datastore | External]:
    """Every component by id."""
    comps: list[Service | Datastore | External] = [*design.services, *design.datastores]
    return {c.id: c for c in [*comps, *design.externals]}
