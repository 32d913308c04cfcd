"""The decision engine: three-valued evaluation of pattern rules over the facts.

An unanswered fact makes a leaf *unknown*; `all`/`any`/`not` follow Kleene logic, so an
unknown never crashes and never counts for or against a pattern. Score = weights of the
use rules that hold minus weights of the avoid rules that hold. Unknown rules lower the
confidence and are listed, with the answers that would flip the verdict.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from ..gc_pause import gc_paused
from ..model import Design
from .facts import (
    FACTS,
    SINGLE_REGION_ASSUMPTION,
    FactValue,
    answers_needed,
    facts_of,
    rederive,
)
from .operators import OPERATORS
from .results import Missing, Reason, ScopedVerdict, Verdict, VerdictName
from .schema import SCOPES, AllOf, AnyOf, Criterion, Leaf, NotOf, Pattern, leaves

RECOMMEND_AT = 3.0
"""A score at or above this recommends the pattern."""
AVOID_AT = -2.0
"""A score at or below this says avoid it."""
MAX_NOW = 5
"""At most this many patterns are recommended *now*; the rest wait with their trigger."""

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
    rule: Criterion
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


PERCENT_FACTS = frozenset({"requirements.availability"})
"""Facts in percent: sensitivity moves them along the nines, never by a fraction of 100."""
NINES_LADDER = (90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99, 99.999)
"""Availability targets people actually set; a percentage moves along these."""
NEAR_NINES = 1.0
"""An answered percentage is tried at the targets within this many nines of it."""
NEAR = 0.25
"""An answered number is tried across a rule's threshold within this fraction of it."""
MAX_CHANGES = 8
"""At most this many 'what would change it' lines per verdict."""

ASSUMPTIONS: dict[str, str] = {
    "derived.single_region_meets_target": SINGLE_REGION_ASSUMPTION,
    "derived.single_region_availability": SINGLE_REGION_ASSUMPTION,
}
"""Derived facts that rest on defaults: a verdict that used one says what was assumed."""


def nines(percent: float) -> float:
    """99.9 -> 3.0, 99.95 -> 3.3: availability as a count of nines."""
    if percent >= 100.0:
        return math.inf
    return -math.log10(1.0 - percent / 100.0)


def _scoped_rules(
    pattern: Pattern, scope: str | None
) -> list[tuple[Literal["use", "avoid"], Criterion]]:
    groups: tuple[tuple[Literal["use", "avoid"], tuple[Criterion, ...]], ...] = (
        ("use", pattern.use_when),
        ("avoid", pattern.avoid_when),
    )
    return [
        (kind, rule)
        for kind, rules in groups
        for rule in rules
        if scope is None or rule.scope is None or rule.scope == scope
    ]


def _has_scopes(pattern: Pattern) -> bool:
    return any(r.scope is not None for r in (*pattern.use_when, *pattern.avoid_when))


@dataclass(frozen=True, slots=True)
class _Rating:
    gate: bool | None
    gate_used: tuple[str, ...]
    outs: list[_Outcome]
    verdict: VerdictName
    score: float


def _rate(pattern: Pattern, facts: Facts, scope: str | None) -> _Rating:
    gate, gate_used = (
        (True, ())
        if pattern.applies_when is None
        else evaluate_condition(pattern.applies_when, facts)
    )
    outs = [
        _Outcome(rule, kind, *evaluate_condition(rule.when, facts))
        for kind, rule in _scoped_rules(pattern, scope)
    ]
    verdict, score = decide(gate, _triples(outs))
    return _Rating(gate, gate_used, outs, verdict, score)


# ------------------------------------------------------------------ sensitivity


def _show(value: FactValue) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)


def _answers_behind(pattern: Pattern, scope: str | None) -> dict[str, list[Leaf]]:
    """Every answer the pattern's conditions depend on (derived facts mapped to their
    inputs), with the leaves that test it directly."""
    conds: list[Cond] = [rule.when for _k, rule in _scoped_rules(pattern, scope)]
    if pattern.applies_when is not None:
        conds.insert(0, pattern.applies_when)
    out: dict[str, list[Leaf]] = {}
    for cond in conds:
        for leaf in leaves(cond):
            spec = FACTS[leaf.fact]
            if not spec.derived:
                out.setdefault(leaf.fact, []).append(leaf)
            for name in spec.inputs:
                if not FACTS[name].derived:
                    out.setdefault(name, [])
    return out


