"""Synthetic designs for benchmarks: N services, 3 dependencies each.

Importable by other benchmarks::

    from benchmarks.gen import make_design, write_design

Every service owns a datastore; service i calls the next two services (sync) and its
own datastore, so the design is valid, acyclic-ish and grows linearly with N.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from stratus_tui.core.model import Design


def make_data(n: int) -> dict[str, Any]:
    """File-shaped data of a valid design with `n` services and 3 dependencies each."""
    services: list[dict[str, Any]] = []
    stores: list[dict[str, Any]] = []
    deps: list[dict[str, Any]] = []
    for i in range(n):
        sid, did = f"svc-{i:05d}", f"db-{i:05d}"
        services.append(
            {
                "id": sid,
                "name": f"Service {i}",
                "context": f"ctx-{i // 10}",
                "owns": [f"thing-{i}"],
                "api": f"REST: GET /things/{i}",
                "datastore": did,
                "runtime": "kubernetes",
                "replicas": 2 + i % 3,
                "owner": f"team-{i % 20}",
                "slo": {"availability": 99.9, "latency_p99_ms": 300},
                "health_checks": True,
                "metrics": True,
                "structured_logs": True,
                "rollback": "helm rollback",
                "secrets": "vault",
                "monthly_cost_usd": 100 + i,
            }
        )
        stores.append({"id": did, "name": f"DB {i}", "kind": "postgresql", "replicas": 2})
        deps.append({"from": sid, "to": did, "mode": "sync", "protocol": "sql"})
        # Calls to later services (wrapping) keep every endpoint defined.
        for step in (1, 2):
            target = f"svc-{(i + step) % n:05d}"
            if target != sid:
                deps.append(
                    {
                        "from": sid,
                        "to": target,
                        "mode": "async" if step == 2 else "sync",
                        "protocol": "grpc",
                        "timeout_ms": 200,
                    }
                )
            elif step == 1:  # n == 1: a second, async edge to its own store
                deps.append({"from": sid, "to": did, "mode": "async", "protocol": "cdc"})
    return {
        "stratus": 1,
        "name": f"Synthetic design of {n} services",
        "services": services,
        "datastores": stores,
        "dependencies": deps,
    }


def make_design(n: int) -> Design:
    """A valid `Design` with `n` services and 3 dependencies each."""
    return Design.model_validate(make_data(n))


def write_design(n: int, path: str | Path) -> Path:
    """Write the synthetic design of `n` services as block-style YAML to `path`."""
    from stratus_tui.core.store.serialise import to_yaml

    target = Path(path)
    target.write_text(to_yaml(make_design(n)), encoding="utf-8")
    return target


if __name__ == "__main__":
    out = write_design(int(sys.argv[1]), sys.argv[2])
    print(out)
