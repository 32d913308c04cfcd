"""Engine time of `recommend` on a 1,000-service design (goal: <= 0.3 s).

Run: .venv/bin/python -m benchmarks.bench_recommend [N]

Prints the time to load the pattern library (cold, then cached), to compute the facts and
to evaluate every pattern, best of several runs. Uses benchmarks/gen.py's `make_design`
when it is there, otherwise builds the design inline.
"""

from __future__ import annotations

import sys
import time

from benchmarks.timing import best_of
from stratus_tui.core.model import Design

GOAL_S = 0.3


def _inline_design(n: int) -> Design:
    services = [
        {"id": f"svc-{i}", "context": f"ctx-{i // 10}", "datastore": f"db-{i}"} for i in range(n)
    ]
    stores = [{"id": f"db-{i}", "kind": "postgresql"} for i in range(n)]
    deps = [
        {"from": f"svc-{i}", "to": f"svc-{j}"} for i in range(n) for j in (i + 1, i + 2) if j < n
    ]
    discovery = {
        "team": {"engineers": 400, "teams": 40, "independent_deploys": True},
        "workload": {"read_write_ratio": 30, "async_fanout": True},
        "requirements": {"mtls": True},
    }
    return Design.model_validate(
        {
            "stratus": 1,
            "name": "inline",
            "discovery": discovery,
            "services": services,
            "datastores": stores,
            "dependencies": deps,
        }
    )


def make(n: int) -> Design:
    """The benchmark design: gen.make_design(n) if available, else an inline one."""
    try:
        from benchmarks.gen import make_design
    except ImportError:
        return _inline_design(n)
    return make_design(n)


def main(n: int = 1000) -> None:
    from stratus_tui.core.patterns import evaluate_all, facts_of, load_library, recommend

    design = make(n)
    start = time.perf_counter()
    library = load_library()
    cold = time.perf_counter() - start
    cached = best_of(load_library, repeat=5)
    facts_t = best_of(lambda: facts_of(design), repeat=5)
    facts = facts_of(design)
    rules_t = best_of(lambda: evaluate_all(library.patterns, facts), repeat=5)
    total = best_of(lambda: recommend(design), repeat=5)
    print(
        f"design: {len(design.services)} services, {len(design.dependencies)} dependencies, "
        f"{len(library.patterns)} patterns"
    )
    print(f"library load (cold)        {cold * 1000:8.1f} ms")
    print(f"library load (cached)      {cached * 1000:8.1f} ms")
    print(f"facts_of(design)           {facts_t * 1000:8.1f} ms")
    print(f"evaluate all patterns      {rules_t * 1000:8.1f} ms")
    print(
        f"recommend(design) total    {total * 1000:8.1f} ms   "
        f"(goal <= {GOAL_S * 1000:.0f} ms: {'met' if total <= GOAL_S else 'MISSED'})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