def _step(fact: str, limit: float) -> float:
    return 1.0 if FACTS[fact].type == "int" else max(0.01, min(1.0, abs(limit) * 0.01))


def _crossings(fact: str, found: list[Leaf]) -> list[tuple[float, str]]:
    """Values just on each side of every threshold a rule puts on a number."""
    out: list[tuple[float, str]] = []
    for leaf in found:
        limit = leaf.value
        if not isinstance(limit, int | float) or isinstance(limit, bool):
            continue
        step = _step(fact, float(limit))
        if leaf.op in {"gte", "lt"}:
            out += [(float(limit), f">= {limit:g}"), (limit - step, f"< {limit:g}")]
        elif leaf.op in {"gt", "lte"}:
            out += [(limit + step, f"> {limit:g}"), (float(limit), f"<= {limit:g}")]
        elif leaf.op == "eq":
            out.append((float(limit), f"{limit:g}"))
    return out


def _candidates(fact: str, value: FactValue, found: list[Leaf]) -> list[tuple[FactValue, str]]:
    """(new value, how to say it) for one answer, closest first; only nearby values for
    an answered number, and a percentage moves along the nines."""
    spec = FACTS[fact]
    if spec.type == "bool":
        return [(b, _show(b)) for b in ((True, False) if value is None else (not value,))]
    if spec.type == "text":
        options = list(spec.choices) or [
            str(x)
            for leaf in found
            for x in (leaf.value if isinstance(leaf.value, tuple) else (leaf.value,))
            if isinstance(x, str)
        ]
        current = str(value).lower() if value is not None else None
        return [(c, c) for c in dict.fromkeys(options) if c.lower() != current]
    if spec.type == "list":
        have = tuple(str(v).lower() for v in value) if isinstance(value, tuple) else ()
        items = [
            x
            for leaf in found
            if leaf.op in {"contains", "contains_any", "contains_all"}
            for x in (leaf.value if isinstance(leaf.value, tuple) else (leaf.value,))
            if isinstance(x, str) and x.lower() not in have
        ]
        return [((*have, x), f"including {x}") for x in dict.fromkeys(items)]
    number = float(value) if isinstance(value, int | float) else None
    if fact in PERCENT_FACTS:
        ladder = [p for p in NINES_LADDER if number is None or p != number]
        if number is not None:
            ladder = [p for p in ladder if abs(nines(p) - nines(number)) <= NEAR_NINES + 1e-9]
            ladder.sort(key=lambda p: abs(nines(p) - nines(number)))
        return [(p, f"{p:g}") for p in ladder]
    crossings = _crossings(fact, found)
    if number is not None:
        crossings = [
            (c, label)
            for c, label in crossings
            if c != number and abs(c - number) <= max(1.0, NEAR * max(abs(number), abs(c)))
        ]
        crossings.sort(key=lambda item: abs(item[0] - number))
    if spec.type == "int":
        crossings = [(float(int(c)), label) for c, label in crossings if c >= 0]
    return [(int(c) if spec.type == "int" else c, label) for c, label in crossings]


def _say(fact: str, old: FactValue, new: FactValue, label: str, verdict: str) -> str:
    if old is None:
        return f"answer {fact}: {label} would make it {verdict}"
    spec = FACTS[fact]
    if spec.type in {"bool", "text"}:
        return f"if {fact} were {label}, it would become {verdict}"
    if spec.type == "list":
        item = label.removeprefix("including ")
        return f"if {fact} included {item}, it would become {verdict}"
    if fact in PERCENT_FACTS and isinstance(old, int | float) and isinstance(new, int | float):
        delta = round(nines(float(new)) - nines(float(old)), 1)
        word = "nine" if abs(delta) == 1.0 else "nines"
        return f"{fact} {old:g} \u2192 {new:g} ({delta:+g} {word}) would make it {verdict}"
    return f"{fact} {_show(old)} \u2192 {label} would make it {verdict}"


def sensitivity(
    pattern: Pattern, facts: Facts, scope: str | None, current: VerdictName
) -> list[tuple[str, VerdictName]]:
    """Single answers whose change flips the verdict, each said by its type: a boolean or
    choice flipped, a percentage in nines, a number across a nearby threshold; unanswered
    questions last. At most one line per answer and resulting verdict."""
    changes: list[tuple[int, str, VerdictName]] = []
    for fact, found in _answers_behind(pattern, scope).items():
        old = facts.get(fact)
        seen: set[str] = set()
        for new, label in _candidates(fact, old, found):
            flipped = _rate(pattern, rederive({**facts, fact: new}), scope).verdict
            if flipped == current or flipped in seen:
                continue
            seen.add(flipped)
            changes.append((old is None, _say(fact, old, new, label, flipped), flipped))
    changes.sort(key=lambda c: c[0])  # stable: answered first, then in fact order
    return [(text, verdict) for _unanswered, text, verdict in changes[:MAX_CHANGES]]


