"""Report sections 1 and 2: Architecture Overview and Performance Analysis."""

from __future__ import annotations

from collections import Counter

from ..analysis.analyse import Analysis
from ..analysis.fmt import listing, ms, pct
from ..analysis.latency import ASSUMED_STORE_MS
from ..flows import RequestFlow
from ..model import Design
from .markdown import code, codes, flag, md_block, md_cell, md_inline, path_text, shown, table

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
    entries = list(a.entry_points)
    if entries:
        out.append(
            f"Entry points (no service calls them synchronously; not message consumers): "
            f"{codes(entries)}."
        )
    if a.async_consumers:
        out.append(f"Asynchronous consumers (woken by messages): {codes(a.async_consumers)}.")
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


def _flow_steps(flow: RequestFlow, limit: int = 6) -> str:
    """`a → b, then c ‖ d` for a flow's stages; a derived flow's calls below its route
    are not listed (every call is made)."""
    parts: list[str] = []
    for stage in flow.stages[:limit]:
        text = " ‖ ".join(
            f"{code(h.call.source)} → {code(h.call.target)}"
            + ("" if h.call.sync else " (async)")
            + (f" ↺ {md_inline(h.compensate)}" if h.compensate else "")
            for h in stage
        )
        parts.append(text)
    if len(flow.stages) > limit:
        parts.append(f"… {len(flow.stages) - limit} more")
    return "; ".join(parts) if parts else f"{code(flow.entry)} alone"


def flows_table(a: Analysis) -> list[str]:
    """The per-flow table: steps, p99 and availability against their targets."""
    if not a.flows:
        return ["No request flow: the design has no service."]
    rows = []
    triples = list(zip(a.flows, a.flow_latency, a.flow_availability, strict=True))
    for flow, fl, fa in shown(triples):
        p99 = ms(fl.total_ms)
        if fl.target_ms is not None:
            p99 += f" / {ms(fl.target_ms)} {'**over**' if fl.over else 'ok'}"
        avail = pct(fa.percent)
        if fa.target is not None:
            avail += f" / {pct(fa.target)} {'**below**' if fa.meets is False else 'ok'}"
        rows.append(
            [
                code(flow.id) + (" (derived)" if flow.derived else ""),
                md_cell(flow.name),
                flow.trigger + (", saga" if flow.saga else ""),
                _flow_steps(flow),
                p99,
                avail,
            ]
        )
    out = [
        "Request flows (declared in `flows:`, or derived: one per route of each entry "
        "point, one per asynchronous consumer). p99 = each hop's own time along the flow, "
        "parallel groups at their slowest; availability = the entry's copies x what each "
        "hard step achieves; targets from the flow's SLO, else the entry's SLO, else the "
        "requirement (request flows only):",
        "",
        table(
            ["Flow", "Name", "Trigger", "Steps", "p99 / target", "Availability / target"],
            rows,
            "flows",
            len(triples),
        ),
    ]
    slow = a.longest_chain
    if slow is not None and slow.hops:
        flow = next(f for f in a.flows if f.id == slow.flow)
        hops = " + ".join(
            f"{code(h.component)} {ms(h.ms)}{' (assumed)' if h.assumed else ''}"
            for h in slow.hops[:LONG_CHAIN]
        )
        more = f" + {len(slow.hops) - LONG_CHAIN} more hops" if len(slow.hops) > LONG_CHAIN else ""
        out += [
            "",
            f"Slowest flow: {code(flow.id)}, **{ms(slow.total_ms)} p99** = {hops}{more}.",
        ]
    assumed = sorted(
        {
            (h.component, h.ms, h.basis)
            for fl in a.flow_latency
            for h in fl.hops
            if h.assumed and a.composition.topo.kind(h.component) != "datastore"
        }
    )
    if assumed:
        out += [
            "",
            "Own times assumed (declare `own_p99_ms`, or an external's `latency_p99_ms`): "
            + "; ".join(f"{code(c)} {ms(v)} ({md_inline(b)})" for c, v, b in assumed[:20])
            + f"; each datastore access {ms(ASSUMED_STORE_MS)}.",
        ]
    consumers = [f.entry for f in a.flows if f.trigger == "event"]
    if consumers:
        out += [
            "",
            f"Asynchronous consumers ({codes(sorted(set(consumers)), 6)}) are held to their "
            "own SLO, not to the request requirement.",
        ]
    return out


def performance(design: Design, a: Analysis) -> list[str]:
    """Latency profile, bottlenecks, scale limits."""
    out: list[str] = flows_table(a)
    if a.latency_requirement_ms is None:
        out += [
            "",
            "The design states no end-to-end p99 requirement "
            "(discovery.requirements.latency_p99_ms).",
        ]
    rows = []
    budgets = [b for b in a.latency if b.own_slo_ms is not None]
    for b in shown(budgets):
        if b.entry:
            status = "per flow (see above)"
        elif b.over_own_slo:
            status = f"**over by {ms(b.total_ms - (b.own_slo_ms or 0.0))}**"
        else:
            status = f"fits ({ms((b.own_slo_ms or 0.0) - b.total_ms)} to spare)"
        rows.append(
            [
                code(b.service),
                ms(b.own_slo_ms or 0.0),
                ms(b.own_ms) + (" (assumed)" if b.own_assumed else ""),
                ms(b.total_ms),
                status,
            ]
        )
    if rows:
        out += [
            "",
            "Service p99 budgets (an SLO p99 is what callers may wait for, calls included; "
            "it is never counted as the service's own time):",
            "",
            table(
                ["Service", "p99 SLO (budget)", "Own time", "Own + calls", "Budget"],
                rows,
                "services",
                len(budgets),
            ),
        ]
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
