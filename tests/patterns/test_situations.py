"""Whole situations an architect meets, with the verdicts a principal architect would give."""

from __future__ import annotations

from pathlib import Path

from stratus_tui.core.resources import sample_path
from stratus_tui.core.rules import recommend
from stratus_tui.core.store import load_design
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
    for pid in ("multi-region", "service-mesh", "serverless"):
        assert v[pid].verdict == "avoid", pid
    assert v["modular-monolith"].verdict == "consider"


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


def test_three_service_estate() -> None:
    services = [{"id": s} for s in ("web", "api", "worker")]
    v = verdicts_by_id(
        {"requirements.mtls": True, "team.ops_maturity": "medium"}, services=services
    )
    assert v["service-mesh"].verdict == "avoid"
    assert any("derived.estate_services" in r.answers for r in v["service-mesh"].reasons)


def test_many_client_types() -> None:
    v = verdicts_by_id({"workload.client_types": 4, "current.services": 8, "team.teams": 4})
    assert v["bff"].verdict == "recommend"
    assert v["api-gateway"].verdict == "recommend"


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
