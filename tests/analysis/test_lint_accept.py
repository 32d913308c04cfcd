"""Accepted risks, ordering and the failing set."""

from __future__ import annotations

from stratus_tui.core.lint import failing, lint
from stratus_tui.core.lint.findings import SEVERITY_RANK

from .designs import Data, mutate, svc


def _single_replica(data: Data) -> None:
    svc(data, "api")["replicas"] = 1
    svc(data, "worker")["metrics"] = False


def test_accepted_risk_is_shown_marked_and_stops_failing() -> None:
    def edit(data: Data) -> None:
        _single_replica(data)
        svc(data, "api")["slo"]["availability"] = 99.0  # one copy reaches 99.49 %: only the spof
        data["accepted_risks"] = [
            {"rule": "spof", "component": "api", "reason": "second replica in Q3"}
        ]

    findings = lint(mutate(edit))
    spof = [f for f in findings if f.rule == "spof"]
    assert len(spof) == 1
    assert spof[0].accepted and spof[0].accepted_reason == "second replica in Q3"
    assert spof[0].severity == "error"  # severity kept: the risk is still there
    # the metrics error is not accepted and still fails
    assert [f.rule for f in failing(findings)] == ["missing-metrics"]


def test_accepting_without_component_covers_every_component() -> None:
    def edit(data: Data) -> None:
        for s in data["services"]:
            s["metrics"] = False
        data["accepted_risks"] = [{"rule": "missing-metrics", "reason": "Prometheus in phase 2"}]

    findings = lint(mutate(edit))
    metrics = [f for f in findings if f.rule == "missing-metrics"]
    assert {f.component for f in metrics} == {"api", "worker"}
    assert all(f.accepted for f in metrics)
    assert failing(findings) == []


def test_accepted_risk_for_another_component_does_not_match() -> None:
    def edit(data: Data) -> None:
        _single_replica(data)
        data["accepted_risks"] = [{"rule": "spof", "component": "worker", "reason": "x"}]

    findings = lint(mutate(edit))
    assert not [f for f in findings if f.rule == "spof" and f.accepted]
    stale = [f for f in findings if f.rule == "stale-accepted-risk"]
    assert [f.component for f in stale] == ["worker"]


def test_findings_are_sorted_by_severity_rule_component() -> None:
    def edit(data: Data) -> None:
        _single_replica(data)
        svc(data, "worker")["tracing"] = None
        svc(data, "api")["tracing"] = None
        svc(data, "worker")["secrets"] = "env"
        data["discovery"]["budget"]["monthly_usd"] = 1

    findings = lint(mutate(edit))
    keys = [(SEVERITY_RANK[f.severity], f.rule, f.component or "") for f in findings]
    assert keys == sorted(keys)
    assert {f.severity for f in findings} == {"error", "warning", "info"}


def test_lint_is_deterministic() -> None:
    design = mutate(_single_replica)
    assert lint(design) == lint(design)


def test_finding_json_has_the_spec_keys() -> None:
    f = lint(mutate(_single_replica))[0]
    data = f.to_json()
    assert list(data)[:4] == ["rule", "severity", "component", "message"]
    assert {"hint", "non_negotiable", "accepted", "accepted_reason"} <= set(data)
