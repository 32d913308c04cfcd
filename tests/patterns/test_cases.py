"""One case file per pattern (tests/patterns/cases/<id>.yaml): answers in, verdict out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from stratus_tui.core.patterns import load_library
from tests.patterns.helpers import verdicts_by_id

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(data["pattern"], case, id=f"{path.stem}: {case['name']}"))
    return params


@pytest.mark.parametrize(("pattern", "case"), _cases())
def test_case(pattern: str, case: dict[str, Any]) -> None:
    verdict = verdicts_by_id(case["answers"], **case.get("design", {}))[pattern]
    assert verdict.verdict == case["expect"], (
        f"score {verdict.score}; reasons {[r.text for r in verdict.reasons]}"
    )
    if "expect_off_request_path" in case:  # a scoped verdict says where each part applies
        assert verdict.scope == "on the request path"
        assert [(s.scope.split(" (")[0], s.verdict) for s in verdict.scoped] == [
            ("off the request path", case["expect_off_request_path"])
        ]


def test_every_builtin_pattern_has_a_case_file_covering_two_verdicts() -> None:
    library = load_library()
    files = {p.stem: p for p in CASES_DIR.glob("*.yaml")}
    assert set(files) == set(library.patterns)
    for pid, path in files.items():
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert data["pattern"] == pid
        assert len({c["expect"] for c in data["cases"]}) >= 2, pid


def test_the_eighteen_fixed_ids_are_built_in() -> None:
    fixed = {
        "microservices",
        "modular-monolith",
        "event-driven",
        "cqrs",
        "saga",
        "service-mesh",
        "serverless",
        "multi-region",
        "event-sourcing",
        "outbox",
        "api-gateway",
        "bff",
        "strangler-fig",
        "circuit-breaker",
        "bulkhead",
        "cache-aside",
        "read-replicas",
        "cdn",
    }
    assert fixed <= set(load_library().patterns)
