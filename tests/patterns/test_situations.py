"""Whole situations an architect meets, with the verdicts a principal architect would give."""

from __future__ import annotations

from pathlib import Path

from stratus_tui.core.patterns import recommend
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from tests.patterns.helpers import verdicts_by_id


def test_small_team_without_independent_deploys_gets_a_monolith() -> None:
    v = verdicts_by_id({"team.engineers": 6, "team.independent_deploys": False})
    assert v["microservices"].verdict == "avoid"
    assert v["modular-monolith"].verdict == "recommend"
    cited = {a for r in v["microservices"].reasons for a in r.answers}
    assert {"team.engineers", "team.independent_deploys"} <= cited


def test_tiny_startup() -> None:
    v = verdicts_by_id(
        {
            "current.topology": "greenfield",
            "current.services": 0,
            "team.engineers": 3,
            "team.teams": 1,
            "team.ops_maturity": "low",
            "team.independent_deploys": False,
            "workload.peak_rps": 20,
            "workload.traffic": "spiky",
            "workload.read_write_ratio": 5,
            "workload.async_fanout": False,
            "workload.cross_service_transactions": False,
            "workload.client_types": 1,
            "requirements.availability": 99.5,
            "requirements.rto_minutes": 240,
            "requirements.regulatory_multi_region": False,
            "requirements.audit_trail": False,
            "requirements.mtls": False,
            "requirements.cold_start_ok": True,
        }
    )
    assert v["modular-monolith"].verdict == "recommend"
    for pid in (
        "microservices",
        "service-mesh",
        "multi-region",
        "event-sourcing",
        "cqrs",
        "bff",
        "api-gateway",
        "saga",
        "outbox",
    ):
        assert v[pid].verdict == "avoid", pid
    assert v["strangler-fig"].verdict == "not-applicable"
    assert v["serverless"].verdict == "recommend"


def test_scale_up_leaving_a_monolith_checkout_sample() -> None:
    v = {x.pattern: x for x in recommend(load_design(sample_path("checkout")))}
    for pid in (
        "microservices",
        "strangler-fig",
        "saga",
        "outbox",
        "api-gateway",
        "circuit-breaker",
        "event-driven",
    ):
        assert v[pid].verdict == "recommend", pid
    for pid in ("multi-region", "service-mesh"):
        assert v[pid].verdict == "avoid", pid
    assert v["modular-monolith"].verdict == "consider"
    # the checkout path cannot take cold starts, but the design rightly runs its
    # notification consumer as a function off that path: the verdict says where
    serverless = v["serverless"]
    assert (serverless.verdict, serverless.scope) == ("avoid", "on the request path")
    kinds = {(r.kind, r.text) for r in serverless.reasons}
    assert ("avoid", "Cold start unacceptable on the request path") in kinds
    [off] = serverless.scoped
    assert off.scope.startswith("off the request path") and off.verdict == "recommend"
    assert ("design.serverless_off_request_path", ("notifications",)) in {
        pair for r in off.reasons for pair in r.values
    }
    # no audit need: an event store buys nothing here
    assert v["event-sourcing"].verdict == "avoid"


def test_spiky_low_ops_workload() -> None:
    v = verdicts_by_id(
        {
            "team.engineers": 5,
            "team.ops_maturity": "low",
            "workload.traffic": "spiky",
            "workload.async_fanout": True,
            "requirements.cold_start_ok": True,
            "current.services": 2,
        }
    )
    assert v["serverless"].verdict == "recommend"
    assert v["service-mesh"].verdict == "avoid"
    assert v["microservices"].verdict == "avoid"
    # bursty work behind a queue, one deployable, no second region to operate
    assert v["web-queue-worker"].verdict == "recommend"
    assert v["event-driven"].verdict == "recommend"
    assert v["modular-monolith"].verdict == "recommend"
    assert v["multi-region"].verdict == "avoid"


def test_steady_hot_path_where_cold_starts_are_unacceptable() -> None:
    v = verdicts_by_id(
        {
            "workload.traffic": "steady",
            "workload.peak_rps": 3000,
            "requirements.cold_start_ok": False,
            "requirements.latency_p99_ms": 40,
            "team.ops_maturity": "high",
        }
    )
    assert v["serverless"].verdict == "avoid"
    texts = [r.text for r in v["serverless"].reasons if r.kind == "avoid"]
    assert any("Cold start" in t for t in texts)
    assert any("Sustained high throughput" in t for t in texts)
    # a 40 ms p99 is simple request/response with low latency: not an event-driven case
    assert v["event-driven"].verdict == "avoid"


def test_read_heavy_product() -> None:
    v = verdicts_by_id(
        {
            "workload.read_write_ratio": 200,
            "workload.peak_rps": 5000,
            "workload.growth_18m": 3,
            "requirements.consistency": "eventual",
            "team.engineers": 30,
            "workload.client_types": 2,
        },
        datastores=[{"id": "db", "kind": "postgresql"}],
    )
    assert v["cache-aside"].verdict == "recommend"
    assert v["read-replicas"].verdict == "recommend"
    assert v["cqrs"].verdict in {"recommend", "consider"}
    assert v["cqrs"].score > 0
    # web and mobile clients reading 200 times per write: serve from the edge too
    assert v["cdn"].verdict == "recommend"
    assert v["event-sourcing"].verdict != "recommend"


