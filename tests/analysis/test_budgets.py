"""Availability, latency, cost and SLO maths on hand-computed numbers (FACTS.md)."""

from __future__ import annotations

import math

import pytest

from stratus_tui.core.analysis import achievable_availability, cost_summary
from stratus_tui.core.analysis.availability import (
    ASSUMED_EXTERNAL,
    ASSUMED_SERVICE,
    ASSUMED_STORE_REPLICATED,
    ASSUMED_STORE_SINGLE,
    availability_budgets,
    extra_nine,
    serial,
)
from stratus_tui.core.analysis.cost import scale
from stratus_tui.core.analysis.graph import build_graph, sync_graph
from stratus_tui.core.analysis.slo import TIERS, error_budget
from stratus_tui.core.model import Design

from .designs import build

# Azure reliable-web-app hot path, FACTS.md: combined 99.616 %.
AZURE = {
    "front-door": 99.99,
    "entra-id": 99.99,
    "app-service": 99.95,
    "redis": 99.9,
    "sql": 99.995,
    "storage": 99.9,
    "key-vault": 99.99,
    "app-config": 99.9,
}


def _azure_design(target: float) -> dict:
    return {
        "stratus": 1,
        "name": "reliable web app",
        "services": [{"id": "web", "slo": {"availability": target}}],
        "externals": [{"id": k, "availability": v} for k, v in AZURE.items()],
        "dependencies": [{"from": "web", "to": k, "mode": "sync"} for k in AZURE],
        # one request touches all eight (declared; a derived flow would be one per route)
        "flows": [
            {
                "id": "hot-path",
                "entry": "web",
                "steps": [{"from": "web", "to": k} for k in AZURE],
            }
        ],
    }


def test_worked_example_reproduces_99_616() -> None:
    design = build(_azure_design(99.9))
    budget = availability_budgets(design, sync_graph(build_graph(design)))[0]
    assert round(serial(d.percent for d in budget.dependencies), 3) == 99.616
    # web's own copies are multiplied in (replicas undeclared: 99.9 % assumed)
    achieved = achievable_availability(design)["web"]
    assert achieved == pytest.approx(ASSUMED_SERVICE * 99.616 / 100, abs=1e-3)
    assert budget.meets_slo is False  # below a 99.9 % target, hence two regions
    assert {d.source for d in budget.dependencies} == {"declared"}


def test_serial_composition_two_nines() -> None:
    assert serial([99.9, 99.9]) == pytest.approx(99.8001)
    assert serial([]) == 100.0


def test_extra_nine_rule() -> None:
    assert extra_nine(99.9) == pytest.approx(99.99)
    assert extra_nine(99.0) == pytest.approx(99.9)


def test_assumed_availability_is_stated_and_used() -> None:
    design = build(
        {
            "stratus": 1,
            "name": "x",
            # z calls a, so a is judged as a service (an entry is judged per flow)
            "services": [{"id": "a", "slo": {"availability": 99.0}}, {"id": "b"}, {"id": "z"}],
            "datastores": [
                {"id": "good", "replicas": 2, "multi_az": True},
                {"id": "bad", "replicas": 1, "multi_az": False},
            ],
            "externals": [{"id": "e"}],
            "dependencies": [{"from": "a", "to": t} for t in ("b", "good", "bad", "e")]
            + [{"from": "z", "to": "a"}],
        }
    )
    budget = availability_budgets(design, sync_graph(build_graph(design)))[0]
    used = {d.component: (d.percent, d.source) for d in budget.dependencies}
    assert used == {
        "b": (ASSUMED_SERVICE, "composed"),  # its own copies, no dependency
        "good": (ASSUMED_STORE_REPLICATED, "assumed"),
        "bad": (ASSUMED_STORE_SINGLE, "assumed"),
        "e": (ASSUMED_EXTERNAL, "assumed"),
    }
    expected = ASSUMED_SERVICE * math.prod(v / 100 for v, _ in used.values())
    assert budget.achievable == pytest.approx(expected)


def test_async_dependencies_do_not_limit_availability() -> None:
    design = build(
        {
            "stratus": 1,
            "name": "x",
            "services": [{"id": "a"}, {"id": "b", "slo": {"availability": 90.0}}],
            "dependencies": [{"from": "a", "to": "b", "mode": "async"}],
        }
    )
    # only a's own copies count (replicas undeclared: 99.9 % assumed), not b's 90 %
    assert achievable_availability(design)["a"] == ASSUMED_SERVICE


@pytest.mark.parametrize(
    ("rule", "load", "factor"),
    [
        ("fixed", 10, 1),
        ("linear", 10, 10),
        ("step", 10, 8),
        ("step", 2, 1),
        ("step", 4, 2),
        ("step", 1, 1),
        ("linear", 3, 3),
        ("step", 5e-324, 1),  # found by hypothesis: log2 of ~0
        ("step", 2.0001, 2),
    ],
)
def test_scaling_rules(rule: str, load: float, factor: float) -> None:
    assert scale(100.0, rule, load) == pytest.approx(100.0 * factor)  # type: ignore[arg-type]


