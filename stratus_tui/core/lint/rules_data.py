"""Lint rules that hold the design's data to its requirements (issue 14, items 6 and 8).

Recovery point and time per store, strong consistency across regions and its write
latency, mutual TLS, and whether the cost figures are declared enough to judge the
budget. Every figure a message uses that the design does not declare is named as
assumed (the assumptions live in `recovery.py` and `prices.py`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..analysis.context import LintContext
from ..analysis.cost import COVERAGE_FLOOR
from ..analysis.fmt import listing, ms, usd
from ..analysis.recovery import ASSUMED_ASYNC_LAG_MIN, INTER_REGION_RTT_MS, mtls_calls
from .findings import P_BLAST, P_COST, P_FAILURE
from .registry import Hit, rule


def _min(value: float | None) -> str:
    if value is None:
        return "unknown"
    if math.isinf(value):
        return "everything"
    return f"{value:g} min"


@rule(
    "rpo-unmet",
    "error",
    "A store's declared replication and backups can lose more data than the RPO allows "
    "(RPO 0 needs sync replication; async loses seconds; backups alone lose up to their "
    "interval).",
    principle=P_FAILURE,
)
def rpo_unmet(ctx: LintContext) -> Iterator[Hit]:
    rpo = ctx.design.discovery.requirements.rpo_minutes
    if rpo is None:
        return
    for r in ctx.recovery:
        if r.rpo_minutes is None or r.rpo_minutes <= rpo + 1e-9:
            continue
        if r.replication == "async" and r.regions >= 2:
            what = (
                f"{r.store} replicates asynchronously across {r.regions} regions: a region "
                f"failover loses the writes still in flight (seconds, assumed under "
                f"{_min(ASSUMED_ASYNC_LAG_MIN)})"
            )
        else:
            what = f"{r.store} can lose {_min(r.rpo_minutes)} of writes ({r.rpo_basis})"
        if rpo < ASSUMED_ASYNC_LAG_MIN:
            hint = (
                f"RPO {rpo:g} min needs synchronous replication to a second copy "
                "(replication: sync, replicas: 2"
                + (f", regions: {r.regions}" if r.regions >= 2 else "")
                + "), at the cost of a round trip per write"
            )
        else:
            hint = (
                f"back up at least every {rpo:g} min (backup_interval_minutes: {rpo:g}) or "
                "replicate (async loses seconds, sync nothing)"
            )
        yield Hit(r.store, f"{what}; the RPO is {rpo:g} min", hint)


@rule(
    "rto-unmet",
    "warning",
    "A store cannot be serving again within the RTO under the assumed failover (2 min) "
    "or restore (60 min) times.",
    principle=P_FAILURE,
)
def rto_unmet(ctx: LintContext) -> Iterator[Hit]:
    rto = ctx.design.discovery.requirements.rto_minutes
    if rto is None:
        return
    for r in ctx.recovery:
        if r.rto_minutes is None or r.rto_minutes <= rto + 1e-9:
            continue
        took = "never" if math.isinf(r.rto_minutes) else f"after about {_min(r.rto_minutes)}"
        yield Hit(
            r.store,
            f"{r.store} is back {took} ({r.rto_basis}); the RTO is {rto:g} min",
            f"keep a replica to fail over to (replicas: 2, multi_az: true, replication: "
            f"async or sync), or rehearse a restore that fits {rto:g} min",
        )


@rule(
    "recovery-undeclared",
    "warning",
    "A store that may hold written data declares neither replication nor backups while "
    "the design states an RPO or RTO: its recovery cannot be checked.",
    principle=P_FAILURE,
)
def recovery_undeclared(ctx: LintContext) -> Iterator[Hit]:
    req = ctx.design.discovery.requirements
    if req.rpo_minutes is None and req.rto_minutes is None:
        return
    asked = ", ".join(
        f"{name} {value:g} min"
        for name, value in (("RPO", req.rpo_minutes), ("RTO", req.rto_minutes))
        if value is not None
    )
    for r in ctx.recovery:
        if r.declared:
            continue
        copies = f"{r.copies} copies" if r.copies >= 2 else "1 copy"
        yield Hit(
            r.store,
            f"{r.store} ({r.kind}, {copies}, used by {listing(r.users)}) declares "
            f"neither replication nor backups, so {asked} cannot be checked",
            "declare replication (sync, async or none) and backup_interval_minutes",
        )


@rule(
    "consistency-replication",
    "error",
    "Strong consistency is required but a store spans regions without synchronous "
    "replication: a read or a failover in another region can miss committed writes.",
    principle=P_FAILURE,
)
def consistency_replication(ctx: LintContext) -> Iterator[Hit]:
    if ctx.design.discovery.requirements.consistency != "strong":
        return
    for d in ctx.design.datastores:
        regions = d.regions or 1
        if regions < 2 or d.replication == "sync":
            continue
        how = f"replication: {d.replication}" if d.replication else "replication undeclared"
        yield Hit(
            d.id,
            f"{d.id} spans {regions} regions with {how}, but consistency must be strong: "
            "the other region can serve or take over without the latest committed writes",
            "replicate synchronously (replication: sync, a round trip per write), or keep "
            "the data in one region and fail over explicitly",
            "warning" if d.replication is None else None,
        )


@rule(
    "cross-region-write-latency",
    "warning",
    "A store replicated synchronously across regions: every write waits for an "
    "inter-region round trip (assumed 60-100 ms); a warning when a flow through its "
    "writers has no room for it.",
    principle=P_BLAST,
)
def cross_region_write_latency(ctx: LintContext) -> Iterator[Hit]:
    low, high = INTER_REGION_RTT_MS
    replicated = [r for r in ctx.recovery if r.regions >= 2 and r.replication == "sync"]
    if not replicated:
        return
    lat = ctx.latency
    writers_of: dict[str, tuple[str, ...]] = {}
    for usage in ctx.stores:
        writers_of.setdefault(usage.store, tuple(usage.writers))
    # Request flows by the components on their path, once (per store, every flow's path
    # was a set built again: stores x flows x hops).
    request = [
        (flow, fl)
        for flow, fl in zip(ctx.flows, lat.flows, strict=True)
        if flow.trigger == "request"
    ]
    paths: dict[str, set[int]] = {}
    for i, (_flow, fl) in enumerate(request):
        for h in fl.hops:
            paths.setdefault(h.component, set()).add(i)
    for r in replicated:
        # who waits on a write: its owner and synchronous writers (not async publishers)
        sync_writers = writers_of.get(r.store, ())
        own = ", ".join(
            f"{w} own p99 {ms(lat.own(w).ms)}{' assumed' if lat.own(w).assumed else ''}"
            for w in sync_writers
        )
        flows: list[str] = []
        tight = False
        reached: set[int] = set()
        for w in sync_writers:
            reached |= paths.get(w, set())
        for i in sorted(reached):  # flow order
            flow, fl = request[i]
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


@rule(
    "mtls-missing",
    "error",
    "mTLS is required but a service-to-service call is not mutually authenticated: its "
    "protocol does not say mTLS and no accepted service mesh covers both ends "
    "(a mesh reaches kubernetes services only).",
    principle=P_BLAST,
)
def mtls_missing(ctx: LintContext) -> Iterator[Hit]:
    if ctx.design.discovery.requirements.mtls is not True:
        return
    for m in mtls_calls(ctx.design):
        if m.covered_by is not None:
            continue
        c = m.call
        yield Hit(
            c.source,
            f"{c.source} → {c.target} ({c.mode}) is not mutually authenticated: {m.gap}",
            "run both services in the mesh (an accepted service-mesh decision, kubernetes "
            "runtime) or use an mTLS protocol and say so (protocol: grpc-mtls)",
        )


@rule(
    "cost-coverage",
    "warning",
    "Fewer than 80 % of the components (by count or by dollars) declare a monthly cost: "
    "no budget verdict and no saving claim is made until they do.",
    principle=P_COST,
)
def cost_coverage(ctx: LintContext) -> Iterator[Hit]:
    c = ctx.cost
    if not c.lines or c.sufficient:
        return
    asked = c.budget is not None or c.today is not None
    yield Hit(
        None,
        f"only {len(c.declared_lines)} of {len(c.lines)} components declare a monthly cost, "
        f"{usd(c.declared_baseline)} of the {usd(c.baseline)} baseline "
        f"({c.dollar_coverage:.0%}; the rest is assumed from the default price table), "
        f"below the {COVERAGE_FLOOR:.0%} a budget verdict or saving claim needs; missing: "
        f"{listing(list(c.unpriced), limit=20)}",
        "declare monthly_cost_usd for them",
        None if asked else "info",
    )
