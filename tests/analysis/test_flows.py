"""Request flows (issue 14): hand-computed golden cases, the arithmetic in each docstring.

Own-copy defaults (core/analysis/availability.py): 1 copy 99.5 %, n >= 2 copies
min(1 - 0.005^n, 99.99 %), serverless/managed 99.95 %, replicas undeclared 99.9 %.
Own-time defaults (core/analysis/latency.py): 20 ms, +10 ms with an own datastore, a
datastore access 10 ms, an external without a figure 300 ms.
"""

from __future__ import annotations

from typing import Any

import pytest

from stratus_tui.core.analysis import analyse
from stratus_tui.core.flows import async_consumers, entry_points, flows_of
from stratus_tui.core.lint import lint
from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import load_design

from .designs import build

SAMPLES = "sample_designs"


def _svc(sid: str, **extra: Any) -> dict[str, Any]:
    return {"id": sid, "runtime": "kubernetes", "replicas": 2, **extra}


def _dep(a: str, b: str, **extra: Any) -> dict[str, Any]:
    return {"from": a, "to": b, "mode": "sync", "timeout_ms": 100, **extra}


def _design(**parts: Any) -> Design:
    return build({"stratus": 1, "name": "t", **parts})


def _rules(design: Design) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for f in lint(design):
        out.setdefault(f.rule, set()).add(f.component)
    return out


def _flow(design: Design, fid: str) -> tuple[Any, Any, Any]:
    a = analyse(design)
    i = next(i for i, f in enumerate(a.flows) if f.id == fid)
    return a.flows[i], a.flow_availability[i], a.flow_latency[i]


def router() -> Design:
    return _design(
        services=[
            _svc("gateway", slo={"availability": 99.9}, own_p99_ms=10),
            _svc("checkout", own_p99_ms=50),
            _svc("listings", own_p99_ms=30),
            _svc("search", own_p99_ms=40),
        ],
        externals=[{"id": "psp", "availability": 99.9, "latency_p99_ms": 200}],
        dependencies=[
            _dep("gateway", "checkout"),
            _dep("gateway", "listings"),
            _dep("gateway", "search"),
            _dep("checkout", "psp"),
        ],
    )


def test_router_routes_are_separate_flows_never_multiplied() -> None:
    """gateway → checkout | listings | search, each 2 copies (99.99 %), psp 99.9 %.

    gateway.checkout = 99.99 (gateway) x [99.99 (checkout) x 99.9 (psp) = 99.88] = 99.87 %
    gateway.listings = 99.99 x 99.99 = 99.98 %; gateway.search the same.
    Multiplying all three routes would give 99.99 x 99.88 x 99.99 x 99.99 = 99.85 %.
    p99: checkout route 10 + 50 + 200 = 260 ms; listings 10 + 30 = 40 ms.
    """
    design = router()
    assert [f.id for f in flows_of(design)] == [
        "gateway.checkout",
        "gateway.listings",
        "gateway.search",
    ]
    assert all(f.derived for f in flows_of(design))
    _, checkout, lat = _flow(design, "gateway.checkout")
    assert checkout.percent == pytest.approx(100 * 0.9999 * 0.9999 * 0.999, abs=1e-6)
    assert lat.total_ms == 260
    _, listings, lat = _flow(design, "gateway.listings")
    assert listings.percent == pytest.approx(100 * 0.9999 * 0.9999, abs=1e-6)
    assert lat.total_ms == 40
    # the gateway's own figure is its weakest route, not the product of all routes
    gateway = analyse(design).availability_of("gateway")
    assert gateway is not None
    assert gateway.achievable == pytest.approx(checkout.percent)
    # the target (99.9 %, the entry's SLO) fails on the checkout route only
    assert _rules(design)["flow-availability"] == {"gateway.checkout"}


