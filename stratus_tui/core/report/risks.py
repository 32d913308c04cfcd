"""Report sections 4 and 5: Reliability Risks and IaC Compliance."""

from __future__ import annotations

from collections import Counter

from ..analysis.analyse import Analysis
from ..analysis.fmt import minutes, pct
from ..model import Design
from .markdown import code, codes, flag, md_cell, md_inline, path_text, shown, table

BLAST_ROWS = 8
LIST_MAX = 20


def reliability(design: Design, a: Analysis) -> list[str]:
    """SPOFs, availability budgets, unprotected calls, blast radius, error budgets."""
    out: list[str] = []
    single = [s for s in a.spofs if s.single_copy]
    concentrated = [s for s in a.spofs if not s.single_copy]
    if single:
        out.append(f"Single points of failure ({len(single)}):")
        out.append("")
        # errors (a single copy) before warnings (undeclared, chokepoints)
        ranked = sorted(single, key=lambda s: (s.severity != "error", s.component))
        out.extend(
            f"- {code(s.component)} ({s.kind}) {md_inline(s.reason)}." for s in ranked[:LIST_MAX]
        )
        if len(ranked) > LIST_MAX:
            out.append(f"- … and {len(ranked) - LIST_MAX} more (see `stratus lint`).")
    else:
        out.append(
            "No single point of failure: every component on a synchronous path runs "
            "more than one copy (or on a managed/serverless runtime), and no component "
            "is a single-copy link between groups of services."
        )
    if concentrated:
        out.append("")
        out.append(
            "Chokepoints that run redundantly (every synchronous path between groups of "
            "services crosses them, so their zones and breakers matter): "
            + ", ".join(code(s.component) for s in concentrated[:LIST_MAX])
            + "."
        )
    out.append("")
    out.extend(_availability(a))
    gaps = a.call_gaps
    if gaps:
        out.append("")
        out.append("Unprotected calls:")
        out.append("")
        what = {
            "timeout": "no timeout",
            "circuit-breaker": "no circuit breaker",
            "retry-without-timeout": "retries without a timeout",
        }
        out.extend(
            f"- {code(g.caller)} → {code(g.target)} ({md_inline(g.boundary)}): {what[g.gap]}."
            for g in gaps[:LIST_MAX]
        )
        if len(gaps) > LIST_MAX:
            out.append(f"- … and {len(gaps) - LIST_MAX} more.")
    else:
        out.append("")
        out.append(
            "Every synchronous call to an external or across contexts has a timeout "
            "and a circuit breaker, and no call retries without a timeout."
        )
    coupling = [
        f"- Shared datastore {code(s.store)}: used by {codes(s.users)} from "
        f"{len(s.contexts)} contexts ({md_inline(', '.join(s.contexts))})."
        for s in a.shared_stores
    ]
    coupling += [
        f"- {code(s.store)} has {len(s.writers)} writers: {codes(s.writers)}."
        for s in a.multi_writer_stores
    ]
    coupling += [f"- Synchronous cycle {path_text(c.path, close=True)}." for c in a.cycles]
    if coupling:
        out.append("")
        out.extend(coupling[:LIST_MAX])
        if len(coupling) > LIST_MAX:
            out.append(f"- … and {len(coupling) - LIST_MAX} more.")
    out.append("")
    out.extend(_blast(a))
    out.append("")
    out.extend(_budgets(a))
    fms = design.failure_modes
    if fms:
        no_runbook = [f.id for f in fms if not (f.runbook or "").strip()]
        out.append("")
        out.append(
            f"{len(fms)} failure mode(s) declared; "
            + (f"without a runbook: {codes(no_runbook)}." if no_runbook else "each has a runbook.")
        )
    return out


