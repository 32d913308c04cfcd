"""`render_report(design)`: the STRATUS Architecture Report in the seed's format.

Six sections in the seed's order and with its headings; every sentence is computed from
this design's numbers. User text is escaped for Markdown.
"""

from __future__ import annotations

import datetime as dt

from ..analysis.analyse import Analysis, analysis_from
from ..analysis.context import LintContext
from ..gc_pause import gc_paused
from ..lint.findings import Finding
from ..lint.runner import lint
from ..model import Design
from .actions import actions
from .data import recovery
from .markdown import md_inline
from .money import cost
from .overview import overview, performance
from .risks import iac, reliability

TITLE = "## STRATUS Architecture Report"
REPORT_TITLE = "architecture report"
"""What the H1 calls the report, after the design's name."""
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


def activation_quote(design: Design) -> str:
    """The activation phrase as a committed document quotes it: a Markdown quote, without
    "review in progress" (the status line says what was reviewed and when)."""
    scope = md_inline(design.scope or design.name) or "this design"
    return f"> **STRATUS online.** Mapping infrastructure topology and failure surface for {scope}."


def document_title(design: Design, what: str) -> str:
    """`# <design name>: <what>`, the H1 that opens an exported document."""
    return f"# {md_inline(design.name) or 'Untitled design'}: {what}"


def review_date(design: Design, reviewed_on: dt.date | None = None) -> dt.date | None:
    """When the design was reviewed: the date given, else its latest decision's date.

    Never today's date implicitly: the same design must export the same bytes.
    """
    if reviewed_on is not None:
        return reviewed_on
    dates = [d.date for d in design.decisions if d.date is not None]
    return max(dates) if dates else None


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def status_line(design: Design, reviewed_on: dt.date | None = None) -> str:
    """What was reviewed and when, for a committed report."""
    from ..flows import flows_of

    parts = [
        _count(len(design.services), "service"),
        _count(len(design.datastores), "datastore"),
        _count(len(design.externals), "external system"),
        _count(len(design.dependencies), "dependency", "dependencies"),
        _count(len(flows_of(design)), "request flow"),
        _count(len(design.decisions), "decision"),
    ]
    when = review_date(design, reviewed_on)
    if reviewed_on is not None:
        at = f" on {when.isoformat()}" if when else ""
    elif when is not None:
        at = f" as of {when.isoformat()}, the date of its latest decision"
    else:
        at = " from the design file (no decision is dated)"
    return f"**Status:** reviewed{at}: {', '.join(parts)}."


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


def render(
    design: Design,
    analysis: Analysis,
    findings: list[Finding],
    reviewed_on: dt.date | None = None,
) -> str:
    """The report from precomputed results (the UI reuses what it already has).

    It opens with an H1 naming the design, the seed's activation line as a quote and a
    status line saying what was reviewed and when (`reviewed_on`, else the design's
    latest decision date: never today's date, so exports stay byte-stable)."""
    bodies = (
        overview(design, analysis),
        performance(design, analysis),
        cost(design, analysis),
        reliability(design, analysis) + recovery(design, analysis),
        iac(design, analysis),
        actions(findings, analysis),
    )
    parts = [
        document_title(design, REPORT_TITLE),
        "",
        activation_quote(design),
        "",
        status_line(design, reviewed_on),
        "",
        TITLE,
        "",
        _summary(design, findings),
    ]
    for heading, body in zip(SECTIONS, bodies, strict=True):
        parts += ["", heading, "", *body]
    return "\n".join(parts).rstrip() + "\n"


@gc_paused()  # batch work: see gc_pause
def render_report(design: Design, reviewed_on: dt.date | None = None) -> str:
    """The STRATUS Architecture Report of `design` as Markdown (see `render`)."""
    ctx = LintContext(design)
    return render(design, analysis_from(ctx), lint(design, ctx), reviewed_on)
