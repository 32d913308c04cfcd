"""SLO error budgets per 30 days and the multi-window, multi-burn-rate alert thresholds.

Google SRE Workbook, "Alerting on SLOs" (FACTS.md): budget B = 1 - SLO; the burn rate
that consumes a fraction p of a 30-day (720 h) budget within a window of w hours is
p * 720 / w. Alert when both the long and the short window (1/12 of the long) exceed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Design

PERIOD_HOURS = 720.0
"""30 days."""


@dataclass(frozen=True, slots=True)
class BurnTier:
    """One alert tier: consume `budget_fraction` of the budget within `long_window_h`."""

    severity: Literal["page", "ticket"]
    budget_fraction: float
    long_window_h: float

    @property
    def short_window_h(self) -> float:
        """1/12 of the long window."""
        return self.long_window_h / 12.0

    @property
    def burn_rate(self) -> float:
        """p x 720 h / w."""
        return self.budget_fraction * PERIOD_HOURS / self.long_window_h


TIERS: tuple[BurnTier, ...] = (
    BurnTier("page", 0.02, 1.0),  # 14.4
    BurnTier("page", 0.05, 6.0),  # 6
    BurnTier("ticket", 0.10, 72.0),  # 1
)


@dataclass(frozen=True, slots=True)
class BurnAlert:
    """A tier applied to one SLO: the error ratio that fires it."""

    tier: BurnTier
    error_ratio: float
    """Observed error ratio (0-1) at which both windows fire: burn rate x budget."""


@dataclass(frozen=True, slots=True)
class ErrorBudget:
    """One service's error budget over 30 days and its burn-rate alerts."""

    service: str
    slo_percent: float
    source: Literal["availability", "error_rate_pct"]
    budget_fraction: float
    minutes_per_30d: float
    alerts: tuple[BurnAlert, ...]


def error_budget(
    service: str,
    slo_percent: float,
    source: Literal["availability", "error_rate_pct"] = "availability",
) -> ErrorBudget:
    """The 30-day budget and burn-rate alerts for an SLO of `slo_percent`."""
    budget = round(max(0.0, (100.0 - slo_percent) / 100.0), 12)  # drop float noise
    alerts = tuple(BurnAlert(t, min(1.0, t.burn_rate * budget)) for t in TIERS)
    return ErrorBudget(service, slo_percent, source, budget, budget * PERIOD_HOURS * 60.0, alerts)


def error_budgets(design: Design) -> list[ErrorBudget]:
    """Budgets of every service with an availability (or error-rate) SLO, in id order."""
    out: list[ErrorBudget] = []
    for s in sorted(design.services, key=lambda c: c.id):
        if s.slo is None:
            continue
        if s.slo.availability is not None:
            out.append(error_budget(s.id, s.slo.availability))
        elif s.slo.error_rate_pct is not None:
            out.append(error_budget(s.id, 100.0 - s.slo.error_rate_pct, "error_rate_pct"))
    return out
