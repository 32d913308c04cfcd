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


Timing = Literal["now", "later", ""]

TIER_RANK: dict[tuple[str, str], int] = {("recommend", "now"): 0, ("recommend", "later"): 1}
"""Recommend-now first, then recommend-later, then the other verdicts in VERDICT_RANK order."""


@dataclass(frozen=True, slots=True)
class ScopedVerdict:
    """The pattern's verdict in another scope (e.g. off the request path)."""

    scope: str
    """How the scope reads: 'off the request path (asynchronous consumers and workers)'."""
    verdict: VerdictName
    score: float
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON shape inside a verdict's `scoped` list."""
        return {
            "scope": self.scope,
            "verdict": self.verdict,
            "score": self.score,
            "reasons": [r.to_json() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's answer for one pattern.

    `verdict` and `score` rate the pattern alone; the portfolio fields (`timing`, `group*`,
    `promote_when`) place it among the others: at most a handful are recommended *now*,
    one per 'pick one' group, the rest *later* with the trigger that would promote them.
    """

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
    scope: str = ""
    """Where `verdict` applies ('on the request path'); empty = the whole design."""
    scoped: tuple[ScopedVerdict, ...] = ()
    """The verdict where it differs elsewhere (e.g. recommend off the request path)."""
    timing: Timing = ""
    """For a recommend verdict: 'now' (one of the few to act on) or 'later'."""
    promote_when: str = ""
    """For a verdict not acted on now: the trigger that would make it worth doing."""
    group: str = ""
    """The 'pick one' group (patterns answering the same force), if any."""
    group_force: str = ""
    """The force the group answers."""
    group_step: int = 0
    """Its step in the group's order (1 = start here)."""
    group_plan: str = ""
    """The group's order in words: 'start with ...; move to ... when ...'."""
    notes: tuple[str, ...] = ()
    """What the verdict assumed (defaults it used) and how it sits with the design."""

    def sort_key(self) -> tuple[int, float, float, str]:
        """Now, later, then verdict rank; score (high first), confidence, id."""
        tier = TIER_RANK.get((self.verdict, self.timing), 2 + VERDICT_RANK[self.verdict])
        return (tier, -self.score, -self.confidence, self.pattern)

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
            "scope": self.scope,
            "scoped": [s.to_json() for s in self.scoped],
            "timing": self.timing,
            "promote_when": self.promote_when,
            "group": self.group,
            "group_force": self.group_force,
            "group_step": self.group_step,
            "group_plan": self.group_plan,
            "notes": list(self.notes),
        }