def _availability(a: Analysis) -> list[str]:
    out = [
        "Availability per service (its own copies x what each hard synchronous dependency "
        "achieves: the lower of that dependency's SLO and its own composition; a call "
        "behind a circuit breaker with a fallback degrades instead of failing; an entry "
        "point is its weakest flow; the extra-nine target is one nine above the SLO):",
        "",
    ]
    rows = []
    budgets = list(a.availability)
    for b in shown(budgets):
        if b.entry:
            status = "per flow (see below)" if b.meets_slo is False else "reachable"
        else:
            status = {None: "no SLO", True: "reachable", False: "**unreachable**"}[b.meets_slo]
        weakest = min(b.dependencies, key=lambda d: (d.percent, d.component), default=None)
        rows.append(
            [
                code(b.service),
                pct(b.slo) if b.slo is not None else "—",
                (f"{pct(b.own.percent)} ({md_inline(b.own.basis)})" if b.own else "—"),
                pct(b.achievable),
                status,
                f"{code(weakest.component)} {pct(weakest.percent)}" if weakest else "—",
                codes(b.degrades, 4),
                codes(b.below_extra_nine, 4),
            ]
        )
    out.append(
        table(
            [
                "Service",
                "SLO",
                "Own copies",
                "Achievable",
                "Status",
                "Weakest dependency",
                "Degrades on",
                "Below extra nine",
            ],
            rows,
            "services",
            len(budgets),
        )
    )
    assumed = sorted(
        {
            (d.component, d.percent, d.basis)
            for b in a.availability
            for d in b.dependencies
            if d.source == "assumed"
        }
    )
    if assumed:
        out.append("")
        out.append(
            "Assumed availabilities (these components declare none): "
            + "; ".join(f"{code(c)} {pct(p)} ({md_inline(basis)})" for c, p, basis in assumed[:20])
            + ". A service's own copies are always assumed: one VM or container 99.5 %, "
            "n copies across zones 1 - 0.005^n capped at 99.99 % (shared region, deploy and "
            "config), a serverless or managed runtime 99.95 %, replicas undeclared 99.9 %."
        )
    out.append("")
    out.extend(_flow_blast(a))
    return out


def _flow_blast(a: Analysis) -> list[str]:
    """Per flow: its availability, and what fails or degrades it."""
    if not a.flows:
        return []
    rows = []
    pairs = list(zip(a.flows, a.flow_availability, strict=True))
    for flow, fa in shown(pairs):
        blast = a.flow_blast(flow)
        target = f"{pct(fa.target)} ({fa.target_source})" if fa.target is not None else "no target"
        status = {None: "—", True: "meets", False: "**below**"}[fa.meets]
        rows.append(
            [
                code(flow.id) + (" (derived)" if flow.derived else ""),
                pct(fa.percent),
                target,
                status,
                codes(sorted(blast.fails - {flow.entry}), 6),
                codes(sorted(blast.degrades), 6),
            ]
        )
    return [
        "Availability and blast radius per request flow (fails = a component the flow "
        "needs on every request; degrades = behind a fallback or a message):",
        "",
        table(
            ["Flow", "Achieves", "Target", "Status", "Fails if down", "Degrades if down"],
            rows,
            "flows",
            len(pairs),
        ),
    ]


def _blast(a: Analysis) -> list[str]:
    ranked = [b for b in a.blast_radius if b.fails_count or b.degrades_count][:BLAST_ROWS]
    if not ranked:
        return ["Blast radius: no component has a caller, so no failure spreads."]
    failing = a.flows_failed_by([b.component for b in ranked])
    rows = [
        [
            code(b.component),
            b.kind,
            codes(failing.get(b.component, ()), 5),
            codes(sorted(b.fails), 5),
            codes(sorted(b.degrades), 5),
        ]
        for b in ranked
    ]
    return [
        "Blast radius by component, largest first (flows = the request flows it takes "
        "down; callers = services that reach it synchronously, not through a fallback, on "
        "some request; degrades = reach it only through a fallback or a message):",
        "",
        table(["Component", "Kind", "Flows it fails", "Callers", "Degrades"], rows),
    ]


