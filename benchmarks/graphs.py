"""Realistic random designs for the benchmark table (`python -m benchmarks`).

`gen.py`'s chain (service i calls i+1 and i+2) is what tests rely on; it is not what a
real estate of services looks like. Here, with a fixed seed so figures compare run to
run:

- services fall into bounded contexts of 4 to 14; inside a context calls go forward
  (an edge service, then domain services, then leaves), mostly synchronous;
- about a third of the services also call into another context, mostly forward, with
  ~8 % back edges to an earlier context (so synchronous cycles exist, as in real
  estates), about 40 % of cross-context calls asynchronous (events);
- ~70 % of services own a store, a few stores are also read from another context,
  some run one replica, some omit observability fields (so lint has work to do);
- one external per ~40 services (payment, e-mail, ...), called with timeouts and
  circuit breakers by a few services;
- one declared request flow per ~25 services, a walk along declared sync calls.

    .venv/bin/python -m benchmarks.graphs N FILE     # write one as YAML
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from stratus_tui.core.model import Design

SEED = 21


def make_data(n: int, seed: int = SEED) -> dict[str, Any]:
    """File-shaped data of a valid, realistic design of `n` services."""
    rng = random.Random(seed * 100_003 + n)
    contexts: list[list[str]] = []
    ids: list[str] = []
    while len(ids) < n:
        size = min(rng.randint(4, 14), n - len(ids))
        members = [f"svc-{len(ids) + k:05d}" for k in range(size)]
        contexts.append(members)
        ids += members
    ctx_of = {sid: c for c, members in enumerate(contexts) for sid in members}
    externals = [
        {"id": f"ext-{k:03d}", "name": f"Provider {k}", "availability": 99.9}
        for k in range(max(2, n // 40))
    ]
    services: list[dict[str, Any]] = []
    stores: list[dict[str, Any]] = []
    deps: list[dict[str, Any]] = []
    edges: set[tuple[str, str]] = set()
    sync_out: dict[str, list[str]] = {}

    def call(a: str, b: str, mode: str, **extra: Any) -> None:
        if a == b or (a, b) in edges:
            return
        edges.add((a, b))
        deps.append({"from": a, "to": b, "mode": mode, **extra})
        if mode == "sync" and b.startswith("svc-"):
            sync_out.setdefault(a, []).append(b)

    for c, members in enumerate(contexts):
        for pos, sid in enumerate(members):
            i = int(sid[4:])
            svc: dict[str, Any] = {
                "id": sid,
                "name": f"{'Edge' if pos == 0 else 'Domain'} service {i}",
                "context": f"context-{c:04d}",
                "owns": [f"entity-{i}"],
                "api": f"REST: /v1/entity-{i}",
                "runtime": rng.choice(("kubernetes",) * 6 + ("serverless", "vm")),
                "replicas": rng.choice((1, 2, 2, 3, 3, 3)),
                "owner": f"team-{c % 40:02d}",
                "slo": {"availability": 99.9, "latency_p99_ms": rng.choice((200, 300, 500))},
                "own_p99_ms": rng.randint(5, 60),
                "health_checks": True,
                "metrics": rng.random() > 0.1,
                "structured_logs": rng.random() > 0.1,
                "tracing": rng.random() > 0.3,
                "rollback": "helm rollback",
                "secrets": rng.choice(("vault", "vault", "secrets-manager", "env")),
                "monthly_cost_usd": rng.randint(50, 900),
            }
            if rng.random() < 0.7:
                did = f"db-{i:05d}"
                svc["datastore"] = did
                stores.append(
                    {
                        "id": did,
                        "name": f"Store {i}",
                        "kind": rng.choice(("postgresql", "postgresql", "redis", "mongodb")),
                        "replicas": rng.choice((1, 2, 2)),
                        "multi_az": rng.random() > 0.2,
                        "backup_interval_minutes": 15,
                        "monthly_cost_usd": rng.randint(20, 600),
                    }
                )
            services.append(svc)
            later = members[pos + 1 :]
            for target in rng.sample(later, min(len(later), rng.randint(1, 3))):
                call(sid, target, "sync", protocol="grpc", timeout_ms=300, retries=1)
    for sid in ids:
        c = ctx_of[sid]
        if rng.random() < 0.35 and len(contexts) > 1:
            if c > 0 and rng.random() < 0.08:
                other = rng.randrange(0, c)  # a back edge: cycles exist in real estates
            else:
                other = rng.randrange(min(c + 1, len(contexts) - 1), len(contexts))
            target = contexts[other][0] if rng.random() < 0.5 else rng.choice(contexts[other])
            if rng.random() < 0.4:
                call(sid, target, "async", protocol="kafka")
            else:
                call(sid, target, "sync", protocol="http", timeout_ms=500, retries=2)
        if rng.random() < 0.05:
            ext = str(rng.choice(externals)["id"])
            call(sid, ext, "sync", protocol="https", timeout_ms=2000, circuit_breaker=True)
    store_ids = [s["id"] for s in stores]
    for _ in range(n // 50):  # a few stores read from another context
        call(rng.choice(ids), rng.choice(store_ids), "sync", protocol="sql")
    flows: list[dict[str, Any]] = []
    for k in range(n // 25):
        entry = contexts[rng.randrange(len(contexts))][0]
        steps: list[dict[str, str]] = []
        here, seen = entry, {entry}
        while len(steps) < 5 and sync_out.get(here):
            nxt = rng.choice(sync_out[here])
            if nxt in seen:
                break
            steps.append({"from": here, "to": nxt})
            seen.add(nxt)
            here = nxt
        if steps:
            flows.append(
                {"id": f"flow-{k:04d}", "name": f"Journey {k}", "entry": entry, "steps": steps}
            )
    return {
        "stratus": 1,
        "name": f"Realistic random design of {n} services",
        "discovery": {
            "requirements": {"latency_p99_ms": 800, "availability": 99.9},
            "workload": {"peak_rps": 2000},
        },
        "services": services,
        "datastores": stores,
        "externals": externals,
        "dependencies": deps,
        "flows": flows,
    }


def make_design(n: int, seed: int = SEED) -> Design:
    """A valid, realistic `Design` of `n` services."""
    return Design.model_validate(make_data(n, seed))


def write_design(n: int, path: str | Path, seed: int = SEED) -> Path:
    """Write the realistic design of `n` services as block-style YAML to `path`."""
    from stratus_tui.core.store.serialise import to_yaml

    target = Path(path)
    target.write_text(to_yaml(make_design(n, seed)), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write_design(int(sys.argv[1]), sys.argv[2]))
