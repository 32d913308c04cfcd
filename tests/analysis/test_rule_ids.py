"""One lint rule id, one meaning (issue 14, item 9): `spof` is only ever a single copy."""

from __future__ import annotations

from stratus_tui.core.lint import lint
from stratus_tui.core.model import Design


def _design(hub_replicas: int) -> Design:
    # gw -> hub -> b: every path from gw to b crosses hub (a choke point)
    return Design.model_validate(
        {
            "stratus": 1,
            "name": "x",
            "services": [
                {"id": "gw", "runtime": "managed"},
                {"id": "hub", "replicas": hub_replicas, "runtime": "kubernetes"},
                {"id": "b", "replicas": 2, "runtime": "kubernetes"},
            ],
            "dependencies": [
                {"from": "gw", "to": "hub", "timeout_ms": 100},
                {"from": "hub", "to": "b", "timeout_ms": 50},
            ],
        }
    )


def test_a_replicated_choke_point_is_not_a_spof_but_a_chokepoint() -> None:
    hub = [f for f in lint(_design(3)) if f.component == "hub"]
    assert [f.rule for f in hub if f.rule in {"spof", "chokepoint"}] == ["chokepoint"]
    [choke] = [f for f in hub if f.rule == "chokepoint"]
    assert choke.severity == "info" and "separate zones" in choke.hint


def test_a_single_copy_is_a_spof_and_never_also_a_chokepoint() -> None:
    hub = [f for f in lint(_design(1)) if f.component == "hub"]
    rules = [f.rule for f in hub]
    assert "spof" in rules and "chokepoint" not in rules
    assert all(f.severity == "error" for f in hub if f.rule == "spof")


def test_every_spof_finding_is_a_single_copy() -> None:
    from stratus_tui.core.resources import sample_path
    from stratus_tui.core.store.design_file import load_design

    for name in ("checkout", "iot-telemetry", "payments-ledger"):
        for f in lint(load_design(sample_path(name))):
            assert not (f.rule == "spof" and f.severity == "info"), (name, f.message)
