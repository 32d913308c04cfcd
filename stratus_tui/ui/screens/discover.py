"""DISCOVER: the questionnaire beside the pattern verdicts it drives."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ...core.discovery import QUESTIONS
from ..messages import DesignEdited, post_edit
from ..optional import explain_verdict, verdict_label, verdicts_or_problem
from ..widgets.deferred import Deferred
from ..widgets.fit_table import FitTable, Row
from ..widgets.form import ModelForm
from ..widgets.reasons import ReasonsView
from .base import WorkbenchScreen

if TYPE_CHECKING:
    from ...core.model import Design
    from ...core.patterns import Verdict


REST_DELAY = 1.0
"""Seconds after the design is shown by which the questions below the fold are built
even if no verdict has come (they normally follow the first verdicts at once)."""


def verdict_key(v: Verdict) -> tuple[str, float]:
    return v.verdict, float(v.score)


class DiscoverScreen(Deferred, WorkbenchScreen):
    """Answer questions on the left; watch the verdicts move on the right."""

    TITLE_TEXT = "DISCOVER"
    BINDINGS: ClassVar = []

    def __init__(self) -> None:
        super().__init__()
        self.previous: dict[str, tuple[str, float]] = {}
        self.changed: set[str] = set()
        self.verdicts: list[Verdict] = []
        self._rest_timer_set = False

    def compose_body(self) -> ComposeResult:
        # `stratus FILE` draws this screen before the file is read (see app.py).
        self._waited_for_design = self.stratus.loading is not None
        with Horizontal(id="discover-body"):
            design = self.design
            # The questions below the fold are built once the first verdicts are shown
            # (`_build_rest`): building them competed with reading the file and with the
            # pattern engine for the interpreter, and delayed the first filled frame
            # (`stratus FILE`, 1,000 services). A key or click first builds them.
            yield ModelForm(
                list(QUESTIONS),
                model=design.discovery if design else None,
                id="answers",
                hold_rest=True,
            )
            with Vertical(id="verdict-pane"):
                yield Static("Pattern verdicts", classes="pane-title")
                # The name first, as wide as the pane allows: readable at 80 columns.
                yield FitTable("pattern", [("verdict", 15), ("score", 5)], id="verdicts")
                yield ReasonsView(id="reasons")

    def on_mount(self) -> None:
        self.watch(self.app, "design", self._design_changed, init=True)
        if self.design is None and self.stratus.loading is None:
            self.call_after_refresh(self._build_rest)  # no design coming: nothing to wait for

    def before_input(self) -> Awaitable[None] | None:
        # Tab, scrolling and clicks must find every question where it always is.
        form = self.query_one("#answers", ModelForm)
        return None if form.rest_built.is_set() else form.build_rest()

    def _build_rest(self) -> None:
        form = self.query_one("#answers", ModelForm)
        if not form.rest_built.is_set():
            # A worker: the screen's messages go on while they mount. The method, not a
            # coroutine: none is left unawaited if the app ends before the worker starts.
            # (Textual's run_worker types a coroutine function's result as Never.)
            self.run_worker(form.build_rest, group="questions", description="questions")  # type: ignore[arg-type]

    def _build_rest_after_frame(self) -> None:
        # Not `call_after_refresh`: the table takes its rows in its own task, and the
        # screen could run the callback before the frame that shows them.
        if not self.query_one("#answers", ModelForm).rest_built.is_set():
            self.stratus.after_frame(self._build_rest)

    def _design_changed(self, design: Design | None) -> None:
        if design is None:
            return
        self.query_one("#answers", ModelForm).load(design.discovery)
        if not self._rest_timer_set:
            # A fallback: the verdicts may not come (DISCOVER left before they are computed).
            self._rest_timer_set = True
            self.set_timer(REST_DELAY, self._build_rest)
        early = self.stratus.take_verdicts(design)
        if isinstance(early, (list, str)) and not self.verdicts:
            # Computed by the child that read the file (`stratus FILE`): shown with the
            # answers, one layout pass instead of three.
            self.mark_computed()
            self._show_verdicts(early, design)
        elif self._waited_for_design and not self.verdicts:
            # The design arrived after the first frame (`stratus FILE`): nothing to
            # wait for, and the verdicts are what is missing from the screen.
            self.design_changed()
        else:
            # After the frame: the first paint never waits for the pattern engine.
            self.call_after_refresh(self.design_changed)

    def on_screen_resume(self) -> None:
        self.refresh_if_stale()

    @on(ModelForm.Edited, "#answers")
    def _answered(self, event: ModelForm.Edited) -> None:
        design = self.design
        if design is None:
            return
        from ...core import edits

        name, value = event.name, event.value
        try:
            edited = DesignEdited.made(
                design,
                lambda d: edits.set_discovery(d, name, value),
                f"answer {name}",
                coalesce=True,
            )
        except edits.EditError as exc:
            if not event.revert:
                event.form.refuse(event.name, str(exc))
            return
        post_edit(self, edited)

    @work(thread=True, exclusive=True, group="verdicts", description="verdicts")
    def compute(self, design: Design) -> None:
        verdicts = verdicts_or_problem(design)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_verdicts, verdicts, design)

    def _show_verdicts(self, verdicts: list[Verdict] | str | None, design: Design) -> None:
        if not self.result_is_current(design):
            return
        # After the frame that shows them: the rest of the questions are below the fold.
        self._build_rest_after_frame()
        table = self.query_one("#verdicts", FitTable)
        if verdicts is None or isinstance(verdicts, str):
            table.set_rows([], [])
            self.query_one("#reasons", ReasonsView).update(
                verdicts or "The pattern engine is not available."
            )
            return
        now = {str(v.pattern): verdict_key(v) for v in verdicts}
        if self.previous:
            changed = {p for p, k in now.items() if self.previous.get(p) != k}
            if changed:
                self.changed = changed
        self.previous = now
        self.verdicts = verdicts
        warning = self.app.theme_variables.get("warning", "yellow")
        names: list[Text] = []
        rows: list[Row] = []
        for v in verdicts:
            moved = v.pattern in self.changed
            style = f"bold {warning}" if moved else ""
            names.append(Text(f"{'◆ ' if moved else ''}{v.name}", style=style))
            verdict = Text(verdict_label(v), style=style)
            rows.append(((verdict, f"{float(v.score):.0f}"), str(v.pattern)))
        table.set_rows(names, rows)
        self._show_reasons(table.cursor_row)

    @on(DataTable.RowHighlighted, "#verdicts")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        self._show_reasons(event.cursor_row)

    def _show_reasons(self, row: int) -> None:
        if not 0 <= row < len(self.verdicts):
            return
        v = self.verdicts[row]
        note = "◆ changed by the last answer\n" if v.pattern in self.changed else ""
        self.query_one("#reasons", ReasonsView).update(note + explain_verdict(v))
