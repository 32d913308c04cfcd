"""Report section 6: Recommended Actions, prioritised by impact/effort ratio.

Every action comes from one unaccepted finding: its hint is the action, its message
the reason. Impact and effort are per rule (1 low - 3 high), documented here so the
order is explainable.
"""

from __future__ import annotations

from .findings import SEVERITY_RANK, Finding
from .report_md import code, md_inline, table

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
    "multiple-writers": (2, 2),
    "fan-in-hotspot": (2, 2),
    "over-budget-10x": (2, 2),
    "availability-budget": (3, 3),
    "sync-cycle": (3, 3),
    "shared-datastore": (2, 3),
    "extra-nine": (2, 3),
    "missing-tracing": (1, 1),
    "fan-out-hotspot": (1, 2),
}
DEFAULT_PRIORITY = (1, 1)
MAX_ACTIONS = 15
LEVEL = {1: "low", 2: "medium", 3: "high"}


def _key(f: Finding) -> tuple[float, int, str, str, str]:
    impact, effort = PRIORITY.get(f.rule, DEFAULT_PRIORITY)
    return (-impact / effort, SEVERITY_RANK[f.severity], f.rule, f.component or "", f.message)


def actions(findings: list[Finding]) -> list[str]:
    """The ranked action table, then the accepted risks (shown, not actioned)."""
    todo = sorted((f for f in findings if not f.accepted and f.severity != "info"), key=_key)
    out: list[str] = []
    if not todo:
        out.append("No open error or warning: nothing to fix before this design ships.")
    else:
        out.append(f"{len(todo)} open findings, highest impact for the least effort first:")
        out.append("")
        rows = []
        for i, f in enumerate(todo[:MAX_ACTIONS], 1):
            impact, effort = PRIORITY.get(f.rule, DEFAULT_PRIORITY)
            rows.append(
                [
                    str(i),
                    md_inline(f.hint[:1].upper() + f.hint[1:]),
                    md_inline(f.message),
                    code(f.component),
                    f"`{f.rule}`",
                    LEVEL[impact],
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
            f"because {md_inline(f.accepted_reason)}."
            for f in accepted
        )
    return out
