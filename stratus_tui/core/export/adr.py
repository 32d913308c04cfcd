"""Decision records: one MADR 4 file per key decision, `NNNN-slug.md`.

Front matter (status, date, decision-makers), Context and Problem Statement (the
decision's context, else the design's, and the pattern engine's verdict for this
design), Decision Drivers (the rules that fired, with the answers they used), Considered
Options (the chosen option and the decision's alternatives), Decision Outcome,
Consequences and Pros and Cons (from the pattern's forces; an alternative that names a
library pattern gets that pattern's forces too), More Information (the pattern's
related patterns and references). A rejected decision keeps the current design as the
chosen option: its consequences are the pattern's cons avoided and its pros given up. Rendered from
`stratus_tui/templates/adr.md.j2`. The number is the decision's position in the design;
the slug comes from its title and can never leave the decisions folder.
"""

from __future__ import annotations

from typing import Any

from ..escape import adr_filename
from ..model import Decision, Design

TEMPLATE_NAME = "adr.md.j2"


def _because(text: str) -> str:
    """'No locks needed' -> 'no locks needed', 'A relay to run' -> 'a relay to run'
    (keeps 'ACID ...', 'gRPC ...', 'I/O ...'): the text follows "because"."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    if first == "A" or (len(first) > 1 and first[0].isupper() and first[1:].islower()):
        return text[0].lower() + text[1:]
    return text


def _sentence(text: str | None) -> str | None:
    """`text` ending with a full stop (or its own ?/!/.)."""
    if text is None:
        return None
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _fact_label(name: str) -> str:
    """A fact as a reader names it: a DISCOVER answer's label, else 'async dependencies'."""
    from .rows import ANSWER_LABELS

    label = ANSWER_LABELS.get(name)
    if label is not None:
        return label
    return name.split(".", 1)[-1].replace("_", " ")


def _lines(text: str | None) -> list[str]:
    """A free-text field as list items: one per non-empty line."""
    if not text:
        return []
    return [line.strip().lstrip("-*").strip() for line in text.splitlines() if line.strip()]


def _rationale(text: str | None) -> str | None:
    """The rationale as the end of "..., because ...": a leading "Because" is dropped."""
    if text is None:
        return None
    text = text.strip()
    if text[:8].lower() == "because ":
        text = text[8:].lstrip()
    return _because(text) if text else None


def decision_numbers(design: Design) -> dict[str, int]:
    """The record number (1-based position) of each decision id."""
    numbers: dict[str, int] = {}
    for i, d in enumerate(design.decisions, start=1):
        numbers.setdefault(d.id, i)
    return numbers


def _status(decision: Decision, numbers: dict[str, int]) -> str:
    if decision.status == "superseded" and decision.superseded_by:
        n = numbers.get(decision.superseded_by)
        target = f"ADR-{n:04d}" if n is not None else decision.superseded_by
        return f"superseded by {target}"
    return decision.status


def _answer(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _drivers(verdict: Any) -> list[dict[str, str]]:
    """The engine's fired rules as decision drivers: for or against, with the answers."""
    out = []
    for r in verdict.reasons:
        answers = "; ".join(f"{_fact_label(k)}: {_answer(v)}" for k, v in r.values)
        out.append(
            {"side": "For" if r.kind == "use" else "Against", "text": r.text, "answers": answers}
        )
    return out


def _agreement(decision: Decision, verdict: Any) -> str | None:
    """How the record's status compares with the engine's verdict, when it says anything."""
    adopted = decision.status in ("accepted", "proposed")
    if adopted and verdict.verdict == "avoid":
        return "disagrees"
    if decision.status == "rejected" and verdict.verdict == "recommend":
        return "disagrees"
    if (adopted and verdict.verdict == "recommend") or (
        decision.status == "rejected" and verdict.verdict == "avoid"
    ):
        return "agrees"
    return None


def _alternative(text: str, library: Any) -> Any:
    """The library pattern an alternative names (by id or name), if any."""
    key = text.strip().lower()
    for p in library.patterns.values():
        if key in (p.id.lower(), p.name.lower()):
            return p
    return None


def _record_context(
    decision: Decision,
    design: Design,
    library: Any,
    numbers: dict[str, int],
    number: int,
    facts: Any = None,
) -> dict[str, Any]:
    pattern = library.patterns.get(decision.pattern) if decision.pattern else None
    chosen = pattern.name if pattern is not None else decision.title
    verdict = None
    # a pattern without rules has nothing to say about this design
    if pattern is not None and facts is not None and (pattern.use_when or pattern.avoid_when):
        from ..patterns import evaluate

        verdict = evaluate(pattern, facts)
    alternatives = []
    for a in decision.alternatives:
        if a == chosen:
            continue
        other = _alternative(a, library)
        alternatives.append(
            {
                "name": a,
                "pros": [_because(x) for x in other.forces.pros] if other is not None else [],
                "cons": [_because(x) for x in other.forces.cons] if other is not None else [],
            }
        )
    related = []
    if pattern is not None:
        for rel in pattern.related:
            other = library.patterns.get(rel.id)
            related.append({"name": other.name if other is not None else rel.id, "why": rel.why})
    return {
        "number": number,
        "design": design,
        "decision": decision,
        "status": _status(decision, numbers),
        "chosen": chosen,
        "options": [chosen, *[a["name"] for a in alternatives]],
        "alternatives": alternatives,
        "rejected": decision.status == "rejected",
        "verdict": verdict,
        "drivers": _drivers(verdict) if verdict is not None else [],
        "agreement": _agreement(decision, verdict) if verdict is not None else None,
        "pattern": pattern,
        "pros": [_because(p) for p in pattern.forces.pros] if pattern is not None else [],
        "cons": [_because(c) for c in pattern.forces.cons] if pattern is not None else [],
        "related": related,
        "rationale": _sentence(_rationale(decision.rationale)),
        "consequence_items": _lines(decision.consequences),
    }


def decision_records(design: Design, library: Any = None) -> dict[str, str]:
    """File name -> MADR Markdown for every decision, in the design's order.

    `library` is a `core.patterns.PatternLibrary` (loaded here when None) that gives each
    decision's pattern its name, forces and related patterns.
    """
    if not design.decisions:
        return {}
    if library is None:
        from ..patterns import load_library

        library = load_library()
    from ..patterns import facts_of
    from .document import environment, templates_dir

    template = environment(templates_dir(), sandboxed=False).get_template(TEMPLATE_NAME)
    numbers = decision_numbers(design)
    facts = facts_of(design)
    records: dict[str, str] = {}
    for number, decision in enumerate(design.decisions, start=1):
        context = _record_context(decision, design, library, numbers, number, facts)
        text = str(template.render(context)).rstrip("\n") + "\n"
        records[adr_filename(number, decision.title)] = text
    return records


def decision_records_names(design: Design) -> list[str]:
    """The record file names, without rendering the records."""
    return [adr_filename(i, d.title) for i, d in enumerate(design.decisions, start=1)]
