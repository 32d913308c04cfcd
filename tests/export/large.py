"""Realistic large designs: services in bounded contexts calling across them.

Graphviz 2.43's default ranking fails (`trouble in init_rank`) on many such clustered
graphs of 100-300 services; `benchmarks/gen.py`'s regular chain does not trigger it.
"""

from __future__ import annotations

import random

from stratus_tui.core.model import Design


def clustered_design(services: int, seed: int, per_context: int = 12) -> Design:
    """`services` services in about services/per_context contexts, a third as many
    datastores, five externals, and 1-5 random calls per service (sync or async)."""
    rnd = random.Random(seed)
    contexts = max(1, services // per_context)
    stores = max(1, services // 3)
    svc = [
        {"id": f"s{i}", "name": f"Service {i}", "context": f"ctx-{rnd.randrange(contexts)}"}
        for i in range(services)
    ]
    deps = []
    seen: set[tuple[int, str]] = set()
    for i in range(services):
        for _ in range(rnd.randint(1, 5)):
            target = rnd.choice(
                [f"s{rnd.randrange(services)}", f"d{rnd.randrange(stores)}", f"x{rnd.randrange(5)}"]
            )
            if target == f"s{i}" or (i, target) in seen:
                continue
            seen.add((i, target))
            mode = rnd.choice(["sync", "async"])
            deps.append({"from": f"s{i}", "to": target, "mode": mode, "label": "call"})
    return Design.model_validate(
        {
            "stratus": 1,
            "name": f"clustered {services}",
            "services": svc,
            "datastores": [
                {"id": f"d{j}", "kind": rnd.choice(["postgresql", "redis", "kafka"])}
                for j in range(stores)
            ],
            "externals": [{"id": f"x{k}"} for k in range(5)],
            "dependencies": deps,
        }
    )
