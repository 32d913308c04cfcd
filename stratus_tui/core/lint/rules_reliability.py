"""Lint rules about failure: SPOFs, cycles, availability and latency budgets, shared data."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.availability import extra_nine
from ..analysis.context import LintContext
from ..analysis.fmt import arrow, listing, ms, pct
from .findings import NN_SPOF, P_BLAST, P_FAILURE
from .hints import change_for
from .registry import Hit, rule


@rule(
    "spof",
    "error",
    "A component on a synchronous path runs as a single copy.",
    non_negotiable=NN_SPOF,
)
def spof(ctx: LintContext) -> Iterator[Hit]:
    for s in ctx.spofs:
        if not s.single_copy:
            continue  # runs several copies: not a single point of failure (see `chokepoint`)
        if s.cause == "chokepoint":
            hint = (
                f"give the services on either side a second path, or make the calls "
                f"through {s.component} asynchronous"
            )
        elif s.kind == "datastore":
            hint = "add a replica in a second availability zone (replicas: 2, multi_az: true)"
        else:
            hint = (
                "run at least 2 replicas spread across zones (topologySpreadConstraints, "
                "PodDisruptionBudget), or use a managed or serverless runtime"
            )
        yield Hit(s.component, f"{s.component} {s.reason}", hint, s.severity)


@rule(
    "chokepoint",
    "info",
    "A redundant component that every synchronous path between some services crosses.",
    principle=P_BLAST,
)
def chokepoint(ctx: LintContext) -> Iterator[Hit]:
    # One rule id, one meaning: `spof` is a single copy; this is a choke point that runs
    # several copies, worth knowing about for blast radius but not a single point of failure.
    for s in ctx.spofs:
        if s.single_copy:
            continue
        yield Hit(
            s.component,
            f"{s.component} {s.reason}",
            f"keep {s.component}'s replicas in separate zones and protect its callers "
            "with timeouts and circuit breakers",
            s.severity,
        )


@rule("sync-cycle", "error", "Services call each other synchronously in a loop.", principle=P_BLAST)
def sync_cycle(ctx: LintContext) -> Iterator[Hit]:
    for c in ctx.cycles:
        extra = f" (part of a tangle of {c.group_size})" if c.group_size > len(c.path) else ""
        yield Hit(
            c.path[0],
            f"synchronous cycle {arrow((*c.path, c.path[0]))}{extra}: a slowdown "
            "anywhere in it loops back to every member (distributed monolith)",
            "break the loop: turn one call into an event, or merge the services",
        )


@rule(
    "availability-budget",
    "error",
    "A service SLO that its own copies and hard synchronous dependencies make unreachable "
    "(entry points are judged per flow: flow-availability).",
    principle=P_FAILURE,
)
def availability_budget(ctx: LintContext) -> Iterator[Hit]:
    for b in ctx.availability:
        if b.entry or b.meets_slo is not False or b.slo is None:
            continue
        parts = [b.own, *b.dependencies] if b.own is not None else list(b.dependencies)
        deps = ", ".join(
            f"{d.component} {pct(d.percent)}"
            + (" (own copies)" if d is b.own else "")
            + (" assumed" if d.source == "assumed" else "")
            + (" composed" if d.source == "composed" else "")
            for d in parts
        )
        weakest = min(parts, key=lambda d: (d.percent, d.component))
        fix = (
            f"run more copies of {b.service} across zones"
            if weakest is b.own
            else f"make {weakest.component} redundant, put the call behind a circuit "
            "breaker with a fallback, or make it asynchronous"
        )
        yield Hit(
            b.service,
            f"{b.service} SLO {pct(b.slo)} is unreachable: it achieves at most "
            f"{pct(b.achievable)} ({deps})",
            f"{fix}, or lower the SLO",
        )


@rule(
    "extra-nine",
    "warning",
    "A critical dependency is not one nine more available than its caller's SLO.",
    principle=P_FAILURE,
)
def extra_nine_rule(ctx: LintContext) -> Iterator[Hit]:
    judged = _judged_per_flow(ctx)
    hints: dict[tuple[str, float], str] = {}  # a shared dependency is named by many callers

    def hint(component: str, target: float) -> str:
        known = hints.get((component, target))
        if known is None:
            known = hints[(component, target)] = change_for(ctx.composition, component, target)
        return known

    for b in ctx.availability:
        below = [c for c in b.below_extra_nine if (b.service, c) not in judged]
        if not below or b.slo is None:
            continue
        values = {d.component: d.percent for d in b.dependencies}
        names = ", ".join(f"{c} {pct(values[c])}" for c in below)
        # name the specific change per dependency, never a generic "make it redundant"
        target = extra_nine(b.slo)
        texts = [hint(c, target) for c in below]
        # a change already reached through another dependency is said once
        changes = "; ".join(
            t for t in dict.fromkeys(texts) if not any(u != t and u.endswith(t) for u in texts)
        )
        yield Hit(
            b.service,
            f"{b.service} promises {pct(b.slo)}, so each synchronous dependency should "
            f"offer {pct(target)}; below that: {names}",
            changes,
        )


def _judged_per_flow(ctx: LintContext) -> set[tuple[str, str]]:
    """The entry's first calls of declared flows with their own availability target.

    A gateway's routes are separate journeys: flow-availability judges each against
    its own target, so holding the route's callee to the gateway's SLO plus a nine
    would judge the same call twice, against a number nobody promised for it."""
    judged: set[tuple[str, str]] = set()
    for flow in ctx.design.flows:
        if flow.slo is None or flow.slo.availability is None:
            continue
        for step in flow.steps:
            calls = step.parallel or (step,)
            judged.update((c.from_, c.to) for c in calls if c.from_ == flow.entry and c.to)
    return judged


@rule(
    "latency-budget",
    "warning",
    "A service whose own time plus its synchronous calls exceeds its own p99 SLO "
    "(entry points are judged per flow: flow-latency).",
    principle=P_BLAST,
)
def latency_budget(ctx: LintContext) -> Iterator[Hit]:
    lat = ctx.latency
    for b in lat.budgets:
        if b.entry or not b.over_own_slo or b.own_slo_ms is None:
            continue
        own = lat.own(b.service)
        calls = ", ".join(
            f"{c.target} {ms(lat.total(c.target))}" for c in ctx.composition.sync_calls(b.service)
        )
        yield Hit(
            b.service,
            f"{b.service} promises p99 {ms(b.own_slo_ms)} but its own time "
            f"({ms(own.ms)}{' assumed' if own.assumed else ''}) and its synchronous calls "
            f"({calls or 'none'}) take {ms(b.total_ms)}",
            "take a call off the request path (cache, event), call in parallel, or "
            "raise the SLO; declare own_p99_ms where the figure is assumed",
        )


@rule(
    "shared-datastore",
    "warning",
    "One store used by services of different bounded contexts.",
    principle=P_BLAST,
)
def shared_datastore(ctx: LintContext) -> Iterator[Hit]:
    for s in ctx.stores:
        if s.shared_across_contexts:
            yield Hit(
                s.store,
                f"{s.store} is used by {listing(s.users)} from contexts {', '.join(s.contexts)}",
                "give each context its own store and share data through an API or events",
            )


@rule(
    "multiple-writers", "warning", "More than one service writes the same store.", principle=P_BLAST
)
def multiple_writers(ctx: LintContext) -> Iterator[Hit]:
    for s in ctx.stores:
        if len(s.writers) > 1:
            yield Hit(
                s.store,
                f"{s.store} has {len(s.writers)} writers: {', '.join(s.writers)}",
                "make one service the single owner and writer; label read-only "
                "dependencies with 'read'",
            )


_GAP_TEXT = {
    "timeout": ("has no timeout", "set timeout_ms to fit the caller's latency budget"),
    "circuit-breaker": (
        "has no circuit breaker",
        "add a circuit breaker (circuit_breaker: true) with a fallback",
    ),
    "retry-without-timeout": (
        "retries without a timeout (a retry storm in waiting)",
        "set timeout_ms, and retry with backoff and jitter",
    ),
}


def _gaps(ctx: LintContext, gap: str) -> Iterator[Hit]:
    text, hint = _GAP_TEXT[gap]
    for g in ctx.call_gaps:
        if g.gap == gap:
            where = "" if g.boundary == "sync call" else f" ({g.boundary})"
            yield Hit(g.caller, f"sync call {g.caller} → {g.target}{where} {text}", hint)


@rule(
    "missing-timeout",
    "error",
    "A synchronous call to another process (a service or an external) without a timeout.",
    principle=P_BLAST,
)
def missing_timeout(ctx: LintContext) -> Iterator[Hit]:
    yield from _gaps(ctx, "timeout")


@rule(
    "missing-circuit-breaker",
    "warning",
    "A sync call to an external or across contexts without a circuit breaker.",
    principle=P_BLAST,
)
def missing_circuit_breaker(ctx: LintContext) -> Iterator[Hit]:
    yield from _gaps(ctx, "circuit-breaker")


@rule("retry-without-timeout", "error", "A retried sync call without a timeout.", principle=P_BLAST)
def retry_without_timeout(ctx: LintContext) -> Iterator[Hit]:
    yield from _gaps(ctx, "retry-without-timeout")


@rule(
    "fan-in-hotspot",
    "warning",
    "Many services call one component synchronously.",
    principle=P_BLAST,
)
def fan_in(ctx: LintContext) -> Iterator[Hit]:
    for h in ctx.hotspots:
        if h.direction == "fan-in":
            yield Hit(
                h.component,
                f"{h.component} has {h.count} synchronous callers ({listing(h.neighbours)})",
                "protect it with bulkheads and rate limits, add replicas or a cache, or "
                "let callers consume its data as events",
            )


@rule(
    "fan-out-hotspot",
    "info",
    "One service calls many components synchronously.",
    principle=P_FAILURE,
)
def fan_out(ctx: LintContext) -> Iterator[Hit]:
    for h in ctx.hotspots:
        if h.direction == "fan-out":
            yield Hit(
                h.component,
                f"{h.component} calls {h.count} components synchronously ({listing(h.neighbours)})",
                "call them in parallel with one deadline, or compose asynchronously",
            )


@rule(
    "timeout-budget",
    "warning",
    "A callee may keep retrying after its caller's timeout has already given up.",
    principle=P_BLAST,
)
def timeout_budget(ctx: LintContext) -> Iterator[Hit]:
    sync = ctx.sync
    # per service, its slowest declared call in the worst case: timeout x attempts
    worst: dict[str, tuple[float, str, float, int]] = {}
    for v, w, data in sync.edges(data=True):
        timeout = data.get("timeout_ms")
        if timeout is None:
            continue
        attempts = 1 + max(int(data.get("retries") or 0), 0)
        total = float(timeout) * attempts
        if v not in worst or (total, w) > (worst[v][0], worst[v][1]):
            worst[v] = (total, w, float(timeout), attempts)
    for u, v, data in sorted(sync.edges(data=True), key=lambda e: (e[0], e[1])):
        given = data.get("timeout_ms")
        if given is None or v not in worst or worst[v][0] <= given:
            continue
        total, w, timeout, attempts = worst[v]
        tries = f"{ms(timeout)} x {attempts} attempts" if attempts > 1 else "one attempt"
        yield Hit(
            u,
            f"{u} gives {v} {ms(given)}, but {v} may wait {ms(total)} on {w} ({tries}): "
            f"{u} gives up while {v} is still working or retrying, so the work is wasted "
            "or done twice",
            f"keep the calls {v} makes inside {ms(given)} (shorter timeouts, fewer "
            "retries, or propagate the caller's deadline)",
        )