def _fallback_changes(rating: _Rating, current: VerdictName) -> list[str]:
    """When no single answer flips it: would all the unanswered rules of a kind?"""
    base = _triples(rating.outs)
    for kind in ("use", "avoid"):
        unknown = [o for o in rating.outs if o.kind == kind and o.value is None]
        if len(unknown) < 2:
            continue
        together = [(k, w, True if (v is None and k == kind) else v) for k, w, v in base]
        new, _ = decide(rating.gate, together)
        if new != current:
            needed = _dedup(f for o in unknown for f in o.used)
            return [
                f"answer {', '.join(needed)}: if the unanswered {kind} rules all hold, "
                f"it would become {new}"
            ]
    return []


def _reasons(rating: _Rating, facts: Facts) -> tuple[Reason, ...]:
    fired = sorted((o for o in rating.outs if o.value), key=lambda o: -o.rule.weight)
    return tuple(
        Reason(o.rule.text, o.used, o.kind, o.rule.weight, tuple((f, facts.get(f)) for f in o.used))
        for o in fired
    )


def evaluate(pattern: Pattern, facts: Facts) -> Verdict:
    """The verdict for one pattern given every fact's value.

    A pattern with scoped rules (`scope: request-path | off-request-path`) is rated on
    the request path; where it rates differently off it, that verdict comes along in
    `scoped` and both say where they apply.
    """
    scoped_rules = _has_scopes(pattern)
    main_scope = "request-path" if scoped_rules else None
    rating = _rate(pattern, facts, main_scope)
    verdict, score, outs, gate = rating.verdict, rating.score, rating.outs, rating.gate
    scoped: tuple[ScopedVerdict, ...] = ()
    if scoped_rules:
        off = _rate(pattern, facts, "off-request-path")
        if off.verdict != verdict:
            scoped = (
                ScopedVerdict(
                    SCOPES["off-request-path"], off.verdict, off.score, _reasons(off, facts)
                ),
            )
    reasons = _reasons(rating, facts)
    missing = [Missing(o.rule.text, o.used, o.kind, o.rule.weight) for o in outs if o.value is None]
    if gate is None and pattern.applies_when is not None:
        missing.insert(
            0,
            Missing(
                f"applies when {describe(pattern.applies_when)}",
                rating.gate_used,
                "applies",
                0.0,
            ),
        )
    total = sum(o.rule.weight for o in outs)
    known = sum(o.rule.weight for o in outs if o.value is not None)
    confidence = round(known / total, 2) if total else 1.0
    if gate is False:
        confidence = 1.0  # the gate alone decides
    flips = sensitivity(pattern, facts, main_scope, verdict)
    changes = [text for text, _v in flips] or _fallback_changes(rating, verdict)
    promote = next((text for text, v in flips if v == "recommend"), "")
    used = {a for r in reasons for a in r.answers} | {a for m in missing for a in m.answers}
    notes = [f"Assumed: {ASSUMPTIONS[f]}." for f in sorted(used) if f in ASSUMPTIONS]
    notes = list(dict.fromkeys(notes))
    if scoped:
        notes.append(
            f"Scoped: {verdict} {SCOPES['request-path']}; {scoped[0].verdict} {scoped[0].scope}."
        )
    return Verdict(
        pattern=pattern.id,
        name=pattern.name,
        verdict=verdict,
        score=score,
        reasons=reasons,
        missing=tuple(missing),
        what_would_change=tuple(changes),
        related=tuple((r.id, r.why) for r in pattern.related),
        confidence=confidence,
        summary=pattern.summary,
        scope=SCOPES["request-path"] if scoped else "",
        scoped=scoped,
        promote_when=promote if verdict == "consider" else "",
        notes=tuple(notes),
    )


# ------------------------------------------------------------------ portfolio


def _group_title(members: Sequence[Pattern]) -> str:
    for m in members:
        if m.group is not None and m.group.force:
            return m.group.force
    first = members[0].group
    return first.id.replace("-", " ").capitalize() if first is not None else ""


