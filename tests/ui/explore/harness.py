"""Drive the real workbench through a list of actions and check it after every step.

One `Session` is one Pilot run of `make_app(path)`. After each action it waits on the app's
own events (messages processed, workers finished), flushes the pending autosave through
`save_now`, and checks:

- no unhandled exception reached the app (its exception path is hooked, so the failure
  carries the traceback and the steps that led to it), and the app is still running;
- the file on disk validates (`load_design`) before and after the flush;
- the file holds exactly the app's design, and every change since opening is in the undo
  history (the oldest "before" of the history is the design as opened);
- every form field on screen shows the file's value for the item the table highlights,
  except fields being typed into (in an error state, or focused): while one of those
  disagrees with the file, the header must not say "saved".

At the end, undo is run until the history is empty, the save is flushed, and the file
must hold its original bytes again.
"""

from __future__ import annotations

import asyncio
import os
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from textual.css.query import NoMatches
from textual.pilot import OutOfBounds, Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, Input, Select, Static

from stratus_tui.core.model import Design
from stratus_tui.core.problems import DesignError
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.app import StratusApp, make_app
from stratus_tui.ui.widgets.collection import CollectionPane
from stratus_tui.ui.widgets.deferred import on_screen
from stratus_tui.ui.widgets.form import ModelForm, ParseError, get_path, parse
from stratus_tui.ui.widgets.list_field import ListField

from .actions import Action, Click, Palette, Press, Type

STEP_TIMEOUT = 120.0
"""A step that has not finished after this long is a hang (a guard, not a wait)."""


class ExploreFailure(AssertionError):
    """An invariant broke; the message names the step and replays the steps so far."""


