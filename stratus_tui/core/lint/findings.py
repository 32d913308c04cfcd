"""Findings and the rule registry: what a lint rule is and what it reports.

Each rule names the seed non-negotiable it enforces (the sentence, verbatim from the
STRATUS identity) or, when none applies, the behavioural principle behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FindingSeverity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

# The seed's non-negotiables, verbatim.
NN_SPOF = "No single point of failure in production"
NN_STATE_AS_CODE = "No manual infrastructure changes — all state is code"
NN_SECRETS = "No hardcoded secrets — all injected via Secrets Manager or Vault"
NN_OBSERVABILITY = "No service without health checks, metrics, and structured logs"
NN_ROLLBACK = "No deployment without a rollback procedure"
NN_RUNBOOK = "No alert without a runbook"
NN_SLO = "No new service without a defined SLO"
NN_TERRAFORM = 'No "temporary" infrastructure that isn\'t tracked in Terraform'

NON_NEGOTIABLES: tuple[str, ...] = (
    NN_SPOF,
    NN_STATE_AS_CODE,
    NN_SECRETS,
    NN_OBSERVABILITY,
    NN_ROLLBACK,
    NN_RUNBOOK,
    NN_SLO,
    NN_TERRAFORM,
)

# The seed's behavioural principles, for rules no non-negotiable covers.
P_FAILURE = "Design for Failure"
P_OPERABILITY = "Operability is a Feature"
P_SCALE = "Scale to the Actual Problem"
P_BLAST = "Blast Radius Minimization"
P_COST = "Cost is an Architecture Decision"


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint result about one component (or the whole design when `component` is None)."""

    rule: str
    severity: FindingSeverity
    component: str | None
    message: str
    hint: str
    non_negotiable: str | None = None
    principle: str | None = None
    accepted: bool = False
    accepted_reason: str | None = None

    def sort_key(self) -> tuple[int, str, str, str]:
        """Severity first, then rule id, component id and message."""
        return (SEVERITY_RANK[self.severity], self.rule, self.component or "", self.message)

    @property
    def fails(self) -> bool:
        """True for an error the team has not accepted: it makes `stratus lint` exit 1."""
        return self.severity == "error" and not self.accepted

    def to_json(self) -> dict[str, object]:
        """The JSON shape of `stratus lint --format json` (spec/cli.md keys first)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "component": self.component,
            "message": self.message,
            "hint": self.hint,
            "non_negotiable": self.non_negotiable,
            "principle": self.principle,
            "accepted": self.accepted,
            "accepted_reason": self.accepted_reason,
        }


@dataclass(frozen=True, slots=True)
class LintRule:
    """A lint rule: its id, the highest severity it reports and what it enforces."""

    id: str
    severity: FindingSeverity
    summary: str
    non_negotiable: str | None = None
    principle: str | None = None
