"""Derived facts on known designs, and the seed's 'When to Use What' table encoded row by row."""

from __future__ import annotations

import subprocess
import sys

from stratus_tui.core.patterns import FACTS, facts_of, load_library
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from tests.patterns.helpers import make_design


def test_every_fact_is_documented_and_every_answer_is_a_fact() -> None:
    assert all(spec.description and spec.type for spec in FACTS.values())
    for key in (
        "team.engineers",
        "workload.traffic",
        "requirements.mtls",
        "current.topology",
        "budget.monthly_usd",
        "workload.client_types",
    ):
        assert key in FACTS and not FACTS[key].derived
    assert FACTS["team.ops_maturity"].choices == ("low", "medium", "high")


def test_derived_facts_of_a_small_design() -> None:
    design = make_design(
        {
            "current.services": 2,
            "workload.peak_rps": 100,
            "workload.growth_18m": 3,
            "budget.monthly_usd": 3000,
            "current.monthly_cost_usd": 1000,
        },
        services=[
            {"id": "a", "context": "sales", "datastore": "db"},
            {"id": "b", "context": "sales", "runtime": "serverless"},
            {"id": "c", "context": "billing"},
            {"id": "d"},
        ],
        datastores=[
            {"id": "db", "kind": "PostgreSQL"},
            {"id": "bus", "kind": "kafka"},
            {"id": "cache", "kind": "redis"},
        ],
        externals=[{"id": "stripe"}],
        dependencies=[
            {"from": "a", "to": "b", "circuit_breaker": True},
            {"from": "b", "to": "c"},
            {"from": "c", "to": "stripe"},
            {"from": "c", "to": "db"},
            {"from": "a", "to": "c"},
            {"from": "d", "to": "bus", "mode": "async"},
        ],
    )
    f = facts_of(design)
    assert f["design.services"] == 4
    assert f["design.contexts"] == 2
    assert f["design.sync_dependencies"] == 5
    assert f["design.async_dependencies"] == 1
    assert f["design.remote_sync_calls"] == 4
    assert f["design.sync_calls_to_externals"] == 1
    assert f["design.sync_calls_without_breaker"] == 3
    assert f["design.cross_context_sync_calls"] == 2  # b->c and a->c
    assert f["design.max_sync_fan_out"] == 2
    assert f["design.longest_sync_chain"] == 3  # a -> b -> c -> stripe
    assert f["design.sync_cycle"] is False
    assert f["design.shared_stores"] == 1  # db: sales (a owns it) and billing (c calls it)
    assert f["design.serverless_services"] == 1
    assert (f["design.caches"], f["design.brokers"], f["design.relational_stores"]) == (1, 1, 1)
    assert f["derived.estate_services"] == 4
    assert f["derived.peak_rps_18m"] == 300
    assert f["derived.budget_headroom"] == 3


def test_sync_cycle_and_a_very_long_chain() -> None:
    n = 3000  # deeper than Python's recursion limit: the walk must be iterative
    services = [{"id": f"s{i}"} for i in range(n)]
    deps = [{"from": f"s{i}", "to": f"s{i + 1}"} for i in range(n - 1)]
    f = facts_of(make_design({}, services=services, dependencies=deps))
    assert f["design.longest_sync_chain"] == n - 1
    assert f["design.sync_cycle"] is False
    cyc = make_design(
        {},
        services=services[:3],
        dependencies=[
            {"from": "s0", "to": "s1"},
            {"from": "s1", "to": "s2"},
            {"from": "s2", "to": "s0"},
        ],
    )
    assert facts_of(cyc)["design.sync_cycle"] is True
    assert facts_of(cyc)["design.longest_sync_chain"] == 2


def test_unanswered_is_none_and_estate_unknown_without_any_count() -> None:
    f = facts_of(make_design({}))
    assert f["team.engineers"] is None
    assert f["derived.estate_services"] is None
    assert f["derived.peak_rps_18m"] is None
    assert facts_of(load_design(sample_path("checkout")))["derived.estate_services"] == 5


def test_importing_the_engine_does_not_import_networkx_or_textual() -> None:
    code = (
        "import sys, stratus_tui.core.patterns as r, stratus_tui.cli.recommend_cmd; "
        "assert 'networkx' not in sys.modules and 'textual' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# The seed's table (reference/STRATUS.md, "When to Use What"): pattern -> (use, avoid) cells.
SEED_TABLE = {
    "microservices": (
        ["Team scaling", "independent deployments needed"],
        ["Small team", "monolith works fine"],
    ),
    "event-driven": (
        ["Loose coupling", "async processing", "fan-out"],
        ["Simple request/response", "low latency required"],
    ),
    "cqrs": (
        ["Read/write scale differs dramatically"],
        ["Simple CRUD", "adds unnecessary complexity"],
    ),
    "saga": (
        ["Distributed transactions across services"],
        ["Single service can own the transaction"],
    ),
    "service-mesh": (
        ["Many services need mTLS", "observability/retries"],
        ["Few services", "operational complexity too high"],
    ),
    "serverless": (
        ["Spiky traffic", "event-driven", "minimal ops"],
        ["Sustained high throughput", "cold start unacceptable"],
    ),
    "multi-region": (
        ["RTO/RPO requires it", "regulatory mandates"],
        ["Cost/complexity not justified by actual requirements"],
    ),
}


def test_seed_table_is_encoded_row_by_row() -> None:
    library = load_library()
    for pid, (use, avoid) in SEED_TABLE.items():
        pattern = library.patterns[pid]
        assert sorted(r.seed for r in pattern.use_when if r.seed) == sorted(use), pid
        assert sorted(r.seed for r in pattern.avoid_when if r.seed) == sorted(avoid), pid
        for rule in (*pattern.use_when, *pattern.avoid_when):
            if rule.seed:  # the user sees the seed's words
                assert rule.seed.lower() in rule.text.lower(), rule.text


def test_every_pattern_has_forces_related_and_references() -> None:
    library = load_library()
    for pid, p in library.patterns.items():
        assert p.use_when and p.avoid_when, pid
        assert p.forces.pros and p.forces.cons, pid
        assert p.related and p.references, pid
    related = {(p.id, r.id) for p in library.patterns.values() for r in p.related}
    for pair in [
        ("saga", "outbox"),
        ("microservices", "api-gateway"),
        ("strangler-fig", "api-gateway"),
        ("cqrs", "event-driven"),
    ]:
        assert pair in related


def test_a_broker_shared_by_contexts_is_not_a_shared_store() -> None:
    design = make_design(
        {},
        services=[{"id": "a", "context": "x"}, {"id": "b", "context": "y"}],
        datastores=[{"id": "bus", "kind": "kafka"}, {"id": "db", "kind": "postgresql"}],
        dependencies=[
            {"from": "a", "to": "bus", "mode": "async"},
            {"from": "b", "to": "bus", "mode": "async"},
        ],
    )
    assert facts_of(design)["design.shared_stores"] == 0
    shared = design.model_copy(
        update={
            "dependencies": (
                *design.dependencies,
                *make_design(
                    {},
                    services=[{"id": "a"}, {"id": "b"}],
                    datastores=[{"id": "db"}],
                    dependencies=[{"from": "a", "to": "db"}, {"from": "b", "to": "db"}],
                ).dependencies,
            )
        }
    )
    assert facts_of(shared)["design.shared_stores"] == 1
