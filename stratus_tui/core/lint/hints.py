"""Specific changes for availability hints: what to change on one dependency, with the
figure it would give (issue 14, item 9: never "make listings redundant" for a service
that already runs three copies).

The figure a change gives is the composition's own assumption for the changed component
(`availability.py`), named as assumed.
"""

from __future__ import annotations

from ..analysis.availability import (
    ASSUMED_SHARED_FATE,
    ASSUMED_STORE_REPLICATED,
    PLATFORM_RUNTIMES,
    Composition,
)
from ..analysis.fmt import pct
from ..model import Datastore, External, Service


def change_for(comp: Composition, cid: str, target: float, depth: int = 0) -> str:
    """The specific change that lifts `cid` toward `target` percent, in one clause."""
    c = comp.components.get(cid)
    got = comp.achieves(cid)
    if isinstance(c, Datastore):
        return _store(c, got.percent, got.source == "declared")
    if isinstance(c, External):
        said = "publishes" if got.source == "declared" else "is assumed at"
        return (
            f"{cid} {said} {pct(got.percent)}: put the call behind a circuit breaker with "
            "a fallback (a failure then degrades the caller), or call it asynchronously"
        )
    if not isinstance(c, Service):
        return f"make {cid} more available"
    composed = comp.composed(cid)
    if got.source == "slo" and composed >= target:
        return (
            f"{cid} promises only {pct(got.percent)} while its copies and dependencies "
            f"reach {pct(composed)}: raise its SLO to {pct(target)}"
        )
    own = comp.own(cid)
    deps = [comp.achieves(t) for t in comp.hard_targets(cid)]
    weakest = min(deps, key=lambda d: (d.percent, d.component)) if deps else None
    if weakest is not None and weakest.percent < own.percent:
        # a dependency holds it lower than its own copies do: the change is down there
        what = own.basis.removesuffix(", assumed")
        lead = (
            f"{cid} ({what}, {pct(own.percent)} assumed) is held at {pct(got.percent)} by "
            f"{weakest.component} ({pct(weakest.percent)})"
        )
        if depth >= 3:
            return lead
        return f"{lead}: {change_for(comp, weakest.component, target, depth + 1)}"
    runtime = (c.runtime or "").strip().lower()
    if runtime in PLATFORM_RUNTIMES and (c.replicas is None or c.replicas < 2):
        return (
            f"{cid} runs on a {runtime} platform assumed at {pct(own.percent)}: deploy it "
            "in a second region, or call it asynchronously"
        )
    if c.replicas is None or c.replicas < 2:
        now = "replicas undeclared" if c.replicas is None else "1 copy"
        return (
            f"{cid} runs {now}: replicas: 2 across zones gives {pct(ASSUMED_SHARED_FATE)} (assumed)"
        )
    return (
        f"{cid} already runs {c.replicas} copies ({pct(own.percent)}, the assumed "
        "ceiling of one region): only a second region, a cache in front or an "
        "asynchronous call lifts it"
    )


def _store(d: Datastore, percent: float, declared: bool) -> str:
    figure = f"{pct(ASSUMED_STORE_REPLICATED)} (assumed)"
    if declared:
        return (
            f"{d.id} declares {pct(percent)}: a higher-availability tier, a cache in front "
            "for reads, or an asynchronous write path"
        )
    if not d.multi_az and (d.replicas or 1) < 2:
        return f"{d.id} is single-AZ with 1 replica: replicas: 2, multi_az: true gives {figure}"
    if not d.multi_az:
        return f"{d.id} is single-AZ: multi_az: true gives {figure}"
    if (d.replicas or 1) < 2:
        return f"{d.id} runs 1 replica: replicas: 2 across zones gives {figure}"
    return (
        f"{d.id} is already replicated across zones ({pct(percent)} assumed): declare its "
        "availability if the provider promises more, or put a cache in front for reads"
    )
