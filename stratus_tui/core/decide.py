"""Accepting or rejecting a pattern: the decision record it writes (issue 15).

The one place that turns the pattern engine's verdict into a `Decision`; the Decide tab
(and any command) calls `decision_from_verdict` and `record_decision`. The record reads
as a reviewer expects:

* **title**: "Adopt X" / "Do not adopt X" (a short title gives a whole-word file slug);
* **context**: the question, then the DISCOVER answers that drove the verdict, cited
  with their values;
* **alternatives** (MADR "Considered Options"): the other patterns of the pattern's
  "pick one" group, and "do nothing" for an acceptance (a rejection keeps the current
  design: the record says so itself). Never the related-pattern notes;
* **rationale**: the strongest reason on the side of the choice, not every reason;
* **consequences**: left to the record, which lists the pattern's forces as
  Good/Bad bullets (a copy here would be written twice).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import edits
from .export.rows import ANSWER_LABELS, answer_text
from .model import Decision, Design

if TYPE_CHECKING:
    from .patterns import PatternLibrary, Verdict

DO_NOTHING = "Do nothing (keep the current design)"
"""The option an acceptance always weighs against."""


def group_alternatives(pattern_id: str, library: PatternLibrary | None) -> list[str]:
    """Names of the other patterns of `pattern_id`'s 'pick one' group, in group order."""
    pattern = library.patterns.get(pattern_id) if library is not None else None
    if library is None or pattern is None or pattern.group is None:
        return []
    gid = pattern.group.id
    members = sorted(
        (p.group.step, p.id, p.name)
        for p in library.patterns.values()
        if p.group is not None and p.group.id == gid and p.id != pattern_id
    )
    return [name for _, _, name in members]


def cited_answers(verdict: Verdict) -> list[tuple[str, str]]:
    """(label, value) of the DISCOVER answers the verdict's reasons used, first use first.

    Facts computed from the topology (`design.*`) are not answers: the drivers list them.
    """
    seen: dict[str, str] = {}
    for reason in verdict.reasons:
        for name, value in reason.values:
            label = ANSWER_LABELS.get(name)
            if label is not None and label not in seen:
                seen[label] = answer_text(value)
    return list(seen.items())


def _context(design: Design, verdict: Verdict) -> str:
    """The question, the force at stake, the answers behind the verdict (the record adds
    the verdict itself and whether it agrees with the status)."""
    question = f"Should {design.name} adopt {verdict.name}?"
    force = verdict.group_force.strip()
    if force:
        question += f" The force at stake: {force.rstrip('.')}."
    answers = cited_answers(verdict)
    if answers:
        cited = "; ".join(f"{label}: {value}" for label, value in answers)
        return f"{question}\n\nThe DISCOVER answers that drove the verdict: {cited}."
    return f"{question}\n\nNo DISCOVER answer drove the verdict: the design's topology did."


def _strongest(verdict: Verdict, kind: str) -> str | None:
    reasons = [r for r in verdict.reasons if r.kind == kind]
    if not reasons:
        return None
    best = max(reasons, key=lambda r: float(r.weight))
    return best.text.strip().rstrip(".") or None


def _rationale(verdict: Verdict, accept: bool) -> str | None:
    """The strongest reason on the side of the choice (the drivers list the rest)."""
    reason = _strongest(verdict, "use" if accept else "avoid")
    if reason is not None:
        return reason
    if accept:
        return None
    return f"STRATUS rates it {verdict.verdict} and no reason for it applies to this design"


def decision_from_verdict(
    design: Design,
    verdict: Verdict,
    accept: bool,
    library: PatternLibrary | None = None,
    today: dt.date | None = None,
) -> Decision:
    """The decision a reviewer's accept (or reject) of `verdict` records.

    `library` is the pattern library (loaded when None; a library that cannot load
    gives no group alternatives) for the 'pick one' group;
    `today` is the decision's date (the caller's clock: the core never reads it).
    """
    if library is None:
        from .patterns import load_library
        from .problems import DesignError

        try:
            library = load_library()
        except DesignError:  # a broken user pattern file: the decision is still recorded
            library = None
    pattern = verdict.pattern
    name = verdict.name
    alternatives = group_alternatives(pattern, library)
    if accept:
        alternatives.append(DO_NOTHING)
    return Decision(
        id=edits.next_decision_id(design),
        title=f"Adopt {name}" if accept else f"Do not adopt {name}",
        pattern=pattern,
        status="accepted" if accept else "rejected",
        date=today,
        context=_context(design, verdict),
        rationale=_rationale(verdict, accept),
        alternatives=tuple(alternatives),
    )


def record_decision(design: Design, decision: Decision) -> Design:
    """Add `decision`, or update the existing record about the same pattern: its status
    and date follow the new verdict; what a person wrote in it (title, context, rationale,
    options) is kept, and only empty fields are filled."""
    existing = next(
        (d for d in design.decisions if d.pattern and d.pattern == decision.pattern), None
    )
    if existing is None:
        return edits.add_decision(design, decision)
    changes: dict[str, Any] = {"status": decision.status, "date": decision.date or existing.date}
    generated_titles = {f"Adopt {n}" for n in _names(existing, decision)} | {
        f"Do not adopt {n}" for n in _names(existing, decision)
    }
    if existing.title in generated_titles:
        changes["title"] = decision.title
    for field in ("context", "rationale", "alternatives"):
        if not getattr(existing, field):
            changes[field] = getattr(decision, field)
    return edits.update_decision(design, existing.id, **changes)


def _names(existing: Decision, new: Decision) -> set[str]:
    """The pattern names the generated titles of both records use."""
    out = set()
    for title in (existing.title, new.title):
        for prefix in ("Do not adopt ", "Adopt "):
            if title.startswith(prefix):
                out.add(title[len(prefix) :])
                break
    return out
