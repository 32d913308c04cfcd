"""Every lint rule: a design that triggers it and a near-identical one that does not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stratus_tui.core.lint import RULES, Finding, lint
from stratus_tui.core.lint.findings import NON_NEGOTIABLES

from .designs import Data, build, clean, dep, mutate, service, svc

Edit = Callable[[Data], None]


def _set(path: str, value: object) -> Edit:
    """An edit that sets `services[api].a.b` style paths: 'svc:api:replicas'."""
    kind, ident, *keys = path.split(":")

    def edit(data: Data) -> None:
        ks = list(keys)
        if kind == "svc":
            target = svc(data, ident)
        elif kind == "store":
            target = next(d for d in data["datastores"] if d["id"] == ident)
        elif kind == "ext":
            target = next(d for d in data["externals"] if d["id"] == ident)
        elif kind == "dep":
            src, dst = ident.split(">")
            target = dep(data, src, dst)
        elif kind == "req":
            target = data["discovery"]["requirements"]
            ks = [ident, *ks]
        elif kind == "budget":
            target = data["discovery"]["budget"]
            ks = [ident, *ks]
        elif kind == "fm":
            target = next(f for f in data["failure_modes"] if f["id"] == ident)
        elif kind == "phase":
            target = next(p for p in data["migration"] if p["id"] == ident)
        else:
            raise AssertionError(kind)
        for key in ks[:-1]:
            target = target[key]
        if value is None:
            target.pop(ks[-1], None)
        else:
            target[ks[-1]] = value

    return edit


def _both(*edits: Edit) -> Edit:
    def edit(data: Data) -> None:
        for e in edits:
            e(data)

    return edit


def _sync_cycle(back: str) -> Edit:
    def edit(data: Data) -> None:
        dep(data, "api", "worker")["mode"] = "sync"
        dep(data, "api", "worker")["timeout_ms"] = 100
        data["dependencies"].append(
            {"from": "worker", "to": "api", "mode": back, "timeout_ms": 100}
        )

    return edit


def _callers(n: int) -> Edit:
    def edit(data: Data) -> None:
        for i in range(n):
            data["services"].append(service(f"caller{i}"))
            data["dependencies"].append(
                {
                    "from": f"caller{i}",
                    "to": "psp",
                    "mode": "sync",
                    "timeout_ms": 300,
                    "circuit_breaker": True,
                }
            )

    return edit


def _callees(n: int) -> Edit:
    def edit(data: Data) -> None:
        for i in range(n - 2):  # api already calls psp and its own api-db
            data["externals"].append({"id": f"ext{i}", "availability": 99.999})
            data["dependencies"].append(
                {
                    "from": "api",
                    "to": f"ext{i}",
                    "mode": "sync",
                    "timeout_ms": 100,
                    "circuit_breaker": True,
                }
            )

    return edit


def _caller_of_api(timeout_ms: int) -> Edit:
    def edit(data: Data) -> None:
        data["dependencies"].append(
            {
                "from": "worker",
                "to": "api",
                "mode": "sync",
                "timeout_ms": timeout_ms,
                "retries": 0,
                "circuit_breaker": True,
            }
        )

    return edit


def _store_user(context: str, label: str) -> Edit:
    def edit(data: Data) -> None:
        svc(data, "worker")["context"] = context
        data["dependencies"].append(
            {"from": "worker", "to": "api-db", "mode": "sync", "label": label}
        )

    return edit


def _chain_through_worker(mode: str) -> Edit:
    """api -> worker -> ledger: worker (2 copies) is the only link, a choke point."""

    def edit(data: Data) -> None:
        d = dep(data, "api", "worker")
        d.update(mode="sync", timeout_ms=100, retries=0, circuit_breaker=True)
        data["services"].append(service("ledger"))
        data["dependencies"].append(
            {"from": "worker", "to": "ledger", "mode": mode, "protocol": "grpc"}
            | {"timeout_ms": 50, "retries": 0, "circuit_breaker": True}
        )

    return edit


def _accept(rule: str, component: str | None = "api") -> Edit:
    def edit(data: Data) -> None:
        data["accepted_risks"] = [{"rule": rule, "component": component, "reason": "known"}]

    return edit


# (case id, rule, expected component, trigger edit, near-identical edit)
CASES: list[tuple[str, str, str | None, Edit, Edit]] = [
    ("spof-service", "spof", "api", _set("svc:api:replicas", 1), _set("svc:api:replicas", 2)),
    (
        "spof-store",
        "spof",
        "api-db",
        _set("store:api-db:multi_az", False),
        _set("store:api-db:multi_az", True),
    ),
    (
        # a redundant choke point is its own rule (info), never `spof`
        "chokepoint",
        "chokepoint",
        "worker",
        _chain_through_worker("sync"),
        _chain_through_worker("async"),
    ),
    ("sync-cycle", "sync-cycle", "api", _sync_cycle("sync"), _sync_cycle("async")),
    (
        # api is an entry point: its route to psp is a derived flow, judged per flow.
        # api.psp = api's copies 99.99 x api-db 99.99 x psp 99.999 = 99.979 %
        "flow-availability",
        "flow-availability",
        "api.psp",
        _set("svc:api:slo:availability", 99.995),
        _set("svc:api:slo:availability", 99.97),
    ),
    (
        # worker calls api, so api is judged as a service: 99.979 % composed
        "availability-slo",
        "availability-budget",
        "api",
        _both(_caller_of_api(100), _set("svc:api:slo:availability", 99.995)),
        _both(_caller_of_api(100), _set("svc:api:slo:availability", 99.97)),
    ),
    (
        "extra-nine",
        "extra-nine",
        "api",
        _set("store:api-db:availability", 99.95),
        _set("store:api-db:availability", 99.99),
    ),
    (
        # api.psp p99 = api's own 30 ms (assumed: 20 + 10 own store) + psp's p99
        "flow-latency",
        "flow-latency",
        "api.psp",
        _set("ext:psp:latency_p99_ms", 780),
        _set("ext:psp:latency_p99_ms", 760),
    ),
    (
        # worker (budget 200 ms) calls api: api's own 30 ms + psp 100 ms = 130 ms fits;
        # psp at 190 ms makes api 220 ms, over api's own 200 ms budget
        "latency-slo",
        "latency-budget",
        "api",
        _both(
            _caller_of_api(100),
            _set("svc:api:slo:latency_p99_ms", 200),
            _set("dep:api>psp:timeout_ms", 60),
            _set("ext:psp:latency_p99_ms", 190),
        ),
        _both(
            _caller_of_api(100),
            _set("svc:api:slo:latency_p99_ms", 200),
            _set("dep:api>psp:timeout_ms", 60),
            _set("ext:psp:latency_p99_ms", 160),
        ),
    ),
    (
        "latency-headroom",
        "latency-headroom",
        "api",
        _set("ext:psp:latency_p99_ms", 800),
        _set("ext:psp:latency_p99_ms", 790),
    ),
    (
        "timeout-over-budget",
        "timeout-over-budget",
        "api",
        _set("dep:api>psp:timeout_ms", 801),
        _set("dep:api>psp:timeout_ms", 800),
    ),
    (
        # 300 ms x 3 attempts = 900 ms > 800 ms; x 2 = 600 ms fits
        "retry-over-budget",
        "retry-over-budget",
        "api",
        _set("dep:api>psp:retries", 2),
        _set("dep:api>psp:retries", 1),
    ),
    (
        # api may spend 300 ms x 2 attempts on psp: a 500 ms caller timeout gives up first
        "timeout-budget",
        "timeout-budget",
        "worker",
        _caller_of_api(500),
        _caller_of_api(700),
    ),
    (
        "shared-datastore",
        "shared-datastore",
        "api-db",
        _store_user("billing", "read"),
        _store_user("shop", "read"),
    ),
    (
        "multiple-writers",
        "multiple-writers",
        "api-db",
        _store_user("shop", "write orders"),
        _store_user("shop", "read orders"),
    ),
    (
        "missing-timeout",
        "missing-timeout",
        "api",
        _set("dep:api>psp:timeout_ms", None),
        _set("dep:api>psp:timeout_ms", 300),
    ),
    (
        # issue 14: inside one context too (worker and api are both in "shop")
        "missing-timeout-same-context",
        "missing-timeout",
        "worker",
        _both(_caller_of_api(100), _set("dep:worker>api:timeout_ms", None)),
        _caller_of_api(100),
    ),
    (
        "missing-circuit-breaker",
        "missing-circuit-breaker",
        "api",
        _set("dep:api>psp:circuit_breaker", False),
        _set("dep:api>psp:circuit_breaker", True),
    ),
    (
        "retry-without-timeout",
        "retry-without-timeout",
        "api",
        _both(_set("dep:api>psp:timeout_ms", None), _set("dep:api>psp:retries", 2)),
        _both(_set("dep:api>psp:timeout_ms", None), _set("dep:api>psp:retries", 0)),
    ),
    ("fan-in-hotspot", "fan-in-hotspot", "psp", _callers(4), _callers(3)),
    ("fan-out-hotspot", "fan-out-hotspot", "api", _callees(5), _callees(4)),
    (
        "missing-slo",
        "missing-slo",
        "worker",
        _set("svc:worker:slo", None),
        _set("svc:worker:slo", {"availability": 99.5}),
    ),
    (
        "missing-health-checks",
        "missing-health-checks",
        "worker",
        _set("svc:worker:health_checks", False),
        _set("svc:worker:health_checks", True),
    ),
    (
        "missing-metrics",
        "missing-metrics",
        "worker",
        _set("svc:worker:metrics", False),
        _set("svc:worker:metrics", True),
    ),
    (
        "missing-structured-logs",
        "missing-structured-logs",
        "worker",
        _set("svc:worker:structured_logs", False),
        _set("svc:worker:structured_logs", True),
    ),
    (
        "missing-tracing",
        "missing-tracing",
        "api",
        _set("svc:api:tracing", False),
        _set("svc:worker:tracing", False),
    ),
    (
        "missing-rollback",
        "missing-rollback",
        "worker",
        _set("svc:worker:rollback", None),
        _set("svc:worker:rollback", "redeploy"),
    ),
    (
        "missing-rollback-phase",
        "missing-rollback",
        None,
        _set("phase:p1:rollback", None),
        _set("phase:p1:rollback", "undo"),
    ),
    (
        "hardcoded-secret",
        "hardcoded-secret",
        "api",
        _set("svc:api:secrets", "hardcoded"),
        _set("svc:api:secrets", "secrets-manager"),
    ),
    (
        "unmanaged-secret",
        "unmanaged-secret",
        "api",
        _set("svc:api:secrets", "env"),
        _set("svc:api:secrets", "none"),
    ),
    (
        "alert-without-runbook",
        "alert-without-runbook",
        "psp",
        _set("fm:fm-psp:runbook", None),
        _set("fm:fm-psp:runbook", "runbooks/other.md"),
    ),
    (
        "undetected-failure-mode",
        "undetected-failure-mode",
        "psp",
        _set("fm:fm-psp:detection", None),
        _set("fm:fm-psp:detection", "uptime probe"),
    ),
    (
        "over-budget",
        "over-budget",
        None,
        _set("budget:monthly_usd", 300),
        _set("budget:monthly_usd", 400),
    ),
    (
        "over-budget-10x",
        "over-budget-10x",
        None,
        _set("budget:monthly_usd", 2000),
        _set("budget:monthly_usd", 3000),
    ),
    (
        "unknown-accepted-risk",
        "unknown-accepted-risk",
        "api",
        _accept("spoff"),
        _both(_accept("spof"), _set("svc:api:replicas", 1)),
    ),
    (
        "stale-accepted-risk",
        "stale-accepted-risk",
        "api",
        _accept("spof"),
        _both(_accept("spof"), _set("svc:api:replicas", 1)),
    ),
    # issue 14, item 8 (rules_data.py): backups every 60 min lose up to 60 min of writes
    (
        "rpo-unmet",
        "rpo-unmet",
        "api-db",
        _both(
            _set("req:rpo_minutes", 5),
            _set("store:api-db:replication", "none"),
            _set("store:api-db:backup_interval_minutes", 60),
        ),
        _both(
            _set("req:rpo_minutes", 5),
            _set("store:api-db:replication", "none"),
            _set("store:api-db:backup_interval_minutes", 5),
        ),
    ),
    (
        # no replica to fail over to: a restore, assumed 60 min
        "rto-unmet",
        "rto-unmet",
        "api-db",
        _both(
            _set("req:rto_minutes", 30),
            _set("store:api-db:replication", "none"),
            _set("store:api-db:backup_interval_minutes", 60),
        ),
        _both(
            _set("req:rto_minutes", 60),
            _set("store:api-db:replication", "none"),
            _set("store:api-db:backup_interval_minutes", 60),
        ),
    ),
    (
        "recovery-undeclared",
        "recovery-undeclared",
        "api-db",
        _set("req:rpo_minutes", 5),
        _both(_set("req:rpo_minutes", 5), _set("store:api-db:replication", "sync")),
    ),
    (
        "consistency-replication",
        "consistency-replication",
        "api-db",
        _both(
            _set("req:consistency", "strong"),
            _set("store:api-db:regions", 2),
            _set("store:api-db:replication", "async"),
        ),
        _both(
            _set("req:consistency", "strong"),
            _set("store:api-db:regions", 2),
            _set("store:api-db:replication", "sync"),
        ),
    ),
    (
        "cross-region-write-latency",
        "cross-region-write-latency",
        "api-db",
        _both(_set("store:api-db:regions", 2), _set("store:api-db:replication", "sync")),
        _both(_set("store:api-db:regions", 1), _set("store:api-db:replication", "sync")),
    ),
    (
        "mtls-missing",
        "mtls-missing",
        "api",
        _set("req:mtls", True),
        _both(_set("req:mtls", True), _set("dep:api>worker:protocol", "sqs-mtls")),
    ),
    (
        # api priced from the default table: 3 of 4 declared (75 %) is below 80 %
        "cost-coverage",
        "cost-coverage",
        None,
        _set("svc:api:monthly_cost_usd", None),
        _set("svc:api:monthly_cost_usd", 0),
    ),
]


def _rule_hits(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_clean_design_has_no_finding() -> None:
    assert lint(build(clean())) == []


@pytest.mark.parametrize(
    ("case", "rule", "component", "trigger", "near"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_triggers_and_near_miss_does_not(
    case: str, rule: str, component: str | None, trigger: Edit, near: Edit
) -> None:
    hits = _rule_hits(lint(mutate(trigger)), rule)
    assert hits, f"{rule} did not fire for {case}"
    assert component in {h.component for h in hits}
    meta = RULES[rule]
    for h in hits:
        assert h.non_negotiable == meta.non_negotiable
        assert h.principle == meta.principle
        assert h.message and h.hint
    assert _rule_hits(lint(mutate(near)), rule) == []


def test_every_rule_has_a_case() -> None:
    covered = {c[1] for c in CASES}
    assert set(RULES) == covered


def test_cli_spec_rule_ids_are_registered() -> None:
    spec_ids = {
        "spof",
        "sync-cycle",
        "availability-budget",
        "latency-budget",
        "shared-datastore",
        "missing-slo",
        "missing-health-checks",
        "missing-metrics",
        "missing-structured-logs",
        "missing-rollback",
        "hardcoded-secret",
        "alert-without-runbook",
        "missing-timeout",
        "missing-circuit-breaker",
    }
    assert spec_ids <= set(RULES)


def test_each_rule_names_a_seed_non_negotiable_or_a_principle() -> None:
    for r in RULES.values():
        assert (r.non_negotiable is None) != (r.principle is None), r.id
        if r.non_negotiable is not None:
            assert r.non_negotiable in NON_NEGOTIABLES


def test_non_negotiables_map_to_rules() -> None:
    by_nn = {r.non_negotiable for r in RULES.values()}
    for rule_id, sentence in [
        ("spof", "No single point of failure in production"),
        ("missing-slo", "No new service without a defined SLO"),
        ("missing-rollback", "No deployment without a rollback procedure"),
        ("alert-without-runbook", "No alert without a runbook"),
        ("missing-metrics", "No service without health checks, metrics, and structured logs"),
    ]:
        assert RULES[rule_id].non_negotiable == sentence
        assert sentence in by_nn


def test_undeclared_observability_is_a_warning_not_an_error() -> None:
    hits = _rule_hits(lint(mutate(_set("svc:worker:metrics", None))), "missing-metrics")
    assert [h.severity for h in hits] == ["warning"]
    hits = _rule_hits(lint(mutate(_set("svc:worker:metrics", False))), "missing-metrics")
    assert [h.severity for h in hits] == ["error"]