def test_blast_radius_per_flow_psp_never_fails_browse() -> None:
    """psp sits on the checkout route only: a PSP outage fails gateway.checkout and
    nothing else; listings and search never touch it."""
    a = analyse(router())
    blasts = {f.id: a.flow_blast(f) for f in a.flows}
    assert "psp" in blasts["gateway.checkout"].fails
    assert "psp" not in blasts["gateway.listings"].fails
    assert "psp" not in blasts["gateway.search"].fails | blasts["gateway.search"].degrades


def test_three_level_chain_composes_what_each_level_achieves() -> None:
    """a → b → c → db; 2 copies each (99.99 %), db declares 99.9 %, b promises 99.95 %.

    c achieves 99.99 x 99.9 = 99.89 %, below nothing it promises (no SLO);
    b composed = 99.99 x 99.89 = 99.88 %, below its 99.95 % SLO, so a caller counts
    99.88 % (what b achieves), not 99.95 %: a = 99.99 x 99.88 = 99.87 %.
    """
    design = _design(
        services=[
            _svc("a"),
            _svc("b", slo={"availability": 99.95}),
            _svc("c", datastore="db"),
        ],
        datastores=[{"id": "db", "availability": 99.9}],
        dependencies=[_dep("a", "b"), _dep("b", "c")],
    )
    c = 0.9999 * 0.999
    b = 0.9999 * c
    a = analyse(design)
    assert a.availability_of("b").achievable == pytest.approx(100 * b)  # type: ignore[union-attr]
    dep_b = a.availability_of("a").dependencies[0]  # type: ignore[union-attr]
    assert (dep_b.component, dep_b.source) == ("b", "composed")
    assert dep_b.percent == pytest.approx(100 * b)
    assert a.flow_availability[0].percent == pytest.approx(100 * 0.9999 * b)
    assert "b" in _rules(design)["availability-budget"]


def test_equal_slo_chain_is_unreachable() -> None:
    """front (99.9 %) → back (99.9 %), 2 copies each (99.99 %), back has no dependency.

    back achieves min(99.9 SLO, 99.99 composed) = 99.9 %;
    front's flow = 99.99 x 99.9 = 99.89 % < 99.9 %: an equal-SLO chain cannot hold,
    which the extra-nine rule predicts (back should offer 99.99 %).
    """
    design = _design(
        services=[
            _svc("front", slo={"availability": 99.9}),
            _svc("back", slo={"availability": 99.9}),
        ],
        dependencies=[_dep("front", "back")],
    )
    fa = analyse(design).flow_availability[0]
    assert fa.percent == pytest.approx(100 * 0.9999 * 0.999)
    rules = _rules(design)
    assert rules["flow-availability"] == {"front.back"}
    assert rules["extra-nine"] == {"front"}


def test_single_copy_vm_on_single_zone_store_is_99_0() -> None:
    """One VM copy (99.5 %) on a 1-replica single-zone store (99.5 % assumed):
    99.5 x 99.5 = 99.0025 %, not 99.5 %."""
    design = _design(
        services=[{"id": "app", "runtime": "vm", "replicas": 1, "datastore": "db"}],
        datastores=[{"id": "db", "replicas": 1, "multi_az": False}],
    )
    b = analyse(design).availability_of("app")
    assert b is not None
    assert b.achievable == pytest.approx(99.0025)
    assert b.own is not None and b.own.source == "assumed"


