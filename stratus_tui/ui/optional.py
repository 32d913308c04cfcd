"""Calls into the core made by the screens, imported on first use to keep start-up fast."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model is imported by the workers that call these, not at start-up
    from ..core.model import Design
    from ..core.patterns import Missing, Reason, Verdict


def recommend(design: Design) -> list[Verdict]:
    """Pattern verdicts for `design`, best first."""
    from ..core.patterns import recommend as _recommend

    return list(_recommend(design))


def verdicts_or_problem(design: Design) -> list[Verdict] | str:
    """The verdicts, or the pattern library's problems as text for the pane to show."""
    try:
        return recommend(design)
    except Exception as exc:  # a broken user pattern file must not take the editor down
        return f"The pattern library has problems:\n{exc}"


def pattern_forces(pattern_id: str) -> tuple[list[str], list[str]]:
    """(pros, cons) of a pattern from the library; empty when unknown."""
    from ..core.patterns import load_library

    pattern = load_library().patterns.get(pattern_id)
    if pattern is None:
        return [], []
    return list(pattern.forces.pros), list(pattern.forces.cons)


def lint(design: Design) -> list[Any]:
    """Lint findings."""
    from ..core.lint import lint as _lint

    return list(_lint(design))


def achievable_availability(design: Design) -> dict[str, float]:
    """Achievable availability per service id."""
    from ..core.analysis import achievable_availability as _aa

    return dict(_aa(design))


def cost_summary(design: Design) -> Any:
    """The analysis package's cost summary."""
    from ..core.analysis import cost_summary as _cost

    return _cost(design)


def render_report(design: Design) -> str:
    """The STRATUS report in Markdown."""
    from ..core.report import render_report as _report

    return str(_report(design))


def mermaid(design: Design) -> str:
    """The Mermaid topology source."""
    from ..core.export import EXPORTERS

    return EXPORTERS["mermaid"](design)


def import_source(path: Path) -> Any:
    """A design bootstrapped from compose/Kubernetes/Mermaid (raises DesignError)."""
    from ..core.importers import import_source as _import

    return _import(path)


def explain_verdict(verdict: Verdict) -> str:
    """A verdict as the TUI shows it, in the words of `stratus recommend`: every reason with
    its sign (+ for, - against), the answers it used and its weight; what is unanswered."""
    from ..cli.recommend_cmd import _MARK, _one_line, _show

    scope = verdict.scope
    lines = [
        f"{_one_line(verdict.name)}: {verdict_label(verdict)}"
        + (f", {_one_line(scope)}" if scope else "")
        + f" (score {verdict.score:+.1f}, confidence {verdict.confidence:.0%})"
    ]
    for other in verdict.scoped:
        lines.append(f"\u21b3 {_one_line(other.scope)}: {other.verdict} ({other.score:+.1f})")
    plan = verdict.group_plan
    if verdict.group and plan:
        force = _one_line(verdict.group_force or verdict.group)
        lines.append(f"Pick one ({force}), step {verdict.group_step}: {_one_line(plan)}")
    for r in verdict.reasons:
        used = ", ".join(f"{k}={_show(val)}" for k, val in r.values)
        evidence = f"  [{used}]" if used else ""
        lines.append(f"{_MARK.get(r.kind, '·')} {_one_line(r.text)}{evidence}  weight {_weight(r)}")
    for m in verdict.missing:
        lines.append(
            f"? unanswered: {', '.join(m.answers)} \u2192 {_MARK.get(m.kind, 'if')} "
            f"{_one_line(m.text)}  weight {_weight(m)}"
        )
    if verdict.what_would_change:
        lines.append("What would change it:")
        lines += [f"\u2192 {_one_line(str(w))}" for w in verdict.what_would_change]
    promote = _one_line(verdict.promote_when)
    if promote:
        lines.append(f"\u21e1 later, when: {promote}")
    lines += [f"\u00b7 {_one_line(n)}" for n in verdict.notes]
    return "\n".join(lines)


def verdict_label(verdict: Verdict) -> str:
    """'recommend now' / 'recommend later' / 'consider' ...: the portfolio's word, as the
    CLI prints it."""
    from ..cli.recommend_cmd import _label

    return _label(verdict)


def _weight(item: Reason | Missing) -> str:
    weight = float(item.weight)  # a YAML weight may be an int
    return f"{weight:.0f}" if weight.is_integer() else f"{weight:g}"
