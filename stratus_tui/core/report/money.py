"""Report section 3: Cost Analysis.

Only data makes a claim: every assumed figure (a component priced from the default table)
says so, and below 80 % declared (`CostSummary.sufficient`) the section gives no budget
verdict and no saving against today's spend; it lists what is missing instead.
"""

from __future__ import annotations

from ..analysis.analyse import Analysis
from ..analysis.cost import COVERAGE_FLOOR, LOAD_10X, CostSummary
from ..analysis.fmt import usd
from ..model import Design
from .markdown import code, codes, md_inline, shown, table

LISTED = 20
"""Components named in one sentence before 'and N more'."""


def _share(part: float, whole: float | None) -> str:
    return f"{100.0 * part / whole:.0f} %" if whole else "—"


def _split(c: CostSummary, total: float, declared: float) -> str:
    """' ($D declared + $A assumed)' when part of `total` is assumed."""
    assumed = total - declared
    if not c.assumed_lines or assumed <= 0:
        return ""
    return f" ({usd(declared)} declared + {usd(assumed)} assumed)"


def coverage_lines(c: CostSummary) -> list[str]:
    """How much of the cost is declared, what is assumed, and whether a verdict holds."""
    n, d = len(c.lines), len(c.declared_lines)
    out = [
        f"Coverage: {d} of {n} components declare a monthly cost ({_share(d, n)}), "
        f"{usd(c.declared_baseline)} of the {usd(c.baseline)} baseline "
        f"({_share(c.declared_baseline, c.baseline)})."
    ]
    if c.assumed_lines:
        listed = c.assumed_lines[:LISTED]
        priced = "; ".join(
            f"{code(line.component)} {usd(line.baseline)} ({md_inline(line.basis)})"
            for line in listed
        )
        more = len(c.assumed_lines) - len(listed)
        out.append(
            f"Priced from the default table ({c.prices}), **assumed**: {priced}"
            + (f" and {more} more" if more > 0 else "")
            + "."
        )
    if c.price_problem:
        out.append(f"Your price table was not used: {c.price_problem}.")
    if not c.sufficient:
        out.append(
            f"**No budget verdict and no saving claim**: a verdict needs "
            f"{COVERAGE_FLOOR:.0%} of the components and of the baseline declared. "
            f"Missing a declared monthly_cost_usd: {codes(c.unpriced, limit=LISTED)}."
        )
    return out


def _budget_clause(c: CostSummary, total: float, declared: float) -> str:
    verdict = c.verdict(total, declared)
    if c.budget is None:
        return ""
    if verdict is None:
        return f"; budget {usd(c.budget)}: no verdict (coverage below {COVERAGE_FLOOR:.0%})"
    if verdict == "over" and not c.sufficient:
        return (
            f", over the {usd(c.budget)} budget: the declared lines alone "
            f"({usd(declared)}) exceed it"
        )
    if verdict == "over":
        return f", over the {usd(c.budget)} budget by {usd(total - c.budget)}"
    return f", within the {usd(c.budget)} budget ({_share(total, c.budget)})"


def cost(design: Design, a: Analysis) -> list[str]:
    """Coverage, current spend, projections, drivers, optimisation opportunities."""
    c = a.cost
    out: list[str] = []
    if not c.lines:
        out.append("The design has no components, so it has no cost baseline yet.")
        if c.budget is None:
            out.append("- No budget declared (discovery.budget.monthly_usd).")
        return out
    out.extend(coverage_lines(c))
    out.append("")
    out.append(
        f"Baseline: **{usd(c.baseline)}/month**{_split(c, c.baseline, c.declared_baseline)}"
        f"{_budget_clause(c, c.baseline, c.declared_baseline)}."
    )
    if c.today is not None:
        if c.saving is not None:
            assumed = f" (with {usd(c.assumed_baseline)} assumed)" if c.assumed_lines else ""
            out.append(
                f"Today's spend is {usd(c.today)}/month: the target design{assumed} is "
                f"{usd(abs(c.saving))} {'less' if c.saving > 0 else 'more'} per month."
            )
        elif c.declared_baseline > c.today:
            out.append(
                f"Today's spend is {usd(c.today)}/month: the declared lines alone cost "
                f"{usd(c.declared_baseline - c.today)} more than that; no saving is possible."
            )
        else:
            out.append(
                f"Today's spend is {usd(c.today)}/month: no comparison until the missing "
                "components declare a cost."
            )
    out.append(
        f"At {LOAD_10X:g}x load: **{usd(c.at_10x)}/month**"
        f"{_split(c, c.at_10x, c.declared_at_10x)}"
        f"{_budget_clause(c, c.at_10x, c.declared_at_10x)}."
    )
    if c.growth_18m is not None and c.at_growth is not None:
        declared = c.declared_at_growth or 0.0
        clause = _budget_clause(c, c.at_growth, declared)
        if c.growth_verdict == "over" and c.baseline_verdict == "within":
            clause += "; the budget runs out before the 18 months do"
        out.append(
            f"At the expected 18-month growth (x{c.growth_18m:g}): "
            f"{usd(c.at_growth)}/month{_split(c, c.at_growth, declared)}{clause}."
        )
    out.append("")
    rows = [
        [
            code(line.component),
            line.kind,
            usd(line.baseline) + (" assumed" if line.assumed else ""),
            f"{line.rule} ({line.rule_source})",
            usd(line.at_10x) + (" assumed" if line.assumed else ""),
            _share(line.at_10x, c.at_10x),
        ]
        for line in shown(c.lines)
    ]
    out.append(
        table(
            ["Component", "Kind", "Baseline/month", "Scaling rule", "At 10x", "Share at 10x"],
            rows,
            "components",
            len(c.lines),
        )
    )
    out.append("")
    out.append(
        "Scaling rules: fixed stays flat, linear grows with load, step doubles per "
        "capacity tier from a baseline with 2x headroom (x8 at 10x). Defaults: "
        "serverless and managed services linear, kubernetes and vm step; "
        "provisioned datastores step, "
        "pay-per-use stores linear; externals linear."
    )
    out.append("")

    def mark(line_assumed: bool) -> str:
        return " assumed" if line_assumed else ""

    drivers = ", ".join(
        f"{code(d.component)} {usd(d.at_10x)}{mark(d.assumed)} ({_share(d.at_10x, c.at_10x)})"
        for d in c.drivers
    )
    out.append(f"- Top drivers at 10x: {drivers}.")
    if c.declared_lines:
        top = max(c.declared_lines, key=lambda line: (line.baseline, line.component))
        out.append(
            f"- Largest declared line today: {code(top.component)} at "
            f"{usd(top.baseline)} ({_share(top.baseline, c.baseline)} of "
            "the baseline): the first candidate for right-sizing."
        )
    steps = [line for line in c.lines if line.rule == "step"]
    if steps:
        step_10x = sum(line.at_10x for line in steps)
        guessed = sum(line.at_10x for line in steps if line.assumed)
        assumed = f" ({usd(guessed)} of it assumed)" if guessed else ""
        out.append(
            f"- Step-priced components make up {usd(step_10x)}{assumed} "
            f"({_share(step_10x, c.at_10x)}) at 10x: reserved capacity or "
            "savings plans apply to them."
        )
    if c.budget is None:
        out.append("- No budget declared (discovery.budget.monthly_usd).")
    return out
