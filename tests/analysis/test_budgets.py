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
from stratus_tui.core.analysis.latency import LatencyIndex
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
    }


def test_worked_example_reproduces_99_616() -> None:
    design = build(_azure_design(99.9))
    achieved = achievable_availability(design)["web"]
    assert round(achieved, 3) == 99.616
    budget = availability_budgets(design, sync_graph(build_graph(design)))[0]
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
            "services": [{"id": "a", "slo": {"availability": 99.0}}, {"id": "b"}],
            "datastores": [
                {"id": "good", "replicas": 2, "multi_az": True},
                {"id": "bad", "replicas": 1, "multi_az": False},
            ],
            "externals": [{"id": "e"}],
            "dependencies": [{"from": "a", "to": t} for t in ("b", "good", "bad", "e")],
        }
    )
    budget = availability_budgets(design, sync_graph(build_graph(design)))[0]
    used = {d.component: (d.percent, d.source) for d in budget.dependencies}
    assert used == {
        "b": (ASSUMED_SERVICE, "assumed"),
        "good": (ASSUMED_STORE_REPLICATED, "assumed"),
        "bad": (ASSUMED_STORE_SINGLE, "assumed"),
        "e": (ASSUMED_EXTERNAL, "assumed"),
    }
    expected = 100 * math.prod(v / 100 for v, _ in used.values())
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
    assert achievable_availability(design)["a"] == 100.0


def _latency(edges: list[tuple[str, str]], p99: dict[str, float]) -> LatencyIndex:
    names = sorted({n for e in edges for n in e} | set(p99))
    design = build(
        {
            "stratus": 1,
            "name": "x",
            "services": [
                {"id": n, "slo": {"latency_p99_ms": p99[n]}} if n in p99 else {"id": n}
                for n in names
            ],
            "dependencies": [{"from": a, "to": b} for a, b in edges],
        }
    )
    return LatencyIndex(design, sync_graph(build_graph(design)))


def test_end_to_end_p99_takes_the_slowest_call_without_summing_nested_slos() -> None:
    # a (10 ms SLO) -> b (20) -> d (40) and a -> c (100). b's 20 ms cannot cover d's
    # 40 ms, so it is read as b's own time: b is 60 end to end. a waits for the slower
    # of b (60) and c (100); its 10 ms SLO is below that, so a = 10 + 100 = 110.
    index = _latency([("a", "b"), ("b", "d"), ("a", "c")], {"a": 10, "b": 20, "c": 100, "d": 40})
    chain = index.longest()
    assert chain is not None
    assert chain.path == ("a", "c") and chain.total_ms == 110 and chain.downstream_ms == 100
    assert chain.slo_is_overhead
    budgets = {b.service: b for b in index.budgets}
    assert budgets["b"].downstream_ms == 40 and budgets["b"].total_ms == 60
    assert budgets["b"].over_own_slo and not budgets["b"].entry
    assert budgets["a"].entry


def test_an_slo_that_covers_its_calls_is_the_end_to_end_figure() -> None:
    # checkout 500 covers payments 450, which covers stripe 350: end to end is 500,
    # not 1,300 (summing would count stripe three times)
    index = _latency(
        [("checkout", "payments"), ("payments", "stripe")],
        {"checkout": 500, "payments": 450, "stripe": 350},
    )
    budgets = {b.service: b for b in index.budgets}
    assert budgets["checkout"].total_ms == 500 and budgets["checkout"].downstream_ms == 450
    assert not budgets["checkout"].over_own_slo
    assert budgets["payments"].total_ms == 450
    chain = index.chain("checkout")
    assert chain.path == ("checkout", "payments", "stripe") and not chain.slo_is_overhead


def test_latency_unknown_hops_add_nothing_and_are_listed() -> None:
    index = _latency([("a", "b"), ("b", "c")], {"a": 10, "c": 5})
    chain = index.chain("a")
    assert chain.path == ("a", "b", "c") and chain.total_ms == 10
    assert chain.unknown == ("b",)
    budgets = {b.service: b for b in index.budgets}
    assert budgets["b"].total_ms == 5  # passes c's figure up


