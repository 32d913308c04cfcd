"""Report section 3: Cost Analysis."""

from __future__ import annotations

from ..model import Design
from .analyse import Analysis
from .cost import LOAD_10X
from .fmt import usd
from .report_md import code, codes, shown, table


def _share(part: float, whole: float | None) -> str:
    return f"{100.0 * part / whole:.0f} %" if whole else "—"


def cost(design: Design, a: Analysis) -> list[str]:
    """Current spend, projections, drivers, optimisation opportunities."""
    c = a.cost
    out: list[str] = []
    if not c.lines:
        out.append(
            "No component declares a monthly cost (monthly_cost_usd), so the design "
            "has no cost baseline yet."
        )
    else:
        budget = (
            f" against a budget of {usd(c.budget)} ({_share(c.baseline, c.budget)} used)"
            if c.budget is not None
            else " (no budget declared)"
        )
        out.append(
            f"Baseline: **{usd(c.baseline)}/month**{budget}, summed over "
            f"{len(c.lines)} priced components."
        )
        today = design.discovery.current.monthly_cost_usd
        if today is not None:
            delta = c.baseline - today
            out.append(
                f"Today's spend is {usd(today)}/month: the target design is "
                f"{usd(abs(delta))} {'more' if delta > 0 else 'less'} per month."
            )
        budget10 = f", {_share(c.at_10x, c.budget)} of the budget" if c.budget is not None else ""
        out.append(f"At {LOAD_10X:g}x load: **{usd(c.at_10x)}/month**{budget10}.")
        if c.growth_18m is not None and c.at_growth is not None:
            verdict = ""
            if c.budget is not None:
                verdict = (
                    f", over the {usd(c.budget)} budget by {usd(c.at_growth - c.budget)}: "
                    "the budget runs out before the 18 months do"
                    if c.at_growth > c.budget
                    else f", within the budget ({_share(c.at_growth, c.budget)})"
                )
            out.append(
                f"At the expected 18-month growth (x{c.growth_18m:g}): "
                f"{usd(c.at_growth)}/month{verdict}."
            )
        out.append("")
        rows = [
            [
                code(line.component),
                line.kind,
                usd(line.baseline),
                f"{line.rule} ({line.rule_source})",
                usd(line.at_10x),
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
        drivers = ", ".join(
            f"{code(d.component)} {usd(d.at_10x)} ({_share(d.at_10x, c.at_10x)})" for d in c.drivers
        )
        out.append(f"- Top drivers at 10x: {drivers}.")
        top_base = max(c.lines, key=lambda line: (line.baseline, line.component))
        out.append(
            f"- Largest line today: {code(top_base.component)} at "
            f"{usd(top_base.baseline)} ({_share(top_base.baseline, c.baseline)} of "
            "the baseline): the first candidate for right-sizing."
        )
        steps = [line for line in c.lines if line.rule == "step"]
        if steps:
            step_10x = sum(line.at_10x for line in steps)
            out.append(
                f"- Step-priced components make up {usd(step_10x)} "
                f"({_share(step_10x, c.at_10x)}) at 10x: reserved capacity or "
                "savings plans apply to them."
            )
    if c.unpriced:
        out.append(
            f"- No monthly cost declared for {codes(c.unpriced)}: the totals leave "
            f"{'it' if len(c.unpriced) == 1 else 'them'} out."
        )
    if c.budget is None:
        out.append("- No budget declared (discovery.budget.monthly_usd).")
    return out
