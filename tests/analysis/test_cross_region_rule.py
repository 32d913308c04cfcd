"""`cross-region-write-latency` finds the request flows through a store's writers from an
index built once (it rebuilt every flow's path for every replicated store): the same
findings as the step-by-step reference below, on random designs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis.context import LintContext
from stratus_tui.core.analysis.fmt import ms
from stratus_tui.core.analysis.recovery import INTER_REGION_RTT_MS
from stratus_tui.core.lint.registry import Hit
from stratus_tui.core.lint.rules_data import cross_region_write_latency
from stratus_tui.core.model import Design

from .test_properties import designs


def reference(ctx: LintContext) -> Iterator[Hit]:
    """The rule as it was written first: every flow's path, for every store."""
    low, high = INTER_REGION_RTT_MS
    lat = ctx.latency
    for r in ctx.recovery:
        if r.regions < 2 or r.replication != "sync":
            continue
        sync_writers = next((s.writers for s in ctx.stores if s.store == r.store), ())
        writers = set(sync_writers)
        own = ", ".join(
            f"{w} own p99 {ms(lat.own(w).ms)}{' assumed' if lat.own(w).assumed else ''}"
            for w in sync_writers
        )
        flows: list[str] = []
        tight = False
        for flow, fl in zip(ctx.flows, lat.flows, strict=True):
            if flow.trigger != "request" or not writers & {h.component for h in fl.hops}:
                continue
            if fl.target_ms is None:
                flows.append(f"{flow.id} {ms(fl.total_ms)} (no target)")
                continue
            room = fl.target_ms - fl.total_ms
            tight = tight or room < high
            flows.append(
                f"{flow.id} {ms(fl.total_ms)} of {ms(fl.target_ms)}, {ms(max(room, 0.0))} left"
            )
        through = f"; request flows through them: {'; '.join(flows)}" if flows else ""
        yield Hit(
            r.store,
            f"{r.store} replicates synchronously across {r.regions} regions, so every write "
            f"waits for a cross-region round trip (assumed {low:g}-{high:g} ms between "
            f"distant regions) unless the writers' own times already include it ({own})"
            f"{through}",
            "measure the round trip between the two regions and put it in the writers' "
            "own_p99_ms; keep the regions near each other, or batch writes",
            None if tight else "info",
        )


@st.composite
def replicated_designs(draw: Any) -> Design:
    design: Design = draw(designs().filter(lambda d: bool(d.datastores)))
    stores = [
        s.model_copy(
            update={  # the first store replicates across regions: the rule has work
                "regions": draw(st.sampled_from([2, 3] if i == 0 else [None, 1, 2, 3])),
                "replication": "sync" if i == 0 else draw(st.sampled_from([None, "sync", "async"])),
            }
        )
        for i, s in enumerate(design.datastores)
    ]
    return design.model_copy(update={"datastores": stores})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replicated_designs())
def test_the_same_findings_as_the_reference(design: Design) -> None:
    assert list(cross_region_write_latency(LintContext(design))) == list(
        reference(LintContext(design))
    )


def test_the_samples_some_of_which_replicate_across_regions() -> None:
    from stratus_tui.core.resources import sample_names, sample_path
    from stratus_tui.core.store.design_file import load_design

    found = 0
    for name in sample_names():
        design = load_design(sample_path(name))
        got = list(cross_region_write_latency(LintContext(design)))
        assert got == list(reference(LintContext(design)))
        found += len(got)
    assert found  # payments-ledger replicates synchronously: the check is not vacuous
