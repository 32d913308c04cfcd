"""Properties over random valid designs: lint, analyse and the report never crash."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis import analyse
from stratus_tui.core.flows import flows_of
from stratus_tui.core.lint import failing, lint
from stratus_tui.core.model import Design
from stratus_tui.core.report import render_report
from stratus_tui.core.store.validation import check_references

IDS = st.sampled_from([f"c{i}" for i in range(8)] + ["end", "graph", "a.b", "x_y"])
TEXT = st.text(max_size=12)
MAYBE_BOOL = st.none() | st.booleans()
PCT = st.none() | st.floats(min_value=90, max_value=100)


@st.composite
def designs(draw: Any) -> Design:
    ids = draw(st.lists(IDS, min_size=1, max_size=10, unique=True))
    kinds = {i: draw(st.sampled_from(["service", "service", "datastore", "external"])) for i in ids}
    services = [i for i in ids if kinds[i] == "service"]
    stores = [i for i in ids if kinds[i] == "datastore"]
    data: dict[str, Any] = {
        "stratus": 1,
        "name": draw(TEXT) or "x",
        "discovery": {
            "requirements": {
                "latency_p99_ms": draw(st.none() | st.floats(0, 2000)),
                "availability": draw(PCT),
            },
            "budget": {"monthly_usd": draw(st.none() | st.floats(0, 1e5))},
            "workload": {"growth_18m": draw(st.none() | st.floats(0, 20))},
        },
        "services": [],
        "datastores": [],
        "externals": [],
        "dependencies": [],
    }
    for i in services:
        slo = draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "availability": PCT,
                    "latency_p99_ms": st.none() | st.floats(0, 1000),
                }
            )
        )
        data["services"].append(
            {
                "id": i,
                "name": draw(TEXT),
                "context": draw(st.none() | st.sampled_from("abc")),
                "runtime": draw(st.none() | st.sampled_from(["vm", "kubernetes", "serverless"])),
                "replicas": draw(st.none() | st.integers(0, 3)),
                "datastore": draw(st.none() | st.sampled_from(stores)) if stores else None,
                "slo": slo,
                "health_checks": draw(MAYBE_BOOL),
                "metrics": draw(MAYBE_BOOL),
                "rollback": draw(st.none() | TEXT),
                "secrets": draw(st.none() | st.sampled_from(["vault", "env", "hardcoded"])),
                "monthly_cost_usd": draw(st.none() | st.floats(0, 5000)),
            }
        )
    for i in stores:
        data["datastores"].append(
            {
                "id": i,
                "replicas": draw(st.none() | st.integers(0, 3)),
                "multi_az": draw(MAYBE_BOOL),
                "availability": draw(PCT),
                "monthly_cost_usd": draw(st.none() | st.floats(0, 5000)),
            }
        )
    for i in ids:
        if kinds[i] == "external":
            data["externals"].append(
                {
                    "id": i,
                    "availability": draw(PCT),
                    "latency_p99_ms": draw(st.none() | st.floats(0, 900)),
                }
            )
    if services:
        seen = set()
        for _ in range(draw(st.integers(0, 15))):
            src = draw(st.sampled_from(services))
            dst = draw(st.sampled_from(ids))
            mode = draw(st.sampled_from(["sync", "async"]))
            if src == dst or (src, dst, mode) in seen:
                continue
            seen.add((src, dst, mode))
            data["dependencies"].append(
                {
                    "from": src,
                    "to": dst,
                    "mode": mode,
                    "timeout_ms": draw(st.none() | st.floats(0, 1000)),
                    "retries": draw(st.none() | st.integers(0, 3)),
                    "circuit_breaker": draw(MAYBE_BOOL),
                }
            )
    for s in data["services"]:
        for key in [k for k, v in s.items() if v is None]:
            del s[key]
    design = Design.model_validate(data)
    assert check_references(design) == []
    return design


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_lint_never_crashes_and_is_sorted(design: Design) -> None:
    findings = lint(design)
    # a flow finding names its flow (flow ids share the component id space)
    components = design.component_ids() | {f.id for f in flows_of(design)}
    for f in findings:
        assert f.severity in ("error", "warning", "info")
        assert f.component is None or f.component in components
        assert f.message and f.hint
    assert findings == sorted(findings, key=lambda f: f.sort_key())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_accepting_every_error_makes_lint_pass(design: Design) -> None:
    errors = {(f.rule, f.component) for f in failing(lint(design))}
    risks = [
        {"rule": r, "component": c, "reason": "accepted"}
        if c
        else {"rule": r, "reason": "accepted"}
        for r, c in sorted(errors, key=lambda e: (e[0], e[1] or ""))
    ]
    accepted = Design.model_validate({**design.to_data(), "accepted_risks": risks})
    assert failing(lint(accepted)) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_analysis_and_report_never_crash(design: Design) -> None:
    a = analyse(design)
    assert {b.service for b in a.availability} == {s.id for s in design.services}
    for b in a.availability:
        assert 0.0 <= b.achievable <= 100.0 + 1e-9
    text = render_report(design)
    assert text.count("\n### ") == 6
