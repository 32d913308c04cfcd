"""Verdicts in words, the same in `stratus recommend` and the workbench's Decide pane:
one line per reason with its sign, the answers it used and its weight."""

from __future__ import annotations

from typing import Any

from ..escape import clean_text
from .results import Missing, Reason, Verdict

MARK = {"use": "+", "avoid": "-"}
"""A reason's sign: + for the pattern, - against it."""


def one_line(text: str) -> str:
    """User text for the terminal: no control characters (escape codes), one line."""
    return " ".join(clean_text(text).split())


def show_value(value: Any) -> str:
    """An answer as a reason quotes it: (unanswered), [a, b], 12, true."""
    if value is None:
        return "(unanswered)"
    if isinstance(value, tuple):
        return "[" + ", ".join(one_line(str(v)) for v in value) + "]"
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value).lower() if isinstance(value, bool) else f"{value}"


def verdict_label(verdict: Any) -> str:
    """'recommend now' / 'recommend later' / 'consider' ...: the portfolio's word."""
    timing = getattr(verdict, "timing", "")
    return f"{verdict.verdict} {timing}" if timing else str(verdict.verdict)


def weight_text(item: Reason | Missing) -> str:
    """A weight as written: 3, 1.5 (a YAML weight may be an int)."""
    weight = float(item.weight)
    return f"{weight:.0f}" if weight.is_integer() else f"{weight:g}"


def explain_verdict(verdict: Verdict) -> str:
    """Every reason with its sign, the answers it used and its weight; what is
    unanswered; what would change the verdict; when a later one is promoted."""
    scope = verdict.scope
    lines = [
        f"{one_line(verdict.name)}: {verdict_label(verdict)}"
        + (f", {one_line(scope)}" if scope else "")
        + f" (score {verdict.score:+.1f}, confidence {verdict.confidence:.0%})"
    ]
    for other in verdict.scoped:
        lines.append(f"\u21b3 {one_line(other.scope)}: {other.verdict} ({other.score:+.1f})")
    plan = verdict.group_plan
    if verdict.group and plan:
        force = one_line(verdict.group_force or verdict.group)
        lines.append(f"Pick one ({force}), step {verdict.group_step}: {one_line(plan)}")
    for r in verdict.reasons:
        used = ", ".join(f"{k}={show_value(val)}" for k, val in r.values)
        evidence = f"  [{used}]" if used else ""
        lines.append(
            f"{MARK.get(r.kind, '·')} {one_line(r.text)}{evidence}  weight {weight_text(r)}"
        )
    for m in verdict.missing:
        lines.append(
            f"? unanswered: {', '.join(m.answers)} \u2192 {MARK.get(m.kind, 'if')} "
            f"{one_line(m.text)}  weight {weight_text(m)}"
        )
    if verdict.what_would_change:
        lines.append("What would change it:")
        lines += [f"\u2192 {one_line(str(w))}" for w in verdict.what_would_change]
    promote = one_line(verdict.promote_when)
    if promote:
        lines.append(f"\u21e1 later, when: {promote}")
    lines += [f"\u00b7 {one_line(n)}" for n in verdict.notes]
    return "\n".join(lines)
