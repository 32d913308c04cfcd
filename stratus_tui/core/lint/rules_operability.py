"""Lint rules about running the system: SLOs, observability, rollback, secrets, runbooks,
cost, and the accepted-risk list itself."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.context import LintContext
from ..analysis.fmt import listing, usd
from ..model import Service
from .findings import (
    NN_OBSERVABILITY,
    NN_ROLLBACK,
    NN_RUNBOOK,
    NN_SECRETS,
    NN_SLO,
    P_COST,
    P_OPERABILITY,
    P_SCALE,
)
from .registry import RULES, Hit, rule


@rule("missing-slo", "error", "A service without a defined SLO.", non_negotiable=NN_SLO)
def missing_slo(ctx: LintContext) -> Iterator[Hit]:
    for s in ctx.design.services:
        if s.slo is None or all(v is None for v in s.slo.model_dump().values()):
            yield Hit(
                s.id,
                f"{s.id} has no SLO",
                "set slo: {availability, latency_p99_ms, error_rate_pct}",
            )


def _flag(services: tuple[Service, ...], attr: str, what: str, hint: str) -> Iterator[Hit]:
    for s in services:
        value = getattr(s, attr)
        if value is False:
            yield Hit(s.id, f"{s.id} has no {what}", hint)
        elif value is None:
            yield Hit(s.id, f"{s.id} does not declare {what}", hint, "warning")


@rule(
    "missing-health-checks",
    "error",
    "A service without health checks.",
    non_negotiable=NN_OBSERVABILITY,
)
def missing_health_checks(ctx: LintContext) -> Iterator[Hit]:
    yield from _flag(
        ctx.design.services,
        "health_checks",
        "health checks",
        "add liveness (/healthz) and readiness (/readyz) probes; health_checks: true",
    )


@rule("missing-metrics", "error", "A service without RED metrics.", non_negotiable=NN_OBSERVABILITY)
def missing_metrics(ctx: LintContext) -> Iterator[Hit]:
    yield from _flag(
        ctx.design.services,
        "metrics",
        "metrics",
        "expose RED metrics (rate, errors, duration) for Prometheus; metrics: true",
    )


@rule(
    "missing-structured-logs",
    "error",
    "A service without structured logs.",
    non_negotiable=NN_OBSERVABILITY,
)
def missing_structured_logs(ctx: LintContext) -> Iterator[Hit]:
    yield from _flag(
        ctx.design.services,
        "structured_logs",
        "structured logs",
        "log structured JSON with the trace id and no PII; structured_logs: true",
    )


@rule(
    "missing-tracing",
    "info",
    "A service calling other services without tracing.",
    principle=P_OPERABILITY,
)
def missing_tracing(ctx: LintContext) -> Iterator[Hit]:
    services = {s.id for s in ctx.design.services}
    callers = {d.from_ for d in ctx.design.dependencies if d.to in services}
    for s in ctx.design.services:
        if s.id in callers and s.tracing is not True:
            yield Hit(
                s.id,
                f"{s.id} calls other services but does not declare tracing",
                "instrument every cross-service call with OpenTelemetry; tracing: true",
            )


@rule(
    "missing-rollback",
    "error",
    "A service or migration phase without a rollback.",
    non_negotiable=NN_ROLLBACK,
)
def missing_rollback(ctx: LintContext) -> Iterator[Hit]:
    for s in ctx.design.services:
        if not (s.rollback or "").strip():
            yield Hit(
                s.id,
                f"{s.id} has no rollback procedure",
                "write how a bad deploy is undone (e.g. helm rollback, feature flag)",
            )
    for phase in ctx.design.migration:
        if not (phase.rollback or "").strip():
            yield Hit(
                None,
                f"migration phase {phase.id} has no rollback",
                "say how the phase is undone before it starts",
            )


@rule("hardcoded-secret", "error", "A service with hardcoded secrets.", non_negotiable=NN_SECRETS)
def hardcoded_secret(ctx: LintContext) -> Iterator[Hit]:
    for s in ctx.design.services:
        if s.secrets == "hardcoded":
            yield Hit(
                s.id,
                f"{s.id} has hardcoded secrets",
                "inject them from Secrets Manager or Vault (secrets: vault)",
            )


@rule(
    "unmanaged-secret",
    "warning",
    "Secrets passed as plain environment variables.",
    non_negotiable=NN_SECRETS,
)
def unmanaged_secret(ctx: LintContext) -> Iterator[Hit]:
    for s in ctx.design.services:
        if s.secrets == "env":
            yield Hit(
                s.id,
                f"{s.id} takes secrets from environment variables, not from "
                "Secrets Manager or Vault",
                "inject them from Secrets Manager or Vault (secrets: secrets-manager)",
            )


@rule(
    "alert-without-runbook",
    "error",
    "A failure mode with detection but no runbook.",
    non_negotiable=NN_RUNBOOK,
)
def alert_without_runbook(ctx: LintContext) -> Iterator[Hit]:
    for fm in ctx.design.failure_modes:
        detection = (fm.detection or "").strip()
        if detection and not (fm.runbook or "").strip():
            yield Hit(
                fm.component,
                f"failure mode {fm.id} alerts ({detection!r}) but has no runbook",
                "write and rehearse a runbook; set runbook: <path>",
            )


@rule(
    "undetected-failure-mode",
    "warning",
    "A failure mode nobody would be alerted to.",
    principle=P_OPERABILITY,
)
def undetected_failure_mode(ctx: LintContext) -> Iterator[Hit]:
    for fm in ctx.design.failure_modes:
        if not (fm.detection or "").strip():
            yield Hit(
                fm.component,
                f"failure mode {fm.id} has no detection",
                "say which alert fires (prefer an SLO burn-rate alert)",
            )


@rule("over-budget", "error", "The baseline monthly cost exceeds the budget.", principle=P_COST)
def over_budget(ctx: LintContext) -> Iterator[Hit]:
    c = ctx.cost
    if c.over_budget and c.budget is not None:
        top = listing([d.component + (" (assumed)" if d.assumed else "") for d in c.drivers])
        # below 80 % declared only the declared lines alone may carry the verdict
        what = (
            f"baseline cost {usd(c.baseline)}/month"
            + (f" ({usd(c.assumed_baseline)} of it assumed)" if c.assumed_lines else "")
            if c.sufficient
            else f"the declared costs alone ({usd(c.declared_baseline)}/month)"
        )
        yield Hit(
            None,
            f"{what} exceed the budget of {usd(c.budget)} (top drivers: {top})",
            "right-size the largest components or revisit the budget",
        )


@rule(
    "over-budget-10x",
    "warning",
    "The monthly cost at 10x load exceeds the budget.",
    principle=P_SCALE,
)
def over_budget_10x(ctx: LintContext) -> Iterator[Hit]:
    c = ctx.cost
    if c.over_budget_at_10x and not c.over_budget and c.budget is not None:
        top = ", ".join(
            f"{d.component} {usd(d.at_10x)} ({d.rule}{', assumed' if d.assumed else ''})"
            for d in c.drivers
        )
        # the expected growth is the nearer deadline: say so when it already breaks the budget
        soon = (
            f"; at the expected 18-month growth (x{c.growth_18m:g}) it is already "
            f"{usd(c.at_growth)}, over budget"
            if c.at_growth is not None and c.growth_18m is not None and c.growth_verdict == "over"
            else ""
        )
        what = (
            f"the design costs {usd(c.at_10x)}/month"
            + (" (with assumed prices)" if c.assumed_lines else "")
            if c.sufficient
            else f"the declared costs alone come to {usd(c.declared_at_10x)}/month"
        )
        yield Hit(
            None,
            f"at 10x load {what} against a budget of {usd(c.budget)} (top drivers: {top}){soon}",
            "plan for growth: reserved capacity, caching, or pay-per-use for the top drivers",
        )


@rule(
    "unknown-accepted-risk",
    "warning",
    "An accepted risk names a rule that does not exist.",
    principle=P_OPERABILITY,
)
def unknown_accepted_risk(ctx: LintContext) -> Iterator[Hit]:
    for risk in ctx.design.accepted_risks:
        if risk.rule not in RULES:
            yield Hit(
                risk.component,
                f"accepted risk names unknown rule {risk.rule!r}",
                f"use one of: {', '.join(sorted(RULES))}",
            )
