"""The report's root causes work out each service's weakest link once (issue 21: ~1,300
chains at 1,000 services walk the same lower steps); the counts are those of the walk
that recomputed every step."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.graphs import make_design
from stratus_tui.core.analysis import analyse
from stratus_tui.core.analysis.analyse import Analysis
from stratus_tui.core.report.actions import root_causes
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design


def reference(analysis: Analysis) -> Counter[str]:
    """root_causes before (verbatim but for names)."""
    out: Counter[str] = Counter()
    budgets = {b.service: b for b in analysis.availability}

    def root(component: str, seen: set[str]) -> str:
        b = budgets.get(component)
        while b is not None and component not in seen:
            seen.add(component)
            parts = [p for p in (b.own, *b.dependencies) if p is not None]
            if not parts:
                break
            weakest = min(parts, key=lambda d: (d.percent, d.component))
            if weakest is b.own or weakest.component == component:
                break
            component = weakest.component
            b = budgets.get(component)
        return component

    for b in analysis.availability:
        if b.meets_slo is False and b.dependencies and not b.entry:
            weakest = min(b.dependencies, key=lambda d: (d.percent, d.component))
            out[root(weakest.component, {b.service})] += 1
    for fa in analysis.flow_availability:
        if fa.meets is False and len(fa.factors) > 1:
            weakest = min(fa.factors[1:], key=lambda d: (d.percent, d.component))
            out[root(weakest.component, set())] += 1
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=8, max_value=120), st.integers(min_value=0, max_value=10_000))
def test_the_same_counts_as_the_step_by_step_walk(n: int, seed: int) -> None:
    analysis = analyse(make_design(n, seed))
    got = root_causes(analysis)
    assert got == reference(analysis)
    assert list(got.items()) == list(reference(analysis).items())  # same order too


def test_samples_and_a_larger_design() -> None:
    designs = [load_design(sample_path(name)) for name in sample_names()]
    for design in [*designs, make_design(400)]:
        analysis = analyse(design)
        assert list(root_causes(analysis).items()) == list(reference(analysis).items())
    assert root_causes(None) == Counter()
