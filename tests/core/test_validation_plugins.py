"""Other parts plug their checks in with register_check; their problems get positions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stratus_tui.core.model import Design
from stratus_tui.core.problems import DesignError, Problem
from stratus_tui.core.store import validation
from stratus_tui.core.store.design_file import load_design


@pytest.fixture
def known_patterns() -> Iterator[None]:
    def titles_are_not_todo(design: Design) -> Iterator[Problem]:
        for i, decision in enumerate(design.decisions):
            if decision.title == "TODO":
                yield Problem("a decision needs a real title", ("decisions", i, "title"))

    validation.register_check(titles_are_not_todo)
    yield
    validation._CHECKS.remove(titles_are_not_todo)


def test_registered_check_is_run_and_located(tmp_path: Path, known_patterns: None) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "stratus: 1\nname: x\ndecisions:\n  - id: adr-1\n    pattern: saga\n    title: TODO\n"
    )
    with pytest.raises(DesignError) as info:
        load_design(path)
    (problem,) = info.value.problems
    assert problem.format() == f"{path}:6:12: a decision needs a real title"


def test_register_check_is_idempotent() -> None:
    before = list(validation._CHECKS)
    validation.register_check(validation.unique_ids)
    assert before == validation._CHECKS


def test_reference_checks_cover_every_reference() -> None:
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "x",
            "services": [{"id": "a", "datastore": "nope"}],
            "dependencies": [{"from": "ghost", "to": "a"}, {"from": "a", "to": "a"}],
            "failure_modes": [{"id": "f", "component": "nowhere"}],
            "decisions": [{"id": "d", "title": "t", "superseded_by": "d9"}],
            "event_storming": {"items": [{"id": "e", "text": "t", "context": "ctx"}]},
            "accepted_risks": [{"rule": "spof", "component": "zz", "reason": "r"}],
        }
    )
    locs = [p.loc for p in validation.check_references(design)]
    assert locs == [
        ("services", 0, "datastore"),
        ("dependencies", 0, "from"),
        ("dependencies", 1, "to"),
        ("failure_modes", 0, "component"),
        ("decisions", 0, "superseded_by"),
        ("event_storming", "items", 0, "context"),
        ("accepted_risks", 0, "component"),
    ]
