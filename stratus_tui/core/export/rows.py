"""Plain rows for the design document's sections: raw text, formatted numbers, no Markdown.

The template escapes every value; these functions only choose what goes in each column
and format numbers the same way every time (byte-stable output).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..identity_cache import IdentityCache
from ..model import Design


def fmt_num(value: float | None, suffix: str = "") -> str | None:
    """12.0 -> '12', 99.95 -> '99.95', 1234.5 -> '1,234.5'; None stays None."""
    if value is None:
        return None
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{text}{suffix}"


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _component_labels(design: Design) -> Mapping[str, str]:
    labels: dict[str, str] = {}
    for group in (design.services, design.datastores, design.externals):
        for c in group:
            labels.setdefault(c.id, c.label)
    return MappingProxyType(labels)


# Once per design: every sequence diagram of a design asks (560 flows at 1,000 services).
_labels = IdentityCache(_component_labels)


def component_labels(design: Design) -> Mapping[str, str]:
    """Display label of every component by id (one pass; `Design.component` is a scan)."""
    return _labels(design)


def constraints(design: Design) -> list[tuple[str, str]]:
    """The DISCOVER answers that constrain the design, as (label, value); unanswered omitted."""
    d = design.discovery
    cur, team, work, req, budget = d.current, d.team, d.workload, d.requirements, d.budget
    rows: list[tuple[str, str | None]] = [
        ("Current topology", cur.topology),
        ("Deployable units today", fmt_num(cur.services)),
        ("Pain points", ", ".join(cur.pain_points) if cur.pain_points else None),
        ("Monthly cost today", fmt_num(cur.monthly_cost_usd, " USD")),
        ("Engineers", fmt_num(team.engineers)),
        ("Teams", fmt_num(team.teams)),
        ("Operational maturity", team.ops_maturity),
        ("Independent deploys needed", _yes_no(team.independent_deploys)),
        ("Peak load", fmt_num(work.peak_rps, " req/s")),
        ("Traffic shape", work.traffic),
        ("Reads per write", fmt_num(work.read_write_ratio)),
        ("Growth in 18 months", fmt_num(work.growth_18m, "x")),
        ("Async fan-out", _yes_no(work.async_fanout)),
        ("Cross-service transactions", _yes_no(work.cross_service_transactions)),
        ("Client types", fmt_num(work.client_types)),
        ("Latency target (p99)", fmt_num(req.latency_p99_ms, " ms")),
        ("Availability target", fmt_num(req.availability, " %")),
        ("Consistency", req.consistency),
        ("RTO", fmt_num(req.rto_minutes, " min")),
        ("RPO", fmt_num(req.rpo_minutes, " min")),
        ("Regulatory multi-region", _yes_no(req.regulatory_multi_region)),
        ("Audit trail", _yes_no(req.audit_trail)),
        ("mTLS", _yes_no(req.mtls)),
        ("Cold starts acceptable", _yes_no(req.cold_start_ok)),
        ("Monthly budget", fmt_num(budget.monthly_usd, " USD")),
    ]
    return [(label, value) for label, value in rows if value is not None]


ANSWER_LABELS: dict[str, str] = {
    "current.topology": "Current topology",
    "current.services": "Deployable units today",
    "current.pain_points": "Pain points",
    "current.monthly_cost_usd": "Monthly cost today (USD)",
    "team.engineers": "Engineers",
    "team.teams": "Teams",
    "team.ops_maturity": "Operational maturity",
    "team.independent_deploys": "Independent deploys needed",
    "workload.peak_rps": "Peak load (req/s)",
    "workload.traffic": "Traffic shape",
    "workload.read_write_ratio": "Reads per write",
    "workload.growth_18m": "Growth in 18 months (x)",
    "workload.async_fanout": "Async fan-out",
    "workload.cross_service_transactions": "Cross-service transactions",
    "workload.client_types": "Client types",
    "requirements.latency_p99_ms": "Latency target p99 (ms)",
    "requirements.availability": "Availability target (%)",
    "requirements.consistency": "Consistency",
    "requirements.rto_minutes": "RTO (min)",
    "requirements.rpo_minutes": "RPO (min)",
    "requirements.regulatory_multi_region": "Regulatory multi-region",
    "requirements.audit_trail": "Audit trail",
    "requirements.mtls": "mTLS",
    "requirements.cold_start_ok": "Cold starts acceptable",
    "budget.monthly_usd": "Monthly budget (USD)",
}
"""The DISCOVER answers by fact name (as the pattern engine names them), as `constraints`
labels them: a decision's context cites the answers that drove its verdict."""


