# ruff: noqa: E501  (written-out data: help texts are one string each)
"""The DISCOVER questionnaire, once: every answer of the design file's `discovery` section.

`QUESTIONS` is derived from the model (`derive_questions`: the section models' fields and
their docstrings) and written out below, so that DISCOVER's first frame and the pattern
engine's fact table need no pydantic model walk. `tests/core/test_discovery.py` fails when
the two differ; regenerate with `python -m stratus_tui.core.discovery` (then `ruff format`
this file). The UI draws `QUESTIONS`; `core.patterns.facts` names an answer fact after
each question and reads its type and choices from here.
"""

from __future__ import annotations

from dataclasses import replace

from .fields import FieldSpec, specs_for

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("current", "Current", "Current system"),
    ("team", "Team", "Team"),
    ("workload", "Workload", "Workload"),
    ("requirements", "Requirements", "Requirements"),
    ("budget", "Budget", "Budget"),
)
"""(key in the design file, model class in core.model, group title on screen)."""


def derive_questions() -> tuple[FieldSpec, ...]:
    """Every discovery answer, grouped as the design file groups them, from the model."""
    from . import model as models

    specs: list[FieldSpec] = []
    for key, class_name, title in SECTIONS:
        specs += specs_for(
            getattr(models, class_name), prefix=f"{key}.", group=title, strip=f"{key}."
        )
    # Pain points are a list people build up one at a time: a list editor, not a CSV.
    return tuple(replace(s, kind="items") if s.name == "current.pain_points" else s for s in specs)


QUESTIONS: tuple[FieldSpec, ...] = (
    FieldSpec(
        name="current.topology",
        label="topology",
        help="What runs today: greenfield, monolith, modular-monolith, microservices or serverless.",
        kind="choice",
        choices=("greenfield", "monolith", "modular-monolith", "microservices", "serverless"),
        optional=True,
        group="Current system",
    ),
    FieldSpec(
        name="current.services",
        label="services",
        help="Deployable units today.",
        kind="int",
        choices=(),
        optional=True,
        group="Current system",
    ),
    FieldSpec(
        name="current.pain_points",
        label="pain points",
        help="What hurts today, e.g. slow-deploys, cascading-failures; free text allowed.",
        kind="items",
        choices=(),
        optional=True,
        group="Current system",
    ),
    FieldSpec(
        name="current.monthly_cost_usd",
        label="monthly cost usd",
        help="Monthly infrastructure spend today, in US dollars.",
        kind="float",
        choices=(),
        optional=True,
        group="Current system",
    ),
    FieldSpec(
        name="team.engineers",
        label="engineers",
        help="Engineers who build and run the system.",
        kind="int",
        choices=(),
        optional=True,
        group="Team",
    ),
    FieldSpec(
        name="team.teams",
        label="teams",
        help="Number of teams.",
        kind="int",
        choices=(),
        optional=True,
        group="Team",
    ),
    FieldSpec(
        name="team.ops_maturity",
        label="ops maturity",
        help="Operational maturity: low, medium or high (on-call, CI/CD, observability).",
        kind="choice",
        choices=("low", "medium", "high"),
        optional=True,
        group="Team",
    ),
    FieldSpec(
        name="team.independent_deploys",
        label="independent deploys",
        help="Teams need to ship without coordinating with each other.",
        kind="bool",
        choices=(),
        optional=True,
        group="Team",
    ),
    FieldSpec(
        name="workload.peak_rps",
        label="peak rps",
        help="Peak requests per second.",
        kind="float",
        choices=(),
        optional=True,
        group="Workload",
    ),
    FieldSpec(
        name="workload.traffic",
        label="traffic",
        help="Traffic shape: steady, diurnal, spiky or batch.",
        kind="choice",
        choices=("steady", "diurnal", "spiky", "batch"),
        optional=True,
        group="Workload",
    ),
    FieldSpec(
        name="workload.read_write_ratio",
        label="read write ratio",
        help="Reads per write.",
        kind="float",
        choices=(),
        optional=True,
        group="Workload",
    ),
    FieldSpec(
        name="workload.growth_18m",
        label="growth 18m",
        help="Expected load multiplier over the next 18 months.",
        kind="float",
        choices=(),
        optional=True,
        group="Workload",
    ),
    FieldSpec(
        name="workload.async_fanout",
        label="async fanout",
        help="One event is consumed by many parties.",
        kind="bool",
        choices=(),
        optional=True,
        group="Workload",
    ),
    FieldSpec(
        name="workload.cross_service_transactions",
        label="cross service transactions",
        help="Business transactions span more than one service.",
        kind="bool",
        choices=(),
        optional=True,
        group="Workload",
    ),
    FieldSpec(
        name="workload.client_types",
        label="client types",
        help="Distinct client kinds (web, mobile, partner API ...).",
        kind="int",
        choices=(),
        optional=True,
        group="Workload",
    ),
    FieldSpec(
        name="requirements.latency_p99_ms",
        label="latency p99 ms",
        help="End-to-end p99 latency target in milliseconds.",
        kind="float",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.availability",
        label="availability",
        help="Availability target in percent, e.g. 99.9.",
        kind="float",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.consistency",
        label="consistency",
        help="strong or eventual.",
        kind="choice",
        choices=("strong", "eventual"),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.rto_minutes",
        label="rto minutes",
        help="Recovery time objective in minutes.",
        kind="float",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.rpo_minutes",
        label="rpo minutes",
        help="Recovery point objective in minutes.",
        kind="float",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.regulatory_multi_region",
        label="regulatory multi region",
        help="A regulator mandates more than one region.",
        kind="bool",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.audit_trail",
        label="audit trail",
        help="A complete, replayable history of changes is required.",
        kind="bool",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.mtls",
        label="mtls",
        help="Service-to-service traffic must be mutually authenticated (mTLS).",
        kind="bool",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="requirements.cold_start_ok",
        label="cold start ok",
        help="Occasional cold-start latency is acceptable.",
        kind="bool",
        choices=(),
        optional=True,
        group="Requirements",
    ),
    FieldSpec(
        name="budget.monthly_usd",
        label="monthly usd",
        help="Monthly budget in US dollars.",
        kind="float",
        choices=(),
        optional=True,
        group="Budget",
    ),
)


def render() -> str:
    """This module's source with the questions derived from the model now."""
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    start = source[: source.index("QUESTIONS: tuple")]
    end = source[source.index("\n\n\ndef render()") :]
    rows = "".join(f"    {spec!r},\n" for spec in derive_questions())
    return f"{start}QUESTIONS: tuple[FieldSpec, ...] = (\n{rows})\n{end}"


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).write_text(render(), encoding="utf-8")
