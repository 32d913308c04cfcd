"""Accepting or rejecting a pattern in a design file: the record the Decide pane makes
(`core/decide.py`), saved with the file's comments kept."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import ActionError

if TYPE_CHECKING:
    import datetime as dt

    from ..model import Decision
    from ..patterns import Verdict

SCOPE_NAMES: tuple[str, ...] = ("request-path", "off-request-path")
"""Where a pattern with scoped rules is rated; the engine's main verdict is the first."""


@dataclass(frozen=True)
class DecideOutcome:
    """What was recorded: the decision as saved, the record it updated (None when new),
    and the file it saved."""

    decision: Decision
    previous: Decision | None
    path: Path


def scoped_verdict(verdict: Verdict, scope: str | None) -> Verdict:
    """`verdict` as rated in `scope`: the off-request-path rating replaces the main one
    when the engine gave it (it differs there); otherwise the verdict holds everywhere."""
    if scope is None or scope == SCOPE_NAMES[0]:
        return verdict
    if scope not in SCOPE_NAMES:
        choices = ", ".join(SCOPE_NAMES)
        raise ActionError(f"no scope {scope!r}; choose one of: {choices}", usage=True)
    other = next(iter(verdict.scoped), None)
    if other is None:
        return verdict
    return dataclasses.replace(
        verdict,
        verdict=other.verdict,
        score=other.score,
        reasons=other.reasons,
        scope=other.scope,
        scoped=(),
    )


def decide_pattern(
    path: str | Path,
    pattern_id: str,
    *,
    accept: bool = True,
    scope: str | None = None,
    today: dt.date | None = None,
) -> DecideOutcome:
    """Record the acceptance (or rejection) of `pattern_id` in the design at `path`.

    The decision is the Decide pane's (`decision_from_verdict`, `record_decision`): a
    record about the same pattern is updated (status and date follow, what a person wrote
    is kept). `today` is the decision's date (the caller's clock). Raises DesignError for
    a file that does not load or a broken pattern library; ActionError for an unknown
    pattern (with a did-you-mean), a repeat (a record about the pattern with that status
    already), a file changed on disk meanwhile, or a failed write.
    Nothing is written on any error.
    """
    from ..decide import decision_from_verdict, record_decision
    from ..patterns import recommend
    from ..problems import did_you_mean
    from ..store.design_file import ExternalChangeError, open_document, save_document

    p = Path(path)
    doc = open_document(p, lazy=True)  # the tree, if the save needs one (`with_tree`)
    design = doc.design
    verdicts = recommend(design)
    verdict = next((v for v in verdicts if v.pattern == pattern_id), None)
    if verdict is None:
        hint = did_you_mean(pattern_id, [v.pattern for v in verdicts])
        raise ActionError(f"no pattern {pattern_id!r}{hint}; `stratus recommend {p}` lists them")
    verdict = scoped_verdict(verdict, scope)
    previous = next((d for d in design.decisions if d.pattern == pattern_id), None)
    status = "accepted" if accept else "rejected"
    if previous is not None and previous.status == status:
        # a repeat: the record already says so (a flip updates it, as the pane does)
        raise ActionError(
            f"{p}: decision {previous.id} already records {pattern_id} as {status};"
            " nothing was written"
        )
    decision = decision_from_verdict(design, verdict, accept, today=today)  # as the pane
    edited = record_decision(design, decision)
    saved = next(d for d in edited.decisions if d.pattern == pattern_id)
    try:
        save_document(doc, edited)
    except ExternalChangeError:
        raise ActionError(f"{p}: changed on disk while deciding; nothing was written") from None
    except OSError as exc:  # read-only folder, disk full, another save holds the lock
        raise ActionError(f"{p}: cannot write: {exc.strerror or exc}") from None
    return DecideOutcome(saved, previous, p)


def decide_summary(outcome: DecideOutcome, shown: str) -> str:
    """The line both front ends show: `recorded decision ID: TITLE (STATUS) in FILE`, or
    `updated ...` (with the status it had) when a record about the pattern flipped."""
    d = outcome.decision
    if outcome.previous is None:
        return f"recorded decision {d.id}: {d.title} ({d.status}) in {shown}"
    return (
        f"updated decision {d.id}: {d.title} ({d.status}, was {outcome.previous.status}) in {shown}"
    )
