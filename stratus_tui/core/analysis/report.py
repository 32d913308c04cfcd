"""`render_report(design)`: the STRATUS Architecture Report in the seed's format.

Six sections in the seed's order and with its headings; every sentence is computed from
this design's numbers. User text is escaped for Markdown.
"""

from __future__ import annotations

from ..model import Design
from .analyse import Analysis, analysis_from
from .findings import Finding
from .lint import lint
from .registry import LintContext
from .report_actions import actions
from .report_data import recovery
from .report_md import md_inline
from .report_money import cost
from .report_overview import overview, performance
from .report_risks import iac, reliability

TITLE = "## STRATUS Architecture Report"
SECTIONS: tuple[str, ...] = (
    "### \U0001f3d7\ufe0f Architecture Overview",
    "### \u26a1 Performance Analysis",
    "### \U0001f4b0 Cost Analysis",
    "### \U0001f534 Reliability Risks",
    "### \U0001f4cb IaC Compliance",
    "### \U0001f680 Recommended Actions",
)


def activation_line(design: Design) -> str:
    """The seed's activation phrase for this design's scope (its name when no scope)."""
    scope = md_inline(design.scope or design.name) or "this design"
    return (
        f"**STRATUS online.** Mapping infrastructure topology and failure surface for "
        f"{scope}. Architecture review in progress."
    )


def _summary(design: Design, findings: list[Finding]) -> str:
    counts = {
        s: sum(1 for f in findings if f.severity == s and not f.accepted)
        for s in ("error", "warning", "info")
    }
    accepted = sum(1 for f in findings if f.accepted)
    return (
        f"**Design:** {md_inline(design.name)} · lint: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} info, {accepted} accepted"
    )


def render(design: Design, analysis: Analysis, findings: list[Finding]) -> str:
    """The report from precomputed results (the UI reuses what it already has)."""
    bodies = (
        overview(design, analysis),
        performance(design, analysis),
        cost(design, analysis),
        reliability(design, analysis) + recovery(design, analysis),
        iac(design, analysis),
        actions(findings, analysis),
    )
    parts = [activation_line(design), "", TITLE, "", _summary(design, findings)]
    for heading, body in zip(SECTIONS, bodies, strict=True):
        parts += ["", heading, "", *body]
    return "\n".join(parts).rstrip() + "\n"


def render_report(design: Design) -> str:
    """The STRATUS Architecture Report of `design` as Markdown."""
    ctx = LintContext(design)
    return render(design, analysis_from(ctx), lint(design, ctx))
