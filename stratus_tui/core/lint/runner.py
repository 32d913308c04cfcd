"""`lint(design)`: run every rule, mark accepted risks, sort deterministically.

A team accepts a risk in the design file (`accepted_risks: [{rule, component, reason}]`;
no component means every component). An accepted finding stays in the list, marked
`accepted` with the reason, and no longer fails `stratus lint`. An accepted risk that
matches nothing is reported (`stale-accepted-risk`, info) so the list does not rot.
"""

from __future__ import annotations

from dataclasses import replace

from ..analysis.context import LintContext
from ..gc_pause import gc_paused
from ..model import AcceptedRisk, Design
from . import (  # noqa: F401  (registers the rules)
    rules_data,
    rules_flows,
    rules_operability,
    rules_reliability,
)
from .findings import P_OPERABILITY, Finding, LintRule
from .registry import CHECKS, RULES

STALE_RULE = "stale-accepted-risk"
RULES[STALE_RULE] = LintRule(
    STALE_RULE, "info", "An accepted risk that no finding matches.", principle=P_OPERABILITY
)


def _matches(risk: AcceptedRisk, finding: Finding) -> bool:
    return risk.rule == finding.rule and risk.component in (None, finding.component)


def run_rules(design: Design, ctx: LintContext | None = None) -> list[Finding]:
    """Every finding of every rule, before accepted risks are applied (unsorted)."""
    ctx = ctx or LintContext(design)
    out: list[Finding] = []
    for rule_id, check in CHECKS.items():
        meta = RULES[rule_id]
        for hit in check(ctx):
            out.append(
                Finding(
                    rule=rule_id,
                    severity=hit.severity or meta.severity,
                    component=hit.component,
                    message=hit.message,
                    hint=hit.hint,
                    non_negotiable=meta.non_negotiable,
                    principle=meta.principle,
                )
            )
    return out


@gc_paused()  # batch work: see gc_pause
def lint(design: Design, ctx: LintContext | None = None) -> list[Finding]:
    """All findings for `design`, accepted risks marked, sorted by severity, rule, component.

    `ctx` lets a caller that also needs `analyse` share one set of computed analyses.
    """
    findings = run_rules(design, ctx)
    used: set[int] = set()
    marked: list[Finding] = []
    for f in findings:
        for i, risk in enumerate(design.accepted_risks):
            if _matches(risk, f):
                used.add(i)
                f = replace(f, accepted=True, accepted_reason=risk.reason)
                break
        marked.append(f)
    stale = RULES[STALE_RULE]
    for i, risk in enumerate(design.accepted_risks):
        if i not in used and risk.rule in CHECKS:
            where = f" for {risk.component}" if risk.component else ""
            marked.append(
                Finding(
                    rule=STALE_RULE,
                    severity=stale.severity,
                    component=risk.component,
                    message=f"accepted risk {risk.rule!r}{where} matches no finding",
                    hint="remove it from accepted_risks",
                    principle=stale.principle,
                )
            )
    return sorted(marked, key=Finding.sort_key)


def failing(findings: list[Finding]) -> list[Finding]:
    """The findings that make `stratus lint` exit 1: unaccepted errors."""
    return [f for f in findings if f.fails]
