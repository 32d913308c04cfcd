"""`stratus diff`: what a change to a design does, not just what it edits (issue 19).

Public API::

    from stratus_tui.core.diff import diff_designs, render
    result = diff_designs(old, new)             # DesignDiff
    text = render(result, "markdown")           # "text" | "markdown" | "json"
    result.fails("error")                       # new unaccepted findings at that level

The structural diff (`structure.py`) says what the change edits and how a rename is
recognised; the consequence diff (`consequences.py`) what it does to verdicts, findings,
flows and cost; `output.py` writes both for a terminal, a pull request or a script;
`git.py` reads a design at a git revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..model import Design
from .consequences import ConsequenceDiff, FindingChange, compute, consequence_diff
from .structure import StructuralDiff, structural_diff

FailLevel = Literal["error", "warning"]
FAIL_SEVERITIES: dict[str, tuple[str, ...]] = {
    "error": ("error",),
    "warning": ("error", "warning"),
}


@dataclass(frozen=True)
class DesignDiff:
    """The whole diff of two designs, with the names they were read from."""

    old_name: str
    new_name: str
    structure: StructuralDiff
    consequences: ConsequenceDiff
    old_design: Design = field(repr=False, compare=False)
    new_design: Design = field(repr=False, compare=False)

    @property
    def empty(self) -> bool:
        """Nothing edited and nothing computed differs."""
        return self.structure.empty and self.consequences.empty

    def failing(self, level: FailLevel = "error") -> tuple[FindingChange, ...]:
        """Unaccepted findings the change opens at `level` or worse."""
        return self.consequences.opened(*FAIL_SEVERITIES[level])

    def fails(self, level: FailLevel = "error") -> bool:
        """True when the change opens an unaccepted finding at `level` or worse (exit 1)."""
        return bool(self.failing(level))

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old_name,
            "new": self.new_name,
            "empty": self.empty,
            "structure": self.structure.to_json(),
            "consequences": self.consequences.to_json(),
        }


def diff_designs(
    old: Design,
    new: Design,
    *,
    old_name: str = "old",
    new_name: str = "new",
    patterns: Sequence[str | Path] = (),
) -> DesignDiff:
    """Compare two designs: what the change edits and what it does."""
    structure = structural_diff(old, new)
    consequences = consequence_diff(
        compute(old, patterns), compute(new, patterns), structure.renames
    )
    return DesignDiff(old_name, new_name, structure, consequences, old, new)


def render(result: DesignDiff, fmt: str) -> str:
    """The diff as `text`, `markdown` (a pull-request comment) or `json`."""
    from . import output as r

    if fmt == "markdown":
        return r.to_markdown(result)
    if fmt == "json":
        return r.to_json(result)
    return r.to_text(result)


__all__ = ["DesignDiff", "FailLevel", "diff_designs", "render"]