def group_plan(members: Sequence[Pattern]) -> str:
    """'Start with A: why. Move to B when ...; to C when ....' from the group's data."""
    steps = [m for m in members if m.group is not None]
    if not steps:
        return ""
    first, rest = steps[0], steps[1:]
    assert first.group is not None
    text = f"Start with {first.name}: {first.group.when}."
    moves = [f"to {m.name} when {m.group.when}" for m in rest if m.group is not None]
    if moves:
        text += " Move " + "; ".join(moves) + "."
    text += "".join(
        f" Avoid {m.group.instead_of}." for m in steps if m.group is not None and m.group.instead_of
    )
    return text


def arrange(
    verdicts: Sequence[Verdict], patterns: Mapping[str, Pattern], facts: Facts
) -> list[Verdict]:
    """Place each verdict in the portfolio and sort: recommend-now (at most MAX_NOW, one
    per 'pick one' group), recommend-later with the trigger that would promote it, then
    consider, avoid and not-applicable; by score, confidence and id inside each tier.

    In a group the pick is the furthest-along recommended member whose trigger already
    holds, else the first recommended one ('start with ...'); the others wait.
    """
    by_id = {v.pattern: v for v in verdicts}
    update: dict[str, dict[str, Any]] = {pid: {} for pid in by_id}
    members: dict[str, list[Pattern]] = {}
    for pid in sorted(by_id):
        group = patterns[pid].group if pid in patterns else None
        if group is not None:
            members.setdefault(group.id, []).append(patterns[pid])
    for gid in sorted(members):
        ordered = sorted(members[gid], key=lambda m: (m.group.step if m.group else 0, m.id))
        title, plan = _group_title(ordered), group_plan(ordered)
        recommended = [m for m in ordered if by_id[m.id].verdict == "recommend"]
        triggered = [
            m
            for m in recommended
            if m.group is not None
            and m.group.trigger is not None
            and evaluate_condition(m.group.trigger, facts)[0] is True
        ]
        pick = triggered[-1] if triggered else (recommended[0] if recommended else None)
        for m in ordered:
            assert m.group is not None
            u = update[m.id]
            u.update(group=gid, group_force=title, group_step=m.group.step, group_plan=plan)
            v = by_id[m.id]
            if pick is None or m.id == pick.id or v.verdict not in {"recommend", "consider"}:
                continue
            assert pick.group is not None
            if m.group.step > pick.group.step:
                u["promote_when"] = f"after {pick.name}, when {m.group.when}"
            elif pick in triggered:
                u["promote_when"] = (
                    f"only instead of {pick.name}, whose trigger holds now: {pick.group.when}"
                )
            else:
                u["promote_when"] = (
                    f"only instead of {pick.name}, as the smaller step, when "
                    f"{pick.name} is more than is needed yet"
                )
            if v.verdict == "recommend":
                u["timing"] = "later"
    ranked = sorted(
        (v for v in verdicts if v.verdict == "recommend" and "timing" not in update[v.pattern]),
        key=lambda v: (-v.score, -v.confidence, v.pattern),
    )
    for i, v in enumerate(ranked):
        if i < MAX_NOW:
            update[v.pattern]["timing"] = "now"
            continue
        pattern = patterns.get(v.pattern)
        update[v.pattern]["timing"] = "later"
        update[v.pattern]["promote_when"] = (
            pattern.promote_when
            if pattern is not None and pattern.promote_when
            else f"when the {MAX_NOW} recommended now are in place"
        )
    placed = [replace(v, **update[v.pattern]) if update[v.pattern] else v for v in verdicts]
    return sorted(placed, key=Verdict.sort_key)


def evaluate_all(patterns: Mapping[str, Pattern], facts: Facts) -> list[Verdict]:
    """Every pattern's verdict, placed in the portfolio (see `arrange`) and sorted."""
    by_id = dict(sorted(patterns.items()))  # the evaluation order never matters
    return arrange([evaluate(p, facts) for p in by_id.values()], by_id, facts)


@gc_paused()  # batch work: see gc_pause
def recommend(design: Design, extra_dirs: Iterable[str | Path] = ()) -> list[Verdict]:
    """Apply the pattern library (built-ins, user folder, `extra_dirs`) to `design`."""
    from .library import load_library

    library = load_library(extra_dirs)
    return evaluate_all(library.patterns, facts_of(design))
