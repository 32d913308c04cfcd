"""Hand-built designs for the analysis tests: a clean baseline and small mutations."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from stratus_tui.core.model import Design

Data = dict[str, Any]


def service(sid: str, **extra: Any) -> Data:
    """A service that satisfies every non-negotiable unless `extra` says otherwise."""
    base: Data = {
        "id": sid,
        "context": "shop",
        "runtime": "kubernetes",
        "replicas": 2,
        "slo": {"availability": 99.9, "latency_p99_ms": 200},
        "health_checks": True,
        "metrics": True,
        "structured_logs": True,
        "tracing": True,
        "rollback": "helm rollback",
        "secrets": "vault",
        "monthly_cost_usd": 100,
    }
    base.update(extra)
    return base


def clean() -> Data:
    """A design that lints with no finding at all (checked by a test)."""
    return {
        "stratus": 1,
        "name": "Clean shop",
        "scope": "the clean shop",
        "discovery": {
            "requirements": {"latency_p99_ms": 1000, "availability": 99.9},
            "budget": {"monthly_usd": 10000},
        },
        # api's p99 budget leaves room for psp's 300 ms timeout (issue 14: a timeout
        # longer than the caller's whole budget is a finding)
        "services": [
            service("api", datastore="api-db", slo={"availability": 99.9, "latency_p99_ms": 800}),
            service("worker"),
        ],
        "datastores": [
            {
                "id": "api-db",
                "kind": "postgresql",
                "replicas": 2,
                "multi_az": True,
                "availability": 99.99,
                "monthly_cost_usd": 100,
            }
        ],
        "externals": [
            {"id": "psp", "availability": 99.999, "latency_p99_ms": 100, "monthly_cost_usd": 50}
        ],
        "dependencies": [
            {
                "from": "api",
                "to": "psp",
                "mode": "sync",
                "protocol": "rest",
                "timeout_ms": 300,
                "retries": 1,
                "circuit_breaker": True,
            },
            {"from": "api", "to": "worker", "mode": "async", "protocol": "sqs"},
        ],
        "failure_modes": [
            {
                "id": "fm-psp",
                "component": "psp",
                "detection": "burn-rate alert",
                "runbook": "runbooks/psp.md",
            }
        ],
        "migration": [{"id": "p1", "title": "Go live", "rollback": "switch DNS back"}],
    }


def build(data: Data) -> Design:
    """Validate file-shaped data into a Design."""
    return Design.model_validate(data)


def mutate(fn: Callable[[Data], None]) -> Design:
    """The clean design after `fn` edited a deep copy of its data."""
    data = copy.deepcopy(clean())
    fn(data)
    return build(data)


def svc(data: Data, sid: str) -> Data:
    """The service `sid` inside file-shaped data."""
    return next(s for s in data["services"] if s["id"] == sid)


def dep(data: Data, src: str, dst: str) -> Data:
    """The dependency `src -> dst` inside file-shaped data."""
    return next(d for d in data["dependencies"] if d["from"] == src and d["to"] == dst)


def graph_design(edges: list[tuple[str, str, str]], **kinds: str) -> Design:
    """A design from (from, to, mode) triples; nodes are services unless `kinds` says
    `name="datastore"` or `name="external"`."""
    names = sorted({n for e in edges for n in e[:2]} | set(kinds))
    data: Data = {"stratus": 1, "name": "graph", "services": [], "datastores": [], "externals": []}
    for n in names:
        kind = kinds.get(n, "service")
        data[kind + "s"].append({"id": n})
    data["dependencies"] = [{"from": a, "to": b, "mode": m} for a, b, m in edges]
    return build(data)
