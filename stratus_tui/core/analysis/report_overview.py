"""Report sections 1 and 2: Architecture Overview and Performance Analysis."""

from __future__ import annotations

from collections import Counter

from ..model import Design
from .analyse import Analysis
from .fmt import listing, ms
from .report_md import code, codes, flag, md_block, md_cell, md_inline, path_text, shown, table

LONG_CHAIN = 12
"""Chains longer than this are shown with their middle elided."""


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def overview(design: Design, a: Analysis) -> list[str]:
    """Topology, key components, data flows."""
    out: list[str] = []
    sync = sum(1 for d in design.dependencies if d.mode == "sync")
    implicit = sum(1 for _, _, d in a.graph.edges(data=True) if d["origin"] == "datastore")
    contexts = sorted({s.context for s in design.services if s.context})
    ctx_text = (
        f" in {_plural(len(contexts), 'bounded context')} ({md_inline(listing(contexts, 8))})"
    )
    out.append(
        f"{_plural(len(design.services), 'service')}"
        f"{ctx_text if contexts else ''}, {_plural(len(design.datastores), 'datastore')} and "
        f"{_plural(len(design.externals), 'external system')}, linked by "
        f"{_plural(len(design.dependencies), 'declared dependency', 'declared dependencies')} "
        f"({sync} synchronous, {len(design.dependencies) - sync} asynchronous) and "
        f"{_plural(implicit, 'implicit synchronous link')} from a service to its own datastore."
    )
    cur = design.discovery.current
    if cur.topology or cur.services is not None:
        today = md_inline(cur.topology) if cur.topology else "a system"
        units = (
            f" of {_plural(cur.services, 'deployable unit')}" if cur.services is not None else ""
        )
        out.append(
            f"Today: {today}{units}; this design proposes "
            f"{_plural(len(design.services), 'service')}."
        )
    entries = [c.start for c in a.chains]
    if entries:
        out.append(f"Entry points (no service calls them synchronously): {codes(entries)}.")
    context = md_block(design.context)
    if context:
        out.append("")
        out.extend(f"> {line}" if line else ">" for line in context.split("\n"))
    out.append("")
    rows = []
    services = sorted(design.services, key=lambda c: c.id)
    for s in shown(services):
        calls = sorted(
            v
            for v in a.graph.successors(s.id)
            if a.graph.edges[s.id, v]["mode"] == "sync" and v != s.datastore
        )
        events = sorted(
            v for v in a.graph.successors(s.id) if a.graph.edges[s.id, v]["mode"] == "async"
        )
        rows.append(
            [
                code(s.id),
                md_cell(s.name),
                md_cell(s.context),
                md_cell(s.runtime),
                md_cell(s.replicas),
                code(s.datastore),
                codes(calls, 5),
                codes(events, 5),
            ]
        )
    if rows:
        out.append(
            table(
                [
                    "Service",
                    "Name",
                    "Context",
                    "Runtime",
                    "Replicas",
                    "Datastore",
                    "Calls (sync)",
                    "Messages (async)",
                ],
                rows,
                "services",
                len(services),
            )
        )
        out.append("")
    users = {u.store: u.users for u in a.stores}
    store_rows = [
        [
            code(d.id),
            md_cell(d.kind),
            md_cell(d.replicas),
            flag(d.multi_az),
            codes(users.get(d.id, ()), 5),
        ]
        for d in shown(sorted(design.datastores, key=lambda c: c.id))
    ]
    if store_rows:
        out.append(
            table(
                ["Datastore", "Kind", "Replicas", "Multi-AZ", "Used by (sync)"],
                store_rows,
                "datastores",
                len(design.datastores),
            )
        )
        out.append("")
    flows = [
        [
            code(d.from_),
            code(d.to),
            d.mode,
            md_cell(d.protocol),
            md_cell(ms(d.timeout_ms) if d.timeout_ms is not None else None),
            md_cell(d.retries),
            flag(d.circuit_breaker),
            md_cell(d.label),
        ]
        for d in shown(design.dependencies)
    ]
    if flows:
        out.append("Data flows:")
        out.append("")
        out.append(
            table(
                ["From", "To", "Mode", "Protocol", "Timeout", "Retries", "Breaker", "What"],
                flows,
                "dependencies",
                len(design.dependencies),
            )
        )
    return out