def answer_text(value: object) -> str:
    """A fact value as a reader writes it: yes/no, whole numbers without `.0`, lists."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return fmt_num(value) or ""
    if isinstance(value, list | tuple):
        return ", ".join(answer_text(v) for v in value)
    return str(value)


def decision_rows(
    design: Design, pattern_names: dict[str, str], verdicts: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Key decisions: choice (title), pattern name, status, rationale, alternatives, and
    the engine's verdict for the decision's pattern (None without a pattern)."""
    names = pattern_names
    verdicts = verdicts or {}
    return [
        {
            "id": d.id,
            "title": d.title,
            "pattern": names.get(d.pattern, d.pattern) if d.pattern else None,
            "verdict": verdicts.get(d.pattern) if d.pattern else None,
            "status": d.status,
            "rationale": d.rationale,
            "alternatives": list(d.alternatives),
            "consequences": d.consequences,
        }
        for d in design.decisions
    ]


def service_rows(design: Design) -> list[dict[str, Any]]:
    """Service boundaries: name, what it owns, API contract, data store, owner."""
    labels = component_labels(design)
    rows = []
    for s in design.services:
        rows.append(
            {
                "id": s.id,
                "name": s.label,
                "context": s.context,
                "owns": list(s.owns),
                "api": s.api,
                "datastore": labels.get(s.datastore, s.datastore) if s.datastore else None,
                "owner": s.owner,
            }
        )
    return rows


def failure_rows(design: Design) -> list[dict[str, Any]]:
    """Failure modes with the failing component's display name."""
    labels = component_labels(design)
    rows = []
    for f in design.failure_modes:
        rows.append(
            {
                "id": f.id,
                "component": labels.get(f.component, f.component),
                "failure": f.failure,
                "effect": f.effect,
                "likelihood": f.likelihood,
                "severity": f.severity,
                "detection": f.detection,
                "mitigation": f.mitigation,
                "runbook": f.runbook,
            }
        )
    return rows


def slo_rows(design: Design, analysis: Any) -> list[dict[str, Any]]:
    """SLO targets per service with its 30-day error budget and alert error ratios."""
    budgets = {b.service: b for b in analysis.error_budgets} if analysis is not None else {}
    rows = []
    for s in design.services:
        if s.slo is None:
            continue
        b = budgets.get(s.id)
        rows.append(
            {
                "name": s.label,
                "availability": fmt_num(s.slo.availability, " %"),
                "p50": fmt_num(s.slo.latency_p50_ms, " ms"),
                "p95": fmt_num(s.slo.latency_p95_ms, " ms"),
                "p99": fmt_num(s.slo.latency_p99_ms, " ms"),
                "error_rate": fmt_num(s.slo.error_rate_pct, " %"),
                "budget_minutes": b.minutes_per_30d if b is not None else None,
                "alert_ratios": [fmt_num(a.error_ratio * 100, " %") for a in b.alerts]
                if b is not None
                else [],
            }
        )
    return rows


def dependency_rows(design: Design) -> list[dict[str, Any]]:
    """The dependency table (as the report has it): names, mode, protocol, timeout,
    retries, breaker and what the call is for, in file order."""
    labels = component_labels(design)
    return [
        {
            "from": labels.get(d.from_, d.from_),
            "to": labels.get(d.to, d.to),
            "mode": d.mode,
            "protocol": d.protocol,
            "timeout": fmt_num(d.timeout_ms, " ms"),
            "retries": None if d.retries is None else str(d.retries),
            "breaker": _yes_no(d.circuit_breaker),
            "label": d.label,
        }
        for d in design.dependencies
    ]


def lint_summary(findings: Any) -> dict[str, Any]:
    """Counts per severity (accepted findings apart) and the open errors, for design.md."""
    findings = list(findings)
    open_ = [f for f in findings if not getattr(f, "accepted", False)]
    counts = {s: sum(1 for f in open_ if f.severity == s) for s in ("error", "warning", "info")}
    return {
        "counts": counts,
        "accepted": len(findings) - len(open_),
        "errors": [f for f in open_ if f.severity == "error"],
        "total": len(findings),
    }
