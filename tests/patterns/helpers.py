"""Helpers for the pattern tests: designs from dotted answers, answer strategies."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from stratus_tui.core.model import Design
from stratus_tui.core.patterns import FACTS, Verdict, recommend

PAIN_POINTS = ["slow-deploys", "cascading-failures", "release-coordination", "scaling", "cost"]


def discovery_from(answers: dict[str, Any]) -> dict[str, Any]:
    """`{"team.engineers": 5}` -> `{"team": {"engineers": 5}}`."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in answers.items():
        section, name = key.split(".", 1)
        out.setdefault(section, {})[name] = value
    return out


def make_design(answers: dict[str, Any], **parts: Any) -> Design:
    """A valid design with these DISCOVER answers and optional design sections."""
    data: dict[str, Any] = {"stratus": 1, "name": "test", "discovery": discovery_from(answers)}
    data.update(parts)
    return Design.model_validate(data)


def verdicts_by_id(answers: dict[str, Any], **parts: Any) -> dict[str, Verdict]:
    """Run the built-in library on a design made from `answers`."""
    return {v.pattern: v for v in recommend(make_design(answers, **parts))}


def _values_for(name: str) -> st.SearchStrategy[Any]:
    spec = FACTS[name]
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "text":
        return st.sampled_from(spec.choices)
    if spec.type == "list":
        return st.lists(st.sampled_from(PAIN_POINTS), max_size=3, unique=True)
    if spec.type == "int":
        return st.sampled_from([0, 1, 2, 3, 5, 6, 9, 10, 15, 20, 25, 50, 100])
    if name == "requirements.availability":
        return st.sampled_from([90.0, 99.0, 99.5, 99.9, 99.95, 99.99, 99.999])
    return st.sampled_from(
        [0.0, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 50.0, 60.0, 100.0, 500.0, 1000.0, 5000.0]
    )


ANSWER_FACTS = sorted(k for k, spec in FACTS.items() if not spec.derived)


@st.composite
def partial_answers(draw: st.DrawFn) -> dict[str, Any]:
    """A random subset of the DISCOVER answers with plausible values."""
    chosen = draw(st.lists(st.sampled_from(ANSWER_FACTS), unique=True, max_size=len(ANSWER_FACTS)))
    return {name: draw(_values_for(name)) for name in sorted(chosen)}


def value_for(name: str) -> st.SearchStrategy[Any]:
    """Plausible values for one answer."""
    return _values_for(name)
