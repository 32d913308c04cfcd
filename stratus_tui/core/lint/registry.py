"""The rule registry; the shared, lazily computed context every rule reads is
`core.analysis.context.LintContext`.

A rule is a function decorated with `@rule(...)`: it receives a `LintContext` and
yields `Hit`s; `lint()` turns them into `Finding`s carrying the rule's non-negotiable
or principle. Analyses are computed once per lint run, on first use, so a design that
no rule needs a graph for never builds one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..analysis.context import LintContext
from .findings import FindingSeverity, LintRule


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule found: the rule's default severity unless `severity` is given."""

    component: str | None
    message: str
    hint: str
    severity: FindingSeverity | None = None


Check = Callable[[LintContext], Iterable[Hit]]

RULES: dict[str, LintRule] = {}
"""Every lint rule by id, in registration order."""
CHECKS: dict[str, Check] = {}


def rule(
    rule_id: str,
    severity: FindingSeverity,
    summary: str,
    *,
    non_negotiable: str | None = None,
    principle: str | None = None,
) -> Callable[[Check], Check]:
    """Register a check under `rule_id`; usable as a decorator."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"lint rule {rule_id!r} registered twice")
        RULES[rule_id] = LintRule(rule_id, severity, summary, non_negotiable, principle)
        CHECKS[rule_id] = check
        return check

    return register
