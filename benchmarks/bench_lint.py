"""Lint time at 1,000 and 5,000 services (3 dependencies each).

Goal: at most 1 s at 1,000 services, near-linear growth. Prints figures; asserts nothing.
Best of 5 runs after a warm-up; on a loaded machine the figures are noisy, so compare the
us/service column rather than single runs.

    .venv/bin/python -m benchmarks.bench_lint [N ...]
"""

from __future__ import annotations

import sys

from benchmarks.gen import make_design
from benchmarks.timing import best_of
from stratus_tui.core.analysis import analyse
from stratus_tui.core.lint import lint
from stratus_tui.core.report import render_report

GOAL_1000_S = 1.0


def main(sizes: list[int]) -> None:
    results: dict[int, float] = {}
    for n in sizes:
        design = make_design(n)
        lint(design)  # warm-up: imports, networkx dispatch caches
        t_lint = best_of(lambda d=design: lint(d), repeat=5)
        t_analyse = best_of(lambda d=design: analyse(d), repeat=1)
        t_report = best_of(lambda d=design: render_report(d), repeat=1)
        results[n] = t_lint
        findings = len(lint(design))
        print(
            f"{n:>6} services, {len(design.dependencies):>6} dependencies: "
            f"lint {t_lint:.3f} s ({1e6 * t_lint / n:.0f} us/service, {findings} findings), "
            f"analyse {t_analyse:.3f} s, "
            f"report {t_report:.3f} s"
        )
    if 1000 in results:
        verdict = "meets" if results[1000] <= GOAL_1000_S else "MISSES"
        print(f"goal: lint <= {GOAL_1000_S:.1f} s at 1,000 services: {verdict}")
    ns = sorted(results)
    if len(ns) >= 2:
        a, b = ns[0], ns[-1]
        ratio = results[b] / results[a]
        print(f"growth: x{b / a:g} services -> x{ratio:.2f} lint time (linear would be x{b / a:g})")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
