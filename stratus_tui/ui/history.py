"""Undo/redo over whole design values (the design is immutable, so a value is a snapshot)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.model import Design


@dataclass
class History:
    """Past and future designs with the label of the edit that left each one."""

    limit: int = 500
    past: list[tuple[Design, str]] = field(default_factory=list)
    future: list[tuple[Design, str]] = field(default_factory=list)
    open_label: str | None = None
    """Label of the run of edits still being typed: keystrokes in one field are one step."""

    def record(self, before: Design, label: str, *, coalesce: bool = False) -> None:
        """`before` is about to be replaced by an edit called `label`.

        With `coalesce`, an edit with the same label as the previous one joins it, so
        undo goes back to before the first keystroke of the run.
        """
        self.future.clear()
        if coalesce and self.past and self.open_label == label:
            return
        self.open_label = label if coalesce else None
        self.past.append((before, label))
        del self.past[: -self.limit]

    def undo(self, current: Design) -> tuple[Design, str] | None:
        """The design to go back to (and the label undone), or None when nothing to undo."""
        if not self.past:
            return None
        self.open_label = None
        before, label = self.past.pop()
        self.future.append((current, label))
        return before, label

    def redo(self, current: Design) -> tuple[Design, str] | None:
        """The design to go forward to (and the label redone), or None."""
        if not self.future:
            return None
        self.open_label = None
        after, label = self.future.pop()
        self.past.append((current, label))
        return after, label

    def clear(self) -> None:
        self.past.clear()
        self.future.clear()
        self.open_label = None
