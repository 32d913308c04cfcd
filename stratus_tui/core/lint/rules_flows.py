"""Lint rules about request flows and latency budgets (issue 14).

Flow findings name the flow id as their component (flow ids share the component id
space, so an accepted risk can name a flow). A service's SLO p99 is its budget: the
budget rules compare calls and timeouts with it, never treat it as time spent.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.context import LintContext
from ..analysis.fmt import ms, pct
from ..flows import RequestFlow
from .findings import P_BLAST, P_FAILURE
from .registry import Hit, rule


def _kind(flow: RequestFlow) -> str:
    return "derived flow" if flow.derived else "flow"


@rule(
    "flow-availability",
    "error",
    "A request flow whose composed availability is below its target (flow SLO, else the "
    "entry's SLO, else the requirement for a request flow).",
    principle=P_FAILURE,
)
def flow_availability(ctx: LintContext) -> Iterator[Hit]:
    for flow, fa in zip(ctx.flows, ctx.flow_availability, strict=True):
        if fa.meets is not False or fa.target is None:
            continue
        parts = ", ".join(
            f"{d.component} {pct(d.percent)}"
            + (" (own copies)" if i == 0 else "")
            + (f" {d.source}" if d.source in ("assumed", "composed") else "")
            for i, d in enumerate(fa.factors)
        )
        weakest = min(fa.factors[1:] or fa.factors, key=lambda d: (d.percent, d.component))
        yield Hit(
            flow.id,
            f"{_kind(flow)} {flow.id} ({flow.name}) reaches at most "
            f"{pct(fa.percent)}, below its {pct(fa.target)} target ({fa.target_source}): "
            f"{parts}",
            f"make {weakest.component} more available (copies across zones, a replica), "
            "put the call behind a circuit breaker with a fallback, or move it off the flow",
        )


@rule(
    "flow-latency",
    "warning",
    "A request flow whose p99 (each hop's own time, parallel groups at their slowest) "
    "exceeds its target; an event flow is held to its own SLO, never the request "
    "requirement.",
    principle=P_BLAST,
)
def flow_latency(ctx: LintContext) -> Iterator[Hit]:
    for flow, fl in zip(ctx.flows, ctx.latency.flows, strict=True):
        if not fl.over or fl.target_ms is None:
            continue
        hops = " + ".join(
            f"{h.component} {ms(h.ms)}{' assumed' if h.assumed else ''}" for h in fl.hops[:12]
        )
        more = f" + {len(fl.hops) - 12} more" if len(fl.hops) > 12 else ""
        yield Hit(
            flow.id,
            f"{_kind(flow)} {flow.id} ({flow.name}) takes {ms(fl.total_ms)} p99 "
            f"({hops}{more}), over its {ms(fl.target_ms)} target ({fl.target_source})",
            "call in parallel, cache, or move hops off the request path; declare own_p99_ms "
            "where the figure is assumed",
        )


def _budget(ctx: LintContext, service: str) -> float | None:
    s = ctx.composition.services.get(service)
    return s.slo.latency_p99_ms if s is not None and s.slo is not None else None


def _callee_p99(ctx: LintContext, target: str) -> tuple[float, str] | None:
    comp = ctx.composition.components.get(target)
    if comp is None:
        return None
    kind = ctx.topology.kind(target)
    if kind == "service":
        b = _budget(ctx, target)
        return (b, "SLO") if b is not None else None
    if kind == "external":
        p99 = getattr(comp, "latency_p99_ms", None)
        return (float(p99), "published") if p99 is not None else None
    return None


@rule(
    "latency-headroom",
    "warning",
    "A synchronous callee's p99 is at or above its caller's p99 SLO: no time is left "
    "for the caller's own work.",
    principle=P_BLAST,
)
def latency_headroom(ctx: LintContext) -> Iterator[Hit]:
    for c in ctx.topology.process_calls:
        budget = _budget(ctx, c.source)
        callee = _callee_p99(ctx, c.target)
        if budget is None or callee is None or callee[0] < budget:
            continue
        yield Hit(
            c.source,
            f"{c.source} promises p99 {ms(budget)} but waits for {c.target}, whose "
            f"{callee[1]} p99 is {ms(callee[0])}: no headroom for {c.source}'s own work",
            f"give {c.source} a budget above {c.target}'s p99, make {c.target} faster, "
            "or take the call off the request path",
        )


@rule(
    "timeout-over-budget",
    "warning",
    "A synchronous call's timeout is longer than the caller's whole p99 SLO.",
    principle=P_BLAST,
)
def timeout_over_budget(ctx: LintContext) -> Iterator[Hit]:
    for c in ctx.topology.process_calls:
        budget = _budget(ctx, c.source)
        if budget is None or c.timeout_ms is None or c.timeout_ms <= budget:
            continue
        yield Hit(
            c.source,
            f"{c.source} → {c.target} times out after {ms(c.timeout_ms)}, longer than "
            f"{c.source}'s whole p99 budget of {ms(budget)}: the timeout cannot protect it",
            f"set the timeout below {ms(budget)} minus {c.source}'s own time",
        )


@rule(
    "retry-over-budget",
    "warning",
    "A synchronous call's attempts x timeout (1 + retries) exceed the caller's p99 SLO.",
    principle=P_BLAST,
)
def retry_over_budget(ctx: LintContext) -> Iterator[Hit]:
    for c in ctx.topology.process_calls:
        budget = _budget(ctx, c.source)
        if budget is None or c.timeout_ms is None or not c.retries:
            continue
        if c.timeout_ms > budget:  # already timeout-over-budget: one finding per cause
            continue
        attempts = 1 + c.retries
        worst = c.timeout_ms * attempts
        if worst <= budget:
            continue
        yield Hit(
            c.source,
            f"{c.source} → {c.target} may take {ms(worst)} ({ms(c.timeout_ms)} x "
            f"{attempts} attempts), over {c.source}'s p99 budget of {ms(budget)}",
            "retry fewer times, shorten the timeout, or retry only within the remaining deadline",
        )
