"""OpenSLO v1 documents: one file per SLO holding its SLI, the SLO and its alert policies.

Each `observe/openslo/<slo-id>.yaml` is a stream of `openslo/v1` objects:

* `SLI` `<slo-id>-sli`: a ratio of raw Prometheus counters (bad/total for availability,
  good/total for latency: the histogram bucket at the objective over the count);
* `SLO` `<slo-id>`: rolling 30 days, Occurrences, one objective, `indicatorRef` to the SLI
  and `alertPolicyRef`s to the three policies;
* three `AlertPolicy` objects, one per burn-rate tier, each with its `burnrate` condition
  inline (threshold = burn rate, lookbackWindow = the long window, alertAfter = the short
  one) and an inline notification target named after the severity.

OpenSLO has no field for the short window as such: it is also in the annotation
`stratus.dev/short-window`, and the Prometheus rules implement both windows exactly.
"""

from __future__ import annotations

from typing import Any

from .names import ID_ANNOTATION, NAME_ANNOTATION, dns_label, text, to_yaml
from .prometheus import TIERS, Tier, good_total_queries, runbook_url
from .slos import PERIOD, Convention, SloSpec, percent, plain

API = "openslo/v1"
DESCRIPTION_MAX = 1050
"""OpenSLO's limit on every `description`."""


def _description(value: str) -> str:
    return text(value)[:DESCRIPTION_MAX]


def _metadata(name: str, display: str, spec: SloSpec, **annotations: str) -> dict[str, Any]:
    return {
        "name": name,
        "displayName": text(display)[:DESCRIPTION_MAX],
        "labels": {"service": dns_label(spec.service), "slo-kind": spec.kind},
        "annotations": {
            ID_ANNOTATION: spec.subject,
            NAME_ANNOTATION: text(spec.subject_name),
            **annotations,
        },
    }


def _sli(conv: Convention, spec: SloSpec) -> dict[str, Any]:
    which, numerator, total = good_total_queries(conv, spec)
    source = {"type": "Prometheus"}
    what = (
        "failed requests over all requests"
        if spec.kind == "availability"
        else f"requests within {plain(spec.threshold_ms)} ms over all requests"
    )
    return {
        "apiVersion": API,
        "kind": "SLI",
        "metadata": _metadata(f"{spec.id}-sli", f"{spec.subject_name}: {what}", spec),
        "spec": {
            "description": _description(f"{spec.title}: {what}."),
            "ratioMetric": {
                "counter": True,
                which: {"metricSource": {**source, "spec": {"query": numerator}}},
                "total": {"metricSource": {**source, "spec": {"query": total}}},
            },
        },
    }


def _policy_name(spec: SloSpec, tier: Tier) -> str:
    return f"{spec.id}-{tier.name}-burn"


def _slo(spec: SloSpec) -> dict[str, Any]:
    return {
        "apiVersion": API,
        "kind": "SLO",
        "metadata": _metadata(spec.id, spec.title, spec),
        "spec": {
            "description": _description(
                f"{spec.title}, over a rolling {PERIOD}, alerting on error-budget burn rate."
            ),
            "service": dns_label(spec.service),
            "indicatorRef": f"{spec.id}-sli",
            "timeWindow": [{"duration": PERIOD, "isRolling": True}],
            "budgetingMethod": "Occurrences",
            "objectives": [
                {
                    "displayName": text(
                        f"{percent(spec.target)} % good"
                        if spec.kind == "availability"
                        else f"{percent(spec.target)} % within {plain(spec.threshold_ms)} ms"
                    ),
                    "target": float(spec.target),
                }
            ],
            "alertPolicies": [{"alertPolicyRef": _policy_name(spec, t)} for t in TIERS],
        },
    }


def _policy(conv: Convention, spec: SloSpec, tier: Tier, runbook: str) -> dict[str, Any]:
    return {
        "apiVersion": API,
        "kind": "AlertPolicy",
        "metadata": _metadata(
            _policy_name(spec, tier),
            f"{spec.subject_name}: {tier.name} burn ({tier.severity})",
            spec,
            **{
                "stratus.dev/short-window": tier.short,
                "stratus.dev/runbook-url": runbook_url(conv, runbook, tier),
            },
        ),
        "spec": {
            "description": _description(
                f"{tier.severity.capitalize()} when {tier.spent} of the {PERIOD} budget of "
                f"{spec.id} would be spent within {tier.long}: burn rate above "
                f"{plain(tier.rate)} over {tier.long} and {tier.short}."
            ),
            "alertWhenNoData": False,
            "alertWhenResolved": False,
            "alertWhenBreaching": True,
            "conditions": [
                {
                    "kind": "AlertCondition",
                    "metadata": {"name": f"{_policy_name(spec, tier)}-condition"},
                    "spec": {
                        "description": _description(
                            f"Burn rate of {spec.id} above {plain(tier.rate)} over {tier.long}"
                        ),
                        "severity": tier.severity,
                        "condition": {
                            "kind": "burnrate",
                            "op": "gt",
                            "threshold": float(tier.rate),
                            "lookbackWindow": tier.long,
                            "alertAfter": tier.short,
                        },
                    },
                }
            ],
            "notificationTargets": [
                {
                    "kind": "AlertNotificationTarget",
                    "metadata": {"name": tier.severity},
                    "spec": {
                        "description": f"Alertmanager routes on the label severity={tier.severity}",
                        "target": "alertmanager",
                    },
                }
            ],
        },
    }


def openslo_file(conv: Convention, spec: SloSpec, runbook: str) -> str:
    docs = [_sli(conv, spec), _slo(spec), *(_policy(conv, spec, t, runbook) for t in TIERS)]
    head = (
        "# Generated by stratus from the design file: OpenSLO v1. Edit the design, not this file.\n"
    )
    return head + to_yaml(*docs)


def openslo_files(
    conv: Convention, specs: list[SloSpec], runbooks: dict[str, str]
) -> dict[str, str]:
    """`<slo-id>.yaml` -> text for every SLO."""
    return {f"{spec.id}.yaml": openslo_file(conv, spec, runbooks[spec.id]) for spec in specs}