def test_latency_cycle_members_counted_once() -> None:
    # the cycle {b, c} is as slow as its slowest member (100); a's 1 ms is overhead
    index = _latency([("a", "b"), ("b", "c"), ("c", "b")], {"a": 1, "b": 10, "c": 100})
    chain = index.chain("a")
    assert chain.total_ms == 101
    assert sorted(chain.path) == ["a", "b", "c"]
    assert index.describe("a") == "a → b → c"


def test_describe_elides_long_chains() -> None:
    edges = [(f"s{i:02d}", f"s{i + 1:02d}") for i in range(30)]
    index = _latency(edges, {})
    text = index.describe("s00", limit=8)
    assert text.startswith("s00 → s01") and text.endswith("→ s30")
    assert "… 24 more …" in text  # 31 hops: 6 shown, the last, 24 elided


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
    assert c.baseline == 365
    # a VM is resized by hand, but 10x load on it still costs bigger machines
    assert c.at_10x == 100 + 400 + 1600 + 800 + 5
    assert [d.component for d in c.drivers] == ["box", "pg", "k8s"]
    assert c.unpriced == ("free",)
    assert {line.component: line.rule_source for line in c.lines}["ddb"] == "declared"
    assert c.at_growth == 20 + 50 + 200 + 100 + 5
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
    # the monolith cannot give checkout 99.9 % when its own store allows only 99.5 %
    design = build(
        {
            "stratus": 1,
            "name": "x",
            "services": [
                {"id": "checkout", "slo": {"availability": 99.9}},
                {"id": "monolith", "datastore": "shop-db"},
                {"id": "vm", "runtime": "vm", "replicas": 1},
            ],
            "datastores": [{"id": "shop-db", "replicas": 1, "multi_az": False}],
            "dependencies": [
                {"from": "checkout", "to": "monolith"},
                {"from": "checkout", "to": "vm"},
            ],
        }
    )
    budgets = {b.service: b for b in availability_budgets(design, sync_graph(build_graph(design)))}
    used = {d.component: d for d in budgets["checkout"].dependencies}
    assert used["monolith"].percent == pytest.approx(budgets["monolith"].achievable)
    assert used["monolith"].percent == pytest.approx(99.5) and "capped" in used["monolith"].basis
    # a single copy on a VM is assumed at a single instance's 99.5 %, not 99.9 %
    assert used["vm"].percent == pytest.approx(99.5)
    assert budgets["checkout"].achievable == pytest.approx(serial([99.5, 99.5]))


def test_an_entry_point_missing_slo_and_requirement_gets_one_finding() -> None:
    from stratus_tui.core.analysis import lint

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
    hits = [f for f in lint(design) if f.rule == "availability-budget"]
    assert len(hits) == 1
    assert "unreachable" in hits[0].message and "required 99.9 %" in hits[0].message


def test_growth_that_breaks_the_budget_within_18_months_is_said_in_lint_and_report() -> None:
    from stratus_tui.core.analysis import analyse, lint
    from stratus_tui.core.analysis.report_money import cost

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
    assert "within the budget (90 %)" in "\n".join(cost(later, analyse(later)))


def test_calls_in_sequence_that_would_break_the_slo_are_noted() -> None:
    # payments (300 ms) calls fraud 100, ledger 90 and the card network 180: each fits
    # alone, but one after another they need 370 ms
    index = _latency(
        [("payments", "fraud"), ("payments", "ledger"), ("payments", "card")],
        {"payments": 300, "fraud": 100, "ledger": 90, "card": 180},
    )
    b = {x.service: x for x in index.budgets}["payments"]
    assert (b.calls, b.sequential_ms, b.downstream_ms) == (3, 370, 180)
    assert b.sequential_risk and not b.over_own_slo
    roomy = _latency([("a", "b"), ("a", "c")], {"a": 300, "b": 100, "c": 180})
    assert not {x.service: x for x in roomy.budgets}["a"].sequential_risk