def test_simple_crud() -> None:
    v = verdicts_by_id(
        {
            "team.engineers": 4,
            "team.teams": 1,
            "team.independent_deploys": False,
            "workload.read_write_ratio": 3,
            "workload.async_fanout": False,
            "workload.cross_service_transactions": False,
            "workload.client_types": 1,
            "requirements.audit_trail": False,
        }
    )
    for pid in ("cqrs", "event-sourcing", "saga", "outbox", "event-driven", "microservices", "bff"):
        assert v[pid].verdict == "avoid", pid
    assert v["modular-monolith"].verdict == "recommend"


def test_business_transactions_across_services() -> None:
    v = verdicts_by_id(
        {
            "current.topology": "microservices",
            "current.services": 12,
            "workload.cross_service_transactions": True,
            "workload.async_fanout": True,
        }
    )
    assert v["saga"].verdict == "recommend"
    assert v["outbox"].verdict == "recommend"
    assert "outbox" in {r for r, _why in v["saga"].related}
    # choreographed steps are events; the services already exist, so no monolith advice
    assert v["event-driven"].verdict == "recommend"
    assert v["modular-monolith"].verdict != "recommend"


def test_regulated_multi_region_estate() -> None:
    v = verdicts_by_id(
        {
            "requirements.regulatory_multi_region": True,
            "requirements.availability": 99.99,
            "requirements.rto_minutes": 15,
            "requirements.rpo_minutes": 1,
            "team.ops_maturity": "high",
            "budget.monthly_usd": 200000,
            "current.monthly_cost_usd": 60000,
        }
    )
    assert v["multi-region"].verdict == "recommend"
    assert v["multi-region"].confidence == 1.0
    cited = {a for r in v["multi-region"].reasons if r.kind == "use" for a in r.answers}
    assert {"requirements.regulatory_multi_region", "requirements.rto_minutes"} <= cited


def test_regulated_payments_ledger_sample() -> None:
    v = {x.pattern: x for x in recommend(load_design(sample_path("payments-ledger")))}
    for pid in ("multi-region", "event-sourcing", "outbox", "saga", "microservices"):
        assert v[pid].verdict == "recommend", pid
    # mTLS audited by a partner bank, 7 services, a 24/7 team: a mesh is worth weighing,
    # not dismissed for being under ten services
    assert v["service-mesh"].verdict == "consider"
    # balances are never overdrawn: no cached or lagging reads of them
    assert v["cache-aside"].verdict == "avoid"
    assert v["serverless"].verdict == "avoid"  # payment authorisation on a 400 ms budget


def test_large_estate_that_needs_mtls_everywhere() -> None:
    v = verdicts_by_id(
        {
            "current.topology": "microservices",
            "current.services": 80,
            "requirements.mtls": True,
            "team.ops_maturity": "high",
            "team.engineers": 150,
            "team.teams": 15,
            "team.independent_deploys": True,
        }
    )
    assert v["service-mesh"].verdict == "recommend"
    assert v["microservices"].verdict == "recommend"
    # 80 services behind one API, 15 teams: gateway and private data, never one deployable
    assert v["api-gateway"].verdict == "recommend"
    assert v["database-per-service"].verdict == "recommend"
    assert v["modular-monolith"].verdict == "avoid"


def test_three_service_estate() -> None:
    services = [{"id": s} for s in ("web", "api", "worker")]
    v = verdicts_by_id(
        {"requirements.mtls": True, "team.ops_maturity": "medium"}, services=services
    )
    assert v["service-mesh"].verdict == "avoid"
    assert any("derived.estate_services" in r.answers for r in v["service-mesh"].reasons)
    # even a mature team with mTLS does not need a control plane for three services
    mature = verdicts_by_id(
        {"requirements.mtls": True, "team.ops_maturity": "high"}, services=services
    )
    assert mature["service-mesh"].verdict == "avoid"
    assert v["microservices"].verdict != "recommend"


def test_many_client_types() -> None:
    v = verdicts_by_id({"workload.client_types": 4, "current.services": 8, "team.teams": 4})
    assert v["bff"].verdict == "recommend"
    assert v["api-gateway"].verdict == "recommend"
    assert "api-gateway" in {r for r, _why in v["bff"].related}


def test_audit_heavy_ledger() -> None:
    v = verdicts_by_id(
        {
            "requirements.audit_trail": True,
            "requirements.consistency": "strong",
            "workload.async_fanout": True,
            "team.engineers": 20,
        }
    )
    assert v["event-sourcing"].verdict == "recommend"
    # the history is read through projections: CQRS leans in, and strongly consistent
    # balances rule out caches and lagging replicas
    assert v["cqrs"].verdict != "avoid" and v["cqrs"].score > 0
    assert any("audit trail" in r.text for r in v["cqrs"].reasons if r.kind == "use")
    assert v["cache-aside"].verdict == "avoid"
    assert v["read-replicas"].verdict == "avoid"


def test_empty_design_never_crashes_and_lists_what_to_answer(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text("stratus: 1\nname: New\n", encoding="utf-8")
    verdicts = recommend(load_design(path))
    assert len(verdicts) >= 18
    micro = next(v for v in verdicts if v.pattern == "microservices")
    assert micro.confidence < 0.2  # only design-derived facts are known
    needed = {a for m in micro.missing for a in m.answers}
    assert {"team.engineers", "team.independent_deploys"} <= needed
    assert micro.what_would_change  # unanswered questions that would flip it are named