@contextmanager
def working_dir(folder: Path) -> Iterator[None]:
    """Run in `folder`: relative paths typed into the app (EXPORT's folder) stay in it."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _parsed(spec: Any, text: str) -> tuple[bool, Any]:
    try:
        return True, parse(spec, text)
    except ParseError:
        return False, None


@dataclass
class FieldState:
    """One form field as shown, against the file."""

    where: str
    name: str
    shown: Any
    expected: Any
    typing: bool
    """In an error state or focused: the user may be part-way through typing it."""


@dataclass(repr=False)  # pytest prints `self` in tracebacks: not the whole app and design
class Session:
    app: StratusApp
    pilot: Pilot[None]
    steps: list[Action] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    path: Path | None = None
    baseline_bytes: bytes | None = None
    baseline_design: Design | None = None

    # ------------------------------------------------------------------ waiting

    async def settle(self) -> None:
        """Let messages and workers finish (the app's own events; no wall-clock sleeps)."""
        await self.pilot.pause()
        for _ in range(10):  # a worker's result may start another (verdicts, diagram)
            if not self.app.workers:
                return
            await self.app.workers.wait_for_complete()
            await self.pilot.pause()

    async def flush(self) -> None:
        """Write any pending autosave now, through the app's own save."""
        await self.app.workers.wait_for_complete()
        if self.app.dirty and self.app.design is not None and self.app.document is not None:
            self.app.save_now()
            await self.settle()

    # ------------------------------------------------------------------ acting

    async def perform(self, action: Action) -> None:
        pilot = self.pilot
        if isinstance(action, Press):
            await pilot.press(action.key)
        elif isinstance(action, Type):
            await pilot.press(*action.text)
        elif isinstance(action, Palette):
            await pilot.press("ctrl+p")
            await self.settle()
            await pilot.press(*action.command)
            await self.settle()
            await pilot.press("enter")
        elif isinstance(action, Click):
            width, height = self.app.size
            offset = (action.x % width, action.y % height)
            try:
                if action.double:
                    await pilot.double_click(offset=offset)
                else:
                    await pilot.click(offset=offset)
            except OutOfBounds:
                pass
        await self.settle()

    def fail(self, problem: str) -> ExploreFailure:
        step = len(self.steps)
        replay = ",\n    ".join(repr(a) for a in self.steps)
        return ExploreFailure(
            f"after step {step} ({self.steps[-1]!r}): {problem}\nreplay: [\n    {replay},\n]"
            if self.steps
            else f"on opening: {problem}"
        )

    # ------------------------------------------------------------------ checking

    def check_alive(self) -> None:
        if self.crashes:
            raise self.fail("unhandled exception in the app:\n" + self.crashes[0])
        if self.app._exception is not None:  # raised before the hook saw it
            exc = self.app._exception
            text = "".join(traceback.format_exception(exc))
            raise self.fail("unhandled exception in the app:\n" + text)
        if not self.app.is_running:
            raise self.fail(f"the app exited (return code {self.app.return_code})")

    def _load(self, path: Path, when: str) -> Design:
        try:
            return load_design(path)
        except DesignError as exc:
            raise self.fail(f"the file on disk does not validate {when}:\n{exc}") from None

    def opened(self) -> None:
        """A document was (re)opened: the undo history starts again from it."""
        doc = self.app.document
        if doc is None:
            return
        self.path = doc.path
        self.baseline_design = self.app.design
        # A new file is written by the first save after opening: its bytes are taken then.
        self.baseline_bytes = doc.path.read_bytes() if doc.digest is not None else None

    def _baseline_bytes(self) -> None:
        path = self.path
        if self.baseline_bytes is not None or path is None or self.app.history.past:
            return
        if path.exists() and self.app.design == self.baseline_design:
            self.baseline_bytes = path.read_bytes()

    async def check(self) -> None:
        self.check_alive()
        if self.path is None or self.app.design is None:
            return
        if self.path.exists():
            self._load(self.path, "before the pending save")
        await self.flush()
        self._baseline_bytes()
        self.check_alive()
        on_disk = self._load(self.path, "after saving")
        design = self.app.design
        if on_disk != design:
            raise self.fail("the file differs from the design the app holds after a save")
        history = self.app.history
        first = history.past[0][0] if history.past else design
        if first != self.baseline_design:
            raise self.fail("the design changed without an undo step for it")
        self.check_fields(on_disk)

    # ------------------------------------------------------------------ fields

    def _workbench_screen(self) -> Screen[Any] | None:
        for screen in reversed(self.app.screen_stack):
            if not isinstance(screen, ModalScreen):
                found: Screen[Any] = screen
                return found
        return None

    def _form_states(
        self, form: ModelForm, model: BaseModel | None, where: str
    ) -> list[FieldState]:
        states: list[FieldState] = []
        focused = self.app.focused
        for spec in form.specs:
            if spec.name not in form._built:
                continue
            try:
                widget = form._widget(spec.name)
            except NoMatches:
                continue
            expected = get_path(model, spec.name)
            typing = widget.has_class("-invalid") or widget is focused
            if isinstance(widget, Select):
                shown = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, ListField):
                shown = widget.items
                expected = tuple(expected or ())
            elif isinstance(widget, Input):
                ok, value = _parsed(spec, widget.value)
                shown = value if ok else widget.value
                typing = typing or not ok
            else:
                continue
            states.append(FieldState(where, spec.name, shown, expected, typing))
        return states

    def _pane_states(self, pane: CollectionPane, design: Design) -> list[FieldState]:
        from stratus_tui.ui.panes.services import ServicesPane

        where = f"{pane.collection.section} pane"
        items = pane.items(design)
        table = pane.table
        keys = [str(k.value) for k in table.rows]
        ids = [x.id for x in items]
        if keys != ids:
            raise self.fail(f"{where}: the table lists {keys}, the file has {ids}")
        highlighted = ids[table.cursor_row] if ids and 0 <= table.cursor_row < len(ids) else None
        item = next((x for x in items if x.id == highlighted), None)
        states = self._form_states(pane.form, item, f"{where} ({highlighted})")
        if isinstance(pane, ServicesPane):
            deps = pane.deps_table
            rows = [str(i) for i, d in enumerate(design.dependencies) if d.from_ == highlighted]
            shown_rows = [str(k.value) for k in deps.rows]
            if shown_rows != rows:
                raise self.fail(
                    f"dependencies of {highlighted}: the table lists rows {shown_rows}, "
                    f"the file has {rows}"
                )
            dep = None
            if rows and 0 <= deps.cursor_row < len(rows):
                dep = design.dependencies[int(rows[deps.cursor_row])]
            label = f"dependency form ({dep.from_}->{dep.to})" if dep else "dependency form (none)"
            # Only while it is on screen: hidden, it is emptied and not refilled per key
            # (it is loaded when the dependencies table takes the focus).
            if pane.query_one(ContentSwitcher).current == "dependency-form":
                states += self._form_states(pane.dep_form, dep, label)
        return states

    def field_states(self, design: Design) -> list[FieldState]:
        from stratus_tui.core.storm import board as storm
        from stratus_tui.ui.screens.architect import ArchitectScreen
        from stratus_tui.ui.screens.discover import DiscoverScreen
        from stratus_tui.ui.screens.storm import StormScreen

        screen = self._workbench_screen()
        if isinstance(screen, DiscoverScreen):
            form = screen.query_one("#answers", ModelForm)
            return self._form_states(form, design.discovery, "DISCOVER")
        if isinstance(screen, ArchitectScreen):
            states: list[FieldState] = []
            for pane in screen.query(CollectionPane):
                if on_screen(pane):
                    states += self._pane_states(pane, design)
            return states
        if isinstance(screen, StormScreen):
            shown = list(screen.board.items)
            line = list(storm.timeline(design))
            if shown != line:
                raise self.fail(
                    f"the STORM board shows {[i.id for i in shown]}, "
                    f"the file's timeline is {[i.id for i in line]}"
                )
        return []

    def header_says_saved(self) -> bool:
        screen = self._workbench_screen()
        if screen is None:
            return False
        try:
            status = screen.query_one("#header-status", Static)
        except NoMatches:
            return False
        return "saved" in str(status.content) and "unsaved" not in str(status.content)

    def check_fields(self, design: Design) -> None:
        states = self.field_states(design)
        for s in states:
            if s.shown != s.expected and not s.typing:
                raise self.fail(
                    f"{s.where}: field {s.name} shows {s.shown!r}, the file has {s.expected!r}"
                )
        pending = [s for s in states if s.shown != s.expected]
        if pending and self.header_says_saved():
            s = pending[0]
            raise self.fail(
                f"the header says saved while {s.where} field {s.name} shows {s.shown!r} "
                f"and the file has {s.expected!r}"
            )

    # ------------------------------------------------------------------ ending

    async def undo_everything(self) -> None:
        """Undo until the history is empty; the file must be as it was opened."""
        app = self.app
        if app.design is None or self.path is None:
            return
        while app.history.past:
            app.action_undo()
            await self.pilot.pause()
        await self.flush()
        self.check_alive()
        on_disk = self._load(self.path, "after undoing everything")
        if on_disk != self.baseline_design:
            raise self.fail("undoing everything does not bring back the design as opened")
        if self.baseline_bytes is not None and self.path.read_bytes() != self.baseline_bytes:
            import difflib

            diff = "".join(
                difflib.unified_diff(
                    self.baseline_bytes.decode("utf-8", "replace").splitlines(keepends=True),
                    self.path.read_text("utf-8", "replace").splitlines(keepends=True),
                    "opened",
                    "after undo",
                    n=1,
                )
            )
            raise self.fail("undoing everything does not restore the original bytes:\n" + diff)


async def explore(
    path: Path | None, steps: Sequence[Action], size: tuple[int, int] = (120, 40)
) -> None:
    """Run `steps` on the app opened on `path` (welcome screen when None); raise on a break."""
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        session = Session(app, pilot)
        original = app._handle_exception

        def hooked(error: Exception) -> None:
            session.crashes.append("".join(traceback.format_exception(error)))
            original(error)

        app._handle_exception = hooked  # type: ignore[method-assign]
        load = app._load

        def loaded(path: Path) -> bool:
            ok = load(path)
            if ok:
                session.opened()
            return ok

        app._load = loaded  # type: ignore[method-assign]
        session.opened()
        try:
            await session.settle()
            await session.check()
            for action in steps:
                session.steps.append(action)
                try:
                    await asyncio.wait_for(session.perform(action), STEP_TIMEOUT)
                except TimeoutError:
                    raise session.fail(f"the step did not finish in {STEP_TIMEOUT:.0f} s") from None
                await session.check()
            await session.undo_everything()
        finally:
            # Reported above with the steps: keep run_test from raising it bare.
            app._exception = None
