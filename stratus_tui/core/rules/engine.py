"""The decision engine: three-valued evaluation of pattern rules over the facts.

An unanswered fact makes a leaf *unknown*; `all`/`any`/`not` follow Kleene logic, so an
unknown never crashes and never counts for or against a pattern. Score = weights of the
use rules that hold minus weights of the avoid rules that hold. Unknown rules lower the
confidence and are listed, with the answers that would flip the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..model import Design
from .facts import FACTS, FactValue, answers_needed, facts_of
from .operators import OPERATORS
from .results import Missing, Reason, Verdict, VerdictName
from .schema import AllOf, AnyOf, Leaf, NotOf, Pattern, Rule, leaves

RECOMMEND_AT = 3.0
"""A score at or above this recommends the pattern."""
AVOID_AT = -2.0
"""A score at or below this says avoid it."""
BORDERLINE = 0.25
"""A number within this fraction of a rule's threshold is 'borderline'."""

Cond = Leaf | AllOf | AnyOf | NotOf
Facts = Mapping[str, FactValue]


def evaluate_condition(cond: Cond, facts: Facts) -> tuple[bool | None, tuple[str, ...]]:
    """(True | False | None for unknown, the facts that decided it, or that are missing)."""
    if isinstance(cond, Leaf):
        op = OPERATORS[cond.op]
        value = facts.get(cond.fact)
        if value is None and op.needs_answer:
            return None, answers_needed(cond.fact, facts)
        return op.fn(value, cond.value), (cond.fact,)
    if isinstance(cond, NotOf):
        inner, used = evaluate_condition(cond.not_, facts)
        return (None if inner is None else not inner), used
    results = [
        evaluate_condition(c, facts) for c in (cond.all_ if isinstance(cond, AllOf) else cond.any_)
    ]
    decisive = isinstance(cond, AnyOf)  # any: one True decides; all: one False decides
    hits = [used for value, used in results if value is decisive]
    unknown = [used for value, used in results if value is None]
    if hits:
        return decisive, _dedup(f for used in hits for f in used)
    if unknown:
        return None, _dedup(f for used in unknown for f in used)
    return not decisive, _dedup(f for _v, used in results for f in used)


def _dedup(items: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))  # type: ignore[call-overload]


def describe(cond: Cond) -> str:
    """A condition as short text: `team.engineers >= 10 and workload.traffic = spiky`."""
    if isinstance(cond, Leaf):
        op = OPERATORS[cond.op]
        if op.shape == "none":
            return f"{cond.fact} {op.symbol}"
        value = cond.value
        shown = (
            f"[{', '.join(str(v) for v in value)}]"
            if isinstance(value, tuple)
            else (str(value).lower() if isinstance(value, bool) else str(value))
        )
        return f"{cond.fact} {op.symbol} {shown}"
    if isinstance(cond, NotOf):
        return f"not ({describe(cond.not_)})"
    glue = " and " if isinstance(cond, AllOf) else " or "
    parts = [
        describe(c) if isinstance(c, Leaf) else f"({describe(c)})"
        for c in (cond.all_ if isinstance(cond, AllOf) else cond.any_)
    ]
    return glue.join(parts)


@dataclass(frozen=True, slots=True)
class _Outcome:
    rule: Rule
    kind: Literal["use", "avoid"]
    value: bool | None
    used: tuple[str, ...]


def decide(
    gate: bool | None, outcomes: Sequence[tuple[Literal["use", "avoid"], float, bool | None]]
) -> tuple[VerdictName, float]:
    """Verdict and score from the rules' truth values (None = unknown, counts as 0)."""
    pro = sum(w for kind, w, v in outcomes if kind == "use" and v)
    con = sum(w for kind, w, v in outcomes if kind == "avoid" and v)
    score = float(round(pro - con, 3))
    if gate is False:
        return "not-applicable", score
    if score >= RECOMMEND_AT:
        return "recommend", score
    if score <= AVOID_AT or (con > 0 and pro == 0):
        return "avoid", score
    if pro or con or any(v is None for _k, _w, v in outcomes):
        return "consider", score
    return "not-applicable", score


def _triples(outs: Sequence[_Outcome]) -> list[tuple[Literal["use", "avoid"], float, bool | None]]:
    return [(o.kind, o.rule.weight, o.value) for o in outs]


