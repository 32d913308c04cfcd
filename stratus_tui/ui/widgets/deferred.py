"""Compute-from-the-design for panes that are not always on screen.

A pane that shows something derived from the design (verdicts, findings, figures)
computes only while it is on screen, at most once per burst of edits: the first edit
after a quiet spell computes at once, later ones in the burst are folded into one
computation when typing pauses. Hidden panes only note that they are stale and catch
up when shown. This keeps typing free of work nobody can see.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.widget import Widget

if TYPE_CHECKING:
    from ...core.model import Design

QUIET = 0.15
"""Seconds of calm after which an edit is computed immediately."""


def on_screen(widget: Widget) -> bool:
    """True when `widget`'s screen is the active one and no ancestor is hidden."""
    try:
        if not widget.screen.is_current:
            return False
    except Exception:  # not mounted yet / already removed
        return False
    node: Any = widget
    while isinstance(node, Widget):
        if not node.display:
            return False
        node = node.parent
    return True


class Deferred:
    """Mixin: implement `compute(design)`; call `design_changed` from a design watcher."""

    _deferred_timer: Timer | None = None
    _deferred_stale: bool = True
    _deferred_last: float = 0.0

    def compute(self, design: Design) -> Any:
        raise NotImplementedError

    def design_changed(self, _design: object = None) -> None:
        """Note a new design: compute now after a quiet spell, else once edits pause."""
        self._note_design(trailing=False)

    def design_changed_later(self) -> None:
        """Note a new design: compute once edits pause (work that may lag a keystroke)."""
        self._note_design(trailing=True)

    def _note_design(self, *, trailing: bool) -> None:
        self._deferred_stale = True
        widget: Any = self
        if not on_screen(widget):
            return
        if self._deferred_timer is not None:
            self._deferred_timer.reset()
        elif not trailing and time.monotonic() - self._deferred_last > QUIET:
            self._run_now()
        else:
            self._deferred_timer = widget.set_timer(QUIET, self._run_now)

    def result_is_current(self, design: Design) -> bool:
        """Call first when a worker's result arrives: is it still worth showing?

        False (and the pane marked stale, so it computes again when it can) when the
        pane left the DOM or the design changed while the worker ran: a result for an
        older design must not overwrite what a newer one shows.
        """
        widget: Any = self
        if not widget.is_attached:
            return False
        if getattr(widget.app, "design", None) is not design:
            self._deferred_stale = True
            if self._deferred_timer is None:
                self.refresh_if_stale()
            return False
        return True

    def mark_computed(self) -> None:
        """The current design's result is shown already (computed elsewhere)."""
        self._deferred_stale = False
        self._deferred_last = time.monotonic()

    def refresh_if_stale(self) -> None:
        """Call when the pane comes on screen."""
        if self._deferred_stale and on_screen(self):  # type: ignore[arg-type]
            self._run_now()

    def _run_now(self) -> None:
        if self._deferred_timer is not None:
            self._deferred_timer.stop()
        self._deferred_timer = None
        design = getattr(getattr(self, "app", None), "design", None)
        if design is None:
            return
        self._deferred_stale = False
        self._deferred_last = time.monotonic()
        self.compute(design)
