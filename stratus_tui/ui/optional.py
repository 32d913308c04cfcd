"""Calls into the core made by the screens, imported on first use to keep start-up fast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model is imported by the workers that call these, not at start-up
    from ..core.model import Design
    from ..core.patterns import Verdict


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


def explain_verdict(verdict: Verdict) -> str:
    """A verdict as the TUI shows it, in the words of `stratus recommend`."""
    from ..core.patterns.wording import explain_verdict as _explain

    return _explain(verdict)


def verdict_label(verdict: Verdict) -> str:
    """'recommend now' / 'recommend later' / 'consider' ...: as the CLI prints it."""
    from ..core.patterns.wording import verdict_label as _label

    return _label(verdict)