def test_saga_flow_with_compensations_and_a_fallback() -> None:
    """order → pay (compensate: refund), order → stock (compensate: release), order →
    fraud behind a breaker with a fallback. 2 copies each (99.99 %).

    fraud degrades the flow: 99.99 (order) x 99.99 (pay) x 99.99 (stock) = 99.97 %;
    counting fraud would give 99.96 %. p99 = 10 + 40 + 30 + 20 (fraud still runs) = 100 ms.
    """
    design = _design(
        services=[
            _svc("order", own_p99_ms=10),
            _svc("pay", own_p99_ms=40),
            _svc("stock", own_p99_ms=30),
            _svc("fraud", own_p99_ms=20),
        ],
        dependencies=[
            _dep("order", "pay"),
            _dep("order", "stock"),
            _dep("order", "fraud", circuit_breaker=True, fallback="approve below 50 EUR"),
        ],
        flows=[
            {
                "id": "place",
                "entry": "order",
                "saga": True,
                "steps": [
                    {"from": "order", "to": "fraud"},
                    {"from": "order", "to": "pay", "compensate": "refund"},
                    {"from": "order", "to": "stock", "compensate": "release"},
                ],
            }
        ],
    )
    flow, fa, lat = _flow(design, "place")
    assert flow.saga and not flow.derived
    assert [h.compensate for h in flow.hops] == [None, "refund", "release"]
    assert fa.percent == pytest.approx(100 * 0.9999**3)
    assert fa.soft == ("fraud",)
    assert lat.total_ms == 100
    blast = analyse(design).flow_blast(flow)
    assert "fraud" in blast.degrades and "fraud" not in blast.fails


def test_parallel_group_takes_the_slowest_call() -> None:
    """a calls b (50 ms) and c (80 ms) in parallel, then d (5 ms): 10 + max(50, 80) + 5 = 95 ms
    (one after another it would be 145 ms)."""
    design = _design(
        services=[
            _svc("a", own_p99_ms=10),
            _svc("b", own_p99_ms=50),
            _svc("c", own_p99_ms=80),
            _svc("d", own_p99_ms=5),
        ],
        dependencies=[_dep("a", "b"), _dep("a", "c"), _dep("a", "d")],
        flows=[
            {
                "id": "f",
                "entry": "a",
                "steps": [
                    {"parallel": [{"from": "a", "to": "b"}, {"from": "a", "to": "c"}]},
                    {"from": "a", "to": "d"},
                ],
            }
        ],
    )
    assert _flow(design, "f")[2].total_ms == 95
    assert analyse(design).latency_model.total("a") == 145


def test_async_consumer_is_held_to_its_own_budget() -> None:
    """api → jobs (async); worker reads jobs and calls slow (own 3,000 ms), worker's SLO p99
    is 60 s; the request requirement is 2 s. worker.message = 20 + 3,000 = 3,020 ms:
    within its own 60 s, and never checked against the 2 s requirement."""
    design = _design(
        discovery={"requirements": {"latency_p99_ms": 2000}},
        services=[
            _svc("api", api="REST"),
            _svc("worker", slo={"latency_p99_ms": 60000}),
            _svc("slow", own_p99_ms=3000),
        ],
        datastores=[{"id": "jobs", "kind": "sqs"}],
        dependencies=[
            {"from": "api", "to": "jobs", "mode": "async"},
            {"from": "worker", "to": "jobs", "mode": "async"},
            _dep("worker", "slow", timeout_ms=5000),
        ],
    )
    assert async_consumers(design) == ["worker"]
    assert "worker" not in entry_points(design)
    flow, _, lat = _flow(design, "worker.message")
    assert flow.trigger == "event" and flow.derived
    assert lat.total_ms == 3020
    assert (lat.target_ms, lat.target_source) == (60000, "entry SLO")
    assert "flow-latency" not in _rules(design)


def test_front_m1_m2_has_no_headroom_and_timeouts_over_budget() -> None:
    """front → m1 → m2, every hop's SLO p99 100 ms, timeouts 300 ms and 250 ms.

    m1's 100 ms p99 >= front's 100 ms budget (no headroom), m2's >= m1's; 300 > 100 and
    250 > 100: each timeout is longer than its caller's whole budget. This passed clean
    before issue 14.
    """
    p99 = {"latency_p99_ms": 100}
    design = _design(
        services=[_svc("front", slo=p99), _svc("m1", slo=p99), _svc("m2", slo=p99)],
        dependencies=[_dep("front", "m1", timeout_ms=300), _dep("m1", "m2", timeout_ms=250)],
    )
    rules = _rules(design)
    assert rules["latency-headroom"] == {"front", "m1"}
    assert rules["timeout-over-budget"] == {"front", "m1"}