def _borderline(rule: Rule, facts: Facts) -> list[str]:
    notes = []
    for leaf in leaves(rule.when):
        if FACTS[leaf.fact].derived:
            continue  # counts over the drawn design are not answers someone hesitates on
        value, limit = facts.get(leaf.fact), leaf.value
        if leaf.op not in {"lt", "lte", "gt", "gte"} or not isinstance(value, int | float):
            continue
        assert isinstance(limit, int | float)
        if abs(value - limit) <= max(1.0, abs(limit) * BORDERLINE):
            notes.append(
                f"{leaf.fact} = {value:g} is close to {OPERATORS[leaf.op].symbol} {limit:g}"
            )
    return notes


def _what_would_change(
    gate_cond: Cond | None,
    gate: bool | None,
    outs: list[_Outcome],
    facts: Facts,
    current: VerdictName,
) -> list[str]:
    changes: list[str] = []
    base = _triples(outs)
    for i, o in enumerate(outs):
        flipped = list(base)
        if o.value is None:
            flipped[i] = (o.kind, o.rule.weight, True)
            new, _ = decide(gate, flipped)
            if new != current:
                changes.append(
                    f"answer {', '.join(o.used)}: if \u201c{o.rule.text}\u201d "
                    f"({describe(o.rule.when)}) holds \u2192 {new}"
                )
            continue
        notes = _borderline(o.rule, facts)
        if notes:
            flipped[i] = (o.kind, o.rule.weight, not o.value)
            new, _ = decide(gate, flipped)
            if new != current:
                state = "no longer holds" if o.value else "holds"
                changes.append(
                    f"{'; '.join(notes)}: if \u201c{o.rule.text}\u201d {state} \u2192 {new}"
                )
    if not changes:
        for kind in ("use", "avoid"):
            if sum(1 for o in outs if o.kind == kind and o.value is None) < 2:
                continue
            together = [(k, w, True if (v is None and k == kind) else v) for k, w, v in base]
            new, _ = decide(gate, together)
            if new != current:
                needed = _dedup(
                    f for o in outs if o.kind == kind and o.value is None for f in o.used
                )
                changes.append(
                    f"answer {', '.join(needed)}: if the unanswered {kind} rules "
                    f"all hold \u2192 {new}"
                )
    if gate is None and gate_cond is not None and current != "not-applicable":
        changes.append(f"if not ({describe(gate_cond)}) \u2192 not-applicable")
    return changes


def evaluate(pattern: Pattern, facts: Facts) -> Verdict:
    """The verdict for one pattern given every fact's value."""
    gate, gate_used = (
        (True, ())
        if pattern.applies_when is None
        else evaluate_condition(pattern.applies_when, facts)
    )
    groups: tuple[tuple[Literal["use", "avoid"], tuple[Rule, ...]], ...] = (
        ("use", pattern.use_when),
        ("avoid", pattern.avoid_when),
    )
    outs = [
        _Outcome(rule, kind, *evaluate_condition(rule.when, facts))
        for kind, rules in groups
        for rule in rules
    ]
    verdict, score = decide(gate, _triples(outs))
    fired = sorted((o for o in outs if o.value), key=lambda o: -o.rule.weight)
    reasons = tuple(
        Reason(o.rule.text, o.used, o.kind, o.rule.weight, tuple((f, facts.get(f)) for f in o.used))
        for o in fired
    )
    missing = [Missing(o.rule.text, o.used, o.kind, o.rule.weight) for o in outs if o.value is None]
    if gate is None and pattern.applies_when is not None:
        missing.insert(
            0, Missing(f"applies when {describe(pattern.applies_when)}", gate_used, "applies", 0.0)
        )
    total = sum(o.rule.weight for o in outs)
    known = sum(o.rule.weight for o in outs if o.value is not None)
    confidence = round(known / total, 2) if total else 1.0
    if gate is False:
        confidence = 1.0  # the gate alone decides
    return Verdict(
        pattern=pattern.id,
        name=pattern.name,
        verdict=verdict,
        score=score,
        reasons=reasons,
        missing=tuple(missing),
        what_would_change=tuple(
            _what_would_change(pattern.applies_when, gate, outs, facts, verdict)
        ),
        related=tuple((r.id, r.why) for r in pattern.related),
        confidence=confidence,
        summary=pattern.summary,
    )


def evaluate_all(patterns: Mapping[str, Pattern], facts: Facts) -> list[Verdict]:
    """Every pattern's verdict, sorted by verdict rank, score (high first), then id."""
    return sorted((evaluate(p, facts) for p in patterns.values()), key=Verdict.sort_key)


def recommend(design: Design, extra_dirs: Iterable[str | Path] = ()) -> list[Verdict]:
    """Apply the pattern library (built-ins, user folder, `extra_dirs`) to `design`."""
    from .library import load_library

    library = load_library(extra_dirs)
    return evaluate_all(library.patterns, facts_of(design))
