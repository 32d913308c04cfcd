"""Numbers and flags are taken as written: no silent `true` -> 1 or `"800"` -> 800."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.problems import DesignError
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.explain import validate_data

HEAD = "stratus: 1\nname: x\n"

BAD = [
    # (id, body, line, column, message)
    ("bool-as-int", "services:\n  - id: a\n    replicas: true\n", 5, 15,
     "services[0].replicas: expected a whole number, got True"),
    ("string-as-int", "services:\n  - id: a\n    replicas: '2'\n", 5, 15,
     "services[0].replicas: expected a whole number, got '2'"),
    ("float-as-int", "services:\n  - id: a\n    replicas: 2.5\n", 5, 15,
     "services[0].replicas: expected a whole number, got 2.5"),
    ("string-as-float", 'discovery:\n  workload:\n    peak_rps: "800"\n', 5, 15,
     "discovery.workload.peak_rps: expected a number, got '800'"),
    ("bool-as-float", "discovery:\n  budget:\n    monthly_usd: true\n", 5, 18,
     "discovery.budget.monthly_usd: expected a number, got True"),
    ("bool-as-percent", "services:\n  - id: a\n    slo: {availability: false}\n", 5, 25,
     "services[0].slo.availability: expected a number, got False"),
    ("yes-as-bool", "services:\n  - id: a\n    health_checks: yes\n", 5, 20,
     "services[0].health_checks: expected true or false, got 'yes'"),
    ("int-as-bool", "discovery:\n  requirements:\n    mtls: 1\n", 5, 11,
     "discovery.requirements.mtls: expected true or false, got 1"),
    ("int-as-flag", "event_storming:\n  items:\n    - {id: e, kind: event, text: t, pivotal: 0}\n",
     5, 46, "event_storming.items[0].pivotal: expected true or false, got 0"),
    ("string-as-order",
     "event_storming:\n  items:\n    - {id: e, kind: event, text: t, order: '3'}\n",
     5, 44, "event_storming.items[0].order: expected a number, got '3'"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "line", "column", "message"), [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])  # fmt: skip
def test_lax_values_are_located_errors(
    tmp_path: Path, body: str, line: int, column: int, message: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + body)
    with pytest.raises(DesignError) as info:
        load_design(path)
    [problem] = info.value.problems
    assert (problem.line, problem.column, problem.message) == (line, column, message)


def test_whole_numbers_are_still_numbers(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        HEAD + "discovery:\n  workload:\n    peak_rps: 800\n    async_fanout: false\n"
        "services:\n  - id: a\n    replicas: 0\n    slo: {availability: 99}\n"
        "event_storming:\n  items:\n    - {id: e, kind: event, text: t, order: 3}\n"
    )
    design = load_design(path)
    assert design.discovery.workload.peak_rps == 800.0
    assert isinstance(design.discovery.workload.peak_rps, float)
    assert design.discovery.workload.async_fanout is False
    assert design.services[0].replicas == 0
    assert design.services[0].slo is not None and design.services[0].slo.availability == 99
    assert design.event_storming.items[0].order == 3


def test_json_files_are_as_strict_as_yaml(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    data = {"stratus": 1, "name": "x", "services": [{"id": "a", "replicas": "3"}]}
    path.write_text(json.dumps(data))
    with pytest.raises(DesignError) as info:
        load_design(path)
    assert "expected a whole number, got '3'" in str(info.value)


NUMERIC = ["replicas", "monthly_cost_usd"]
FLAGS = ["health_checks", "metrics", "structured_logs", "tracing"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    key=st.sampled_from(NUMERIC + FLAGS),
    value=st.one_of(st.booleans(), st.integers(0, 10**6), st.text(max_size=8)),
)
def test_a_value_is_accepted_only_in_its_own_type(key: str, value: object) -> None:
    data = {"stratus": 1, "name": "x", "services": [{"id": "a", key: value}]}
    design, problems = validate_data(data)
    fits = isinstance(value, bool) if key in FLAGS else type(value) is int
    assert (design is not None) == fits, [p.message for p in problems]
    if design is not None:
        assert getattr(design.services[0], key) == value
    else:
        [problem] = problems
        assert problem.loc == ("services", 0, key)
        assert "expected" in problem.message and repr(value) in problem.message