def test_a_sync_call_inside_one_context_needs_a_timeout() -> None:
    """No contexts at all: a → b without a timeout is still a missing-timeout."""
    design = _design(
        services=[_svc("a"), _svc("b")],
        dependencies=[{"from": "a", "to": "b", "mode": "sync"}],
    )
    assert _rules(design)["missing-timeout"] == {"a"}


def test_slo_p99_is_a_budget_never_own_time() -> None:
    """gateway (SLO p99 400 ms, no own figure: 20 ms assumed) → checkout (SLO 800 ms,
    own 100 ms): the flow is 20 + 100 = 120 ms, not 400 + 800 = 1,200 ms."""
    design = _design(
        services=[
            _svc("gateway", slo={"latency_p99_ms": 400}),
            _svc("checkout", slo={"latency_p99_ms": 800}, own_p99_ms=100),
        ],
        dependencies=[_dep("gateway", "checkout")],
    )
    _, _, lat = _flow(design, "gateway.checkout")
    assert lat.total_ms == 120
    assert lat.assumed == ("gateway",)
    assert "latency-headroom" in _rules(design)  # 800 >= 400: the budgets disagree


def test_samples_gateway_needs_no_accepted_risk() -> None:
    """payments-ledger: no accepted risk names the edge, and no finding on it fails lint."""
    design = load_design(f"{SAMPLES}/payments-ledger.yaml")
    assert all(r.component != "edge" for r in design.accepted_risks)
    assert not [f for f in lint(design) if f.component == "edge" and f.fails]


def test_iot_alerting_is_not_held_to_the_device_ack_requirement() -> None:
    design = load_design(f"{SAMPLES}/iot-telemetry.yaml")
    a = analyse(design)
    alert = next(i for i, f in enumerate(a.flows) if f.id == "alert")
    assert a.flows[alert].trigger == "event"
    assert a.flow_latency[alert].target_ms == 60000


def test_rename_and_delete_keep_flows_valid() -> None:
    """Renaming a component renames it in flows; deleting the entry drops its flow and
    the accepted risks naming that flow; deleting a step's target drops the step."""
    from stratus_tui.core.edits import delete_component, rename_component

    design = load_design(f"{SAMPLES}/payments-ledger.yaml")
    renamed = rename_component(design, "payments", "orchestrator")
    pay = next(f for f in renamed.flows if f.id == "pay")
    assert pay.steps[0].to == "orchestrator" and pay.steps[1].from_ == "orchestrator"
    without_edge = delete_component(design, "edge")
    assert not without_edge.flows
    assert all(r.component != "pay" for r in without_edge.accepted_risks)
    without_fraud = delete_component(design, "fraud")
    pay = next(f for f in without_fraud.flows if f.id == "pay")
    assert all(s.to != "fraud" for s in pay.steps)


def test_extra_nine_leaves_routes_judged_by_their_own_flow_target() -> None:
    """gateway (99.9 %) calls checkout and listings, each 99.99 % (2 copies) but held
    to 99.9 + one nine = 99.99 %... with psp (99.9 %) behind checkout, checkout
    composes 99.88 %, below 99.99 %. Declared with its own 99.5 % target, the checkout
    route is judged by flow-availability (met), so extra-nine no longer names it; an
    undeclared route stays under extra-nine."""
    base = router()
    assert "checkout" in next(
        f.message for f in lint(base) if f.rule == "extra-nine" and f.component == "gateway"
    )
    declared = _design(
        **{
            **base.to_data(),
            "flows": [
                {
                    "id": "buy",
                    "entry": "gateway",
                    "slo": {"availability": 99.5},
                    "steps": [
                        {"from": "gateway", "to": "checkout"},
                        {"from": "checkout", "to": "psp"},
                    ],
                }
            ],
        }
    )
    nines = [f for f in lint(declared) if f.rule == "extra-nine" and f.component == "gateway"]
    assert all("checkout" not in f.message for f in nines)
    assert "buy" not in _rules(declared).get("flow-availability", set())
