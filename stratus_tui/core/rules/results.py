"""What the engine returns: a verdict per pattern with its reasons and what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .facts import FactValue

VerdictName = Literal["recommend", "consider", "avoid", "not-applicable"]

VERDICT_RANK: dict[str, int] = {"recommend": 0, "consider": 1, "avoid": 2, "not-applicable": 3}
"""Sort order of verdicts: most actionable first."""


def _jsonable(value: FactValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True, slots=True)
class Reason:
    """A rule that fired: the sentence, the answers it used and their values."""

    text: str
    answers: tuple[str, ...]
    kind: Literal["use", "avoid"]
    weight: float
    values: tuple[tuple[str, FactValue], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `stratus recommend --format json`."""
        return {
            "text": self.text,
            "answers": list(self.answers),
            "kind": self.kind,
            "weight": self.weight,
            "values": {k: _jsonable(v) for k, v in self.values},
        }


@dataclass(frozen=True, slots=True)
class Missing:
    """A rule that could not be evaluated, and the unanswered facts it needs."""

    text: str
    answers: tuple[str, ...]
    kind: Literal["use", "avoid", "applies"]
    weight: float

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `stratus recommend --format json`."""
        return {
            "text": self.text,
            "answers": list(self.answers),
            "kind": self.kind,
            "weight": self.weight,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's answer for one pattern."""

    pattern: str
    name: str
    verdict: VerdictName
    score: float
    reasons: tuple[Reason, ...]
    missing: tuple[Missing, ...]
    what_would_change: tuple[str, ...]
    related: tuple[tuple[str, str], ...]
    confidence: float
    summary: str = ""

    def sort_key(self) -> tuple[int, float, str]:
        """Verdict rank, then score (high first), then id."""
        return (VERDICT_RANK[self.verdict], -self.score, self.pattern)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of `stratus recommend --format json` plus extras."""
        return {
            "pattern": self.pattern,
            "name": self.name,
            "verdict": self.verdict,
            "score": self.score,
            "confidence": self.confidence,
            "reasons": [r.to_json() for r in self.reasons],
            "missing": [m.to_json() for m in self.missing],
            "what_would_change": list(self.what_would_change),
            "related": [{"id": rid, "why": why} for rid, why in self.related],
            "summary": self.summary,
        }