def performance(design: Design, a: Analysis) -> list[str]:
    """Latency profile, bottlenecks, scale limits."""
    out: list[str] = []
    req = a.latency_requirement_ms
    chain = a.longest_chain
    if chain is None or len(chain.path) < 2:
        out.append(
            "No service calls another component synchronously, so no request "
            "chain adds latency across components."
        )
    else:
        if len(chain.path) <= LONG_CHAIN:
            path = " → ".join(code(n) for n in chain.path)
            hops = ", ".join(
                f"{code(n)} {ms(v) if v is not None else '?'}"
                for n, v in zip(chain.path, chain.p99_ms, strict=True)
            )
        else:
            path = (
                " → ".join(code(n) for n in chain.path[: LONG_CHAIN - 2])
                + f" → … {len(chain.path) - LONG_CHAIN + 1} more … → {code(chain.path[-1])}"
            )
            hops = f"{len(chain.path)} hops"
        verdict = ""
        if req is not None:
            gap = chain.total_ms - req
            verdict = (
                f", {ms(gap)} over the {ms(req)} p99 requirement"
                if gap > 0
                else f", within the {ms(req)} p99 requirement ({ms(-gap)} to spare)"
            )
        out.append(
            f"Slowest synchronous path: {path} (declared p99s: {hops}). "
            f"End to end: **{ms(chain.total_ms)} p99**{verdict}."
        )
        out.append(
            "Each declared p99 is read as what callers wait for, calls below included, "
            "so nested figures are not summed; an SLO below the call it waits for is "
            "read as the service's own time and the call is added."
        )
        if chain.slo_is_overhead and chain.own_slo_ms is not None:
            out.append(
                f"{code(chain.start)}'s {ms(chain.own_slo_ms)} SLO is below the "
                f"{ms(chain.downstream_ms)} it waits for, so it counts as its own time: "
                f"{ms(chain.own_slo_ms)} + {ms(chain.downstream_ms)}."
            )
        if chain.unknown:
            out.append(f"Hops with no declared p99 (they add nothing): {codes(chain.unknown)}.")
    if req is None:
        out.append(
            "The design states no end-to-end p99 requirement "
            "(discovery.requirements.latency_p99_ms)."
        )
    rows = []
    budgets = [b for b in a.latency if b.own_slo_ms is not None or b.downstream_ms > 0]
    for b in shown(budgets):
        if b.own_slo_ms is None:
            status = "no p99 SLO"
        elif b.over_own_slo:
            status = f"SLO below its calls by {ms(b.downstream_ms - b.own_slo_ms)}"
        else:
            status = "fits"
        rows.append(
            [
                code(b.service),
                md_cell(ms(b.own_slo_ms) if b.own_slo_ms else None),
                ms(b.downstream_ms) if b.downstream_ms > 0 else "—",
                ms(b.total_ms),
                status,
            ]
        )
    for b in [b for b in a.latency if b.sequential_risk][:10]:
        out.append(
            f"If {code(b.service)} makes its {b.calls} synchronous calls one after another "
            f"they add up to {ms(b.sequential_ms)}, over its {ms(b.own_slo_ms or 0.0)} p99 SLO: "
            "they must run in parallel for the SLO to hold."
        )
    if rows:
        out.append("")
        out.append(
            table(
                ["Service", "p99 SLO", "Slowest call it waits for", "End-to-end p99", "Budget"],
                rows,
                "services",
                len(budgets),
            )
        )
    out.append("")
    hot = [h for h in a.hotspots]
    if hot:
        for h in hot[:10]:
            what = "synchronous callers" if h.direction == "fan-in" else "synchronous callees"
            out.append(
                f"- Hot spot: {code(h.component)} has {h.count} {what} ({codes(h.neighbours, 5)})."
            )
    else:
        out.append(
            "- No fan-in or fan-out hot spot: no component has 5 or more synchronous "
            "callers or callees."
        )
    for c in a.cycles[:10]:
        out.append(
            f"- Synchronous cycle {path_text(c.path, close=True)}: "
            "latency and load loop back through every member."
        )
    out.extend(_scale_limits(design, a))
    return out


def _scale_limits(design: Design, a: Analysis) -> list[str]:
    out: list[str] = []
    w = design.discovery.workload
    if w.peak_rps is not None:
        growth = (
            f"; at the 18-month growth x{w.growth_18m:g} that is "
            f"{w.peak_rps * w.growth_18m:,.0f} rps"
            if w.growth_18m is not None
            else ""
        )
        out.append(
            f"- Peak load today: {w.peak_rps:,.0f} rps{growth}; 10x is {w.peak_rps * 10:,.0f} rps."
        )
    on_path = {
        n
        for n in a.graph.nodes
        if any(
            a.graph.edges[e]["mode"] == "sync"
            for e in (*a.graph.in_edges(n), *a.graph.out_edges(n))
        )
    }
    # capacity that someone must resize by hand: a VM, or a bill declared flat
    fixed = [
        s
        for s in design.services
        if s.id in on_path and ((s.runtime or "").strip().lower() == "vm" or s.scaling == "fixed")
    ]
    for s in sorted(fixed, key=lambda c: c.id):
        replicas = (
            _plural(s.replicas, "replica") if s.replicas is not None else "replicas undeclared"
        )
        out.append(
            f"- {code(s.id)} ({md_inline(s.runtime or 'runtime undeclared')}, "
            f"{replicas}) is "
            "scaled by hand: a scale limit on the synchronous path."
        )
    single = Counter(s.kind for s in a.spofs if s.cause == "replicas")
    if single:
        out.append(
            f"- {sum(single.values())} component(s) on a synchronous path run as a "
            "single copy and cannot absorb load spikes (see Reliability Risks)."
        )
    return out