def _budgets(a: Analysis) -> list[str]:
    if not a.error_budgets:
        return ["Error budgets: no service declares an availability SLO."]
    rows = []
    for e in shown(a.error_budgets):
        cells = [code(e.service), pct(e.slo_percent), minutes(e.minutes_per_30d)]
        cells += [
            f"{al.tier.burn_rate:g}x → {pct(al.error_ratio * 100, 4)} errors" for al in e.alerts
        ]
        rows.append(cells)
    return [
        "Error budgets per 30 days and multi-window burn-rate alerts (fire when both the "
        "long and the short window exceed the rate):",
        "",
        table(
            [
                "Service",
                "SLO",
                "Budget/30 d",
                "Page 1 h & 5 min",
                "Page 6 h & 30 min",
                "Ticket 3 d & 6 h",
            ],
            rows,
            "services",
            len(a.error_budgets),
        ),
    ]


def iac(design: Design, a: Analysis) -> list[str]:
    """What the design declares about runtime, secrets, rollback and health checks."""
    services = sorted(design.services, key=lambda c: c.id)
    n = len(services)
    if n == 0:
        return [
            "The design has no services, so it declares no runtime, secrets handling, "
            "rollback or health checks."
        ]
    out: list[str] = []
    runtimes = Counter(s.runtime for s in services if s.runtime)
    secrets: Counter[str] = Counter(str(s.secrets) for s in services if s.secrets)
    rollback = sum(1 for s in services if (s.rollback or "").strip())
    health = sum(1 for s in services if s.health_checks)
    out.append(
        f"- Runtime declared for {sum(runtimes.values())} of {n} services"
        + (
            f" ({md_inline(', '.join(f'{k} {v}' for k, v in sorted(runtimes.items())))})"
            if runtimes
            else ""
        )
        + "."
    )
    out.append(
        f"- Secrets handling declared for {sum(secrets.values())} of {n}"
        + (f" ({', '.join(f'{k} {v}' for k, v in sorted(secrets.items()))})" if secrets else "")
        + "; "
        + _managed_secrets(secrets)
        + "."
    )
    out.append(
        f"- Rollback procedure written for {rollback} of {n}; health checks declared "
        f"for {health} of {n}."
    )
    phases = design.migration
    if phases:
        with_rb = sum(1 for p in phases if (p.rollback or "").strip())
        out.append(f"- Migration: {with_rb} of {len(phases)} phases say how they are rolled back.")
    missing = [
        (
            s.id,
            [
                name
                for name, v in (
                    ("runtime", s.runtime),
                    ("secrets", s.secrets),
                    ("rollback", s.rollback),
                    ("health_checks", s.health_checks),
                )
                if v is None
            ],
        )
        for s in services
    ]
    missing = [(sid, m) for sid, m in missing if m]
    if missing:
        out.append(
            "- Left undeclared: "
            + "; ".join(f"{code(sid)} {', '.join(m)}" for sid, m in missing[:15])
            + "."
        )
    out.append(
        "- Terraform state and drift are not recorded in the design file; this review "
        "cannot tell which resources are tracked in Terraform."
    )
    out.append("")
    rows = [
        [
            code(s.id),
            md_cell(s.runtime, "undeclared"),
            md_cell(s.secrets, "undeclared"),
            md_cell(s.rollback, "undeclared"),
            flag(s.health_checks),
            flag(s.metrics),
            flag(s.structured_logs),
            flag(s.tracing),
        ]
        for s in shown(services)
    ]
    out.append(
        table(
            [
                "Service",
                "Runtime",
                "Secrets",
                "Rollback",
                "Health checks",
                "Metrics",
                "Structured logs",
                "Tracing",
            ],
            rows,
            "services",
            len(services),
        )
    )
    return out


def _managed_secrets(secrets: Counter[str]) -> str:
    bad = secrets.get("hardcoded", 0)
    env = secrets.get("env", 0)
    managed = secrets.get("vault", 0) + secrets.get("secrets-manager", 0)
    parts = [f"{managed} injected from Vault or Secrets Manager"]
    if env:
        parts.append(f"{env} through environment variables")
    if bad:
        parts.append(f"{bad} hardcoded")
    return ", ".join(parts)