def test_cost_summary_totals_defaults_and_drivers() -> None:
    design = build(
        {
            "stratus": 1,
            "name": "x",
            "discovery": {"budget": {"monthly_usd": 1000}, "workload": {"growth_18m": 2}},
            "services": [
                {"id": "fn", "runtime": "serverless", "monthly_cost_usd": 10},  # linear: 100
                {"id": "k8s", "runtime": "kubernetes", "monthly_cost_usd": 50},  # step: 400
                {"id": "box", "runtime": "vm", "monthly_cost_usd": 200},  # step: 1600
                {"id": "free"},
            ],
            "datastores": [
                {"id": "pg", "kind": "postgresql", "monthly_cost_usd": 100},  # step: 800
                {
                    "id": "ddb",
                    "kind": "dynamodb",
                    "monthly_cost_usd": 5,
                    "scaling": "fixed",
                },  # declared: 5
            ],
        }
    )
    c = cost_summary(design)
    # `free` declares no cost: the built-in table assumes $150 a copy x 1 copy, linear
    assert c.declared_baseline == 365
    assert c.baseline == 365 + 150
    # a VM is resized by hand, but 10x load on it still costs bigger machines
    assert c.at_10x == 100 + 400 + 1600 + 800 + 5 + 1500
    assert [d.component for d in c.drivers] == ["box", "free", "pg"]
    assert c.unpriced == ("free",)
    assert {line.component: line.rule_source for line in c.lines}["ddb"] == "declared"
    assert c.at_growth == 20 + 50 + 200 + 100 + 5 + 300
    assert not c.over_budget and c.over_budget_at_10x


def test_burn_rate_thresholds_match_the_sre_workbook() -> None:
    assert [round(t.burn_rate, 6) for t in TIERS] == [14.4, 6.0, 1.0]
    assert [t.short_window_h * 60 for t in TIERS] == [5, 30, 360]
    assert [t.severity for t in TIERS] == ["page", "page", "ticket"]


@pytest.mark.parametrize(
    ("slo", "minutes"),
    [
        (99.0, 432.0),
        (99.9, 43.2),
        (99.95, 21.6),
        (99.99, 4.32),
        (99.999, 0.432),
    ],
)
def test_error_budget_minutes_per_30_days(slo: float, minutes: float) -> None:
    budget = error_budget("s", slo)
    assert budget.minutes_per_30d == pytest.approx(minutes)
    # the error ratio that fires the fast page is 14.4 x the budget
    assert budget.alerts[0].error_ratio == pytest.approx(14.4 * (100 - slo) / 100)


def test_a_service_without_an_slo_counts_no_better_than_its_own_dependencies() -> None:
    # checkout -> monolith (no SLO, 1 VM) -> shop-db (single instance, single zone):
    # the monolith cannot give checkout 99.9 % when its own store allows only 99.5 %;
    # issue 14: its own single copy is multiplied in too (99.5 x 99.5 = 99.0025 %)
    design = build(
        {
            "stratus": 1,
            "name": "x",
            "services": [
                {"id": "checkout", "slo": {"availability": 99.9}, "replicas": 3},
                {"id": "edge"},
                {"id": "monolith", "datastore": "shop-db", "runtime": "vm", "replicas": 1},
                {"id": "vm", "runtime": "vm", "replicas": 1},
            ],
            "datastores": [{"id": "shop-db", "replicas": 1, "multi_az": False}],
            "dependencies": [
                {"from": "checkout", "to": "monolith"},
                {"from": "checkout", "to": "vm"},
                {"from": "edge", "to": "checkout"},
            ],
        }
    )
    budgets = {b.service: b for b in availability_budgets(design, sync_graph(build_graph(design)))}
    used = {d.component: d for d in budgets["checkout"].dependencies}
    assert used["monolith"].percent == pytest.approx(budgets["monolith"].achievable)
    assert used["monolith"].percent == pytest.approx(99.0025)
    assert used["monolith"].source == "composed"
    # a single copy on a VM is assumed at a single instance's 99.5 %, not 99.9 %
    assert used["vm"].percent == pytest.approx(99.5)
    assert budgets["checkout"].achievable == pytest.approx(serial([99.99, 99.0025, 99.5]))


def test_an_entry_point_below_its_slo_gets_one_flow_finding() -> None:
    """gw (SLO 99.95 %, requirement 99.9 %) -> e (99.0 %): one flow-availability finding
    for the route (the entry's SLO is its target), no availability-budget on gw."""
    from stratus_tui.core.lint import lint

    design = build(
        {
            "stratus": 1,
            "name": "x",
            "discovery": {"requirements": {"availability": 99.9}},
            "services": [{"id": "gw", "slo": {"availability": 99.95}}],
            "externals": [{"id": "e", "availability": 99.0}],
            "dependencies": [{"from": "gw", "to": "e", "timeout_ms": 1}],
        }
    )
    findings = lint(design)
    assert not [f for f in findings if f.rule == "availability-budget"]
    hits = [f for f in findings if f.rule == "flow-availability"]
    assert [h.component for h in hits] == ["gw.e"]
    assert "99.95 % target (entry SLO)" in hits[0].message


def test_growth_that_breaks_the_budget_within_18_months_is_said_in_lint_and_report() -> None:
    from stratus_tui.core.analysis import analyse
    from stratus_tui.core.lint import lint
    from stratus_tui.core.report.money import cost

    def design(growth: float) -> Design:
        return build(
            {
                "stratus": 1,
                "name": "x",
                "discovery": {
                    "budget": {"monthly_usd": 1000},
                    "workload": {"growth_18m": growth},
                },
                "services": [{"id": "fn", "runtime": "serverless", "monthly_cost_usd": 600}],
            }
        )

    soon = design(2)  # linear: 1,200 at x2, over the 1,000 budget
    [hit] = [f for f in lint(soon) if f.rule == "over-budget-10x"]
    assert "18-month growth (x2) it is already $1,200, over budget" in hit.message
    text = "\n".join(cost(soon, analyse(soon)))
    assert "$1,200/month, over the $1,000 budget by $200" in text
    later = design(1.5)  # 900 at x1.5: within budget, only 10x breaks it
    [hit] = [f for f in lint(later) if f.rule == "over-budget-10x"]
    assert "already" not in hit.message
    assert "within the $1,000 budget (90 %)" in "\n".join(cost(later, analyse(later)))
