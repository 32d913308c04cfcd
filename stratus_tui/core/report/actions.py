"""Report section 6: Recommended Actions, prioritised by impact/effort ratio.

Every action comes from one unaccepted finding: its hint is the action, its message
the reason. Impact and effort are per rule (1 low - 3 high), documented here so the
order is explainable. A single-copy component that is the weakest dependency behind
unreachable SLOs is a root cause: fixing it lifts every one of those SLOs, so its
impact counts one level per SLO it unblocks (shown as "high, unblocks N SLOs").
"""

from __future__ import annotations

from collections import Counter

from ..analysis.analyse import Analysis
from ..analysis.availability import AvailabilityBudget
from ..lint.findings import SEVERITY_RANK, Finding
from .markdown import code, md_inline, table

# rule -> (impact, effort)
PRIORITY: dict[str, tuple[int, int]] = {
    "missing-timeout": (3, 1),
    "retry-without-timeout": (3, 1),
    "missing-circuit-breaker": (3, 1),
    "hardcoded-secret": (3, 1),
    "missing-rollback": (3, 1),
    "missing-health-checks": (3, 1),
    "spof": (3, 2),
    "over-budget": (3, 2),
    "missing-slo": (2, 1),
    "missing-metrics": (2, 1),
    "missing-structured-logs": (2, 1),
    "alert-without-runbook": (2, 1),
    "undetected-failure-mode": (2, 1),
    "unmanaged-secret": (2, 1),
    "latency-budget": (2, 2),
    "timeout-budget": (2, 1),
    "multiple-writers": (2, 2),
    "fan-in-hotspot": (2, 2),
    "over-budget-10x": (2, 2),
    "availability-budget": (3, 3),
    "sync-cycle": (3, 3),
    "shared-datastore": (2, 3),
    "extra-nine": (2, 3),
    # issue 14: claims from data (rules_data.py)
    "rpo-unmet": (3, 2),
    "mtls-missing": (3, 2),
    "consistency-replication": (3, 3),
    "rto-unmet": (2, 2),
    "recovery-undeclared": (2, 1),
    "cost-coverage": (2, 1),
    "cross-region-write-latency": (2, 2),
    "missing-tracing": (1, 1),
    "fan-out-hotspot": (1, 2),
    # issue 14: per-flow budgets (rules_flows.py); a journey below its target is what
    # users feel, as high as an unreachable service SLO
    "flow-availability": (3, 3),
    "flow-latency": (3, 2),
    "latency-headroom": (2, 2),
    "timeout-over-budget": (2, 1),
    "retry-over-budget": (2, 1),
    "chokepoint": (1, 2),
    # accepted risks: a typo'd id hides nothing but misleads the reader
    "unknown-accepted-risk": (2, 1),
    "stale-accepted-risk": (1, 1),
}
DEFAULT_PRIORITY = (1, 1)
MAX_ACTIONS = 15
LEVEL = {1: "low", 2: "medium", 3: "high"}


def _clause(reason: str | None) -> str:
    """A written reason as the end of "accepted because ...": no capital, no final stop."""
    text = (reason or "").strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def root_causes(analysis: Analysis | None) -> Counter[str]:
    """Component -> how many unreachable SLOs name it as the weakest dependency."""
    out: Counter[str] = Counter()
    if analysis is None:
        return out
    budgets = {b.service: b for b in analysis.availability}
    below: dict[str, str | None] = {}  # one step down, worked out once per service

    def step(component: str, b: AvailabilityBudget) -> str | None:
        """The weakest link below `component` when it holds it down, else None."""
        if component in below:
            return below[component]
        parts = [p for p in (b.own, *b.dependencies) if p is not None]
        weakest = min(parts, key=lambda d: (d.percent, d.component)) if parts else None
        if weakest is None or weakest is b.own or weakest.component == component:
            below[component] = None
        else:
            below[component] = weakest.component
        return below[component]

    def root(component: str, seen: set[str]) -> str:
        # follow the weakest link down while it is a service limited by its own parts
        # (issue 14: a caller counts what a callee achieves, so the cause sits below;
        # issue 21: many chains share their lower steps, each worked out once)
        b = budgets.get(component)
        while b is not None and component not in seen:
            seen.add(component)
            nxt = step(component, b)
            if nxt is None:
                break
            component = nxt
            b = budgets.get(component)
        return component

    for b in analysis.availability:
        if b.meets_slo is False and b.dependencies and not b.entry:
            weakest = min(b.dependencies, key=lambda d: (d.percent, d.component))
            out[root(weakest.component, {b.service})] += 1
    for fa in analysis.flow_availability:  # a flow below its target is an SLO too
        if fa.meets is False and len(fa.factors) > 1:
            weakest = min(fa.factors[1:], key=lambda d: (d.percent, d.component))
            out[root(weakest.component, set())] += 1
    return out


def _impact(f: Finding, roots: Counter[str]) -> tuple[int, int]:
    impact, effort = PRIORITY.get(f.rule, DEFAULT_PRIORITY)
    if f.rule == "spof" and f.component is not None:
        impact += roots.get(f.component, 0)
    return impact, effort


def actions(findings: list[Finding], analysis: Analysis | None = None) -> list[str]:
    """The ranked action table, then the accepted risks (shown, not actioned)."""
    roots = root_causes(analysis)

    def _key(f: Finding) -> tuple[float, int, str, str, str]:
        impact, effort = _impact(f, roots)
        return (-impact / effort, SEVERITY_RANK[f.severity], f.rule, f.component or "", f.message)

    todo = sorted((f for f in findings if not f.accepted and f.severity != "info"), key=_key)
    out: list[str] = []
    if not todo:
        out.append("No open error or warning: nothing to fix before this design ships.")
    else:
        out.append(f"{len(todo)} open findings, highest impact for the least effort first:")
        out.append("")
        rows = []
        for i, f in enumerate(todo[:MAX_ACTIONS], 1):
            impact, effort = _impact(f, roots)
            unblocks = impact - PRIORITY.get(f.rule, DEFAULT_PRIORITY)[0]
            level = LEVEL[min(impact, 3)]
            if unblocks:
                level += f", unblocks {unblocks} SLO{'s' if unblocks > 1 else ''}"
            rows.append(
                [
                    str(i),
                    md_inline(f.hint[:1].upper() + f.hint[1:]),
                    md_inline(f.message),
                    code(f.component),
                    f"`{f.rule}`",
                    level,
                    LEVEL[effort],
                ]
            )
        out.append(
            table(
                ["#", "Action", "Because", "Component", "Rule", "Impact", "Effort"], rows, "actions"
            )
        )
        if len(todo) > MAX_ACTIONS:
            out.append("")
            out.append(f"{len(todo) - MAX_ACTIONS} more in `stratus lint`.")
    accepted = [f for f in findings if f.accepted]
    if accepted:
        out.append("")
        out.append("Accepted risks (shown, not actioned):")
        out.append("")
        out.extend(
            f"- `{f.rule}` on {code(f.component)}: {md_inline(f.message)} — accepted "
            f"because {md_inline(_clause(f.accepted_reason))}."
            for f in accepted
        )
    return out
