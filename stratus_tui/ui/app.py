"""StratusApp: the workbench shell.

One frozen `Design` in the `design` reactive; `apply` is the only way to change it (undo
history, dirty mark, debounced autosave): widgets post `DesignEdited` (messages.py), which
`on_design_edited` applies. Screens are app modes built on first use, so start-up pays only
for the screen it shows.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from ..core.problems import DesignError
from .history import History
from .keymap import load_keymap
from .messages import DesignEdited
from .workbench import MODE_KEYS, Workbench

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..core.model import Design
    from ..core.store.design_file import Document
    from ..core.store.read_ahead import ReadAhead
    from .crash import Crash

AUTOSAVE_DELAY = 1.0
POLL_INTERVAL = 2.0
TREE_DELAY = 1.0
"""Seconds after opening before the round-trip tree is parsed in a worker."""
GC_IDLE = 1.0
"""Seconds without a key or a click before a full garbage collection may run."""


def _screen(module: str, name: str) -> Callable[[], Screen[None]]:
    """A factory importing the screen's module only when the mode is first entered."""

    def build() -> Screen[None]:
        import importlib

        try:
            mod = importlib.import_module(f"stratus_tui.ui.screens.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"stratus_tui.ui.screens.{module}":
                raise
            from .screens.placeholder import PlaceholderScreen

            return PlaceholderScreen(name)
        screen: Screen[None] = getattr(mod, name)()
        return screen

    return build


def _commands() -> type[Provider]:
    from .commands import StratusCommands

    return StratusCommands


class StratusApp(Workbench):
    """The STRATUS workbench."""

    TITLE = "STRATUS"
    # Every screen's stylesheet is read once at start: a screen bringing its own CSS_PATH
    # when first shown makes Textual restyle every mounted widget of every screen.
    CSS_PATH: ClassVar = [
        f"screens/{name}.tcss"
        for name in ("welcome", "discover", "architect", "storm", "review", "export")
    ]
    # The compact footer gives every key a right margin; on the docked palette key that
    # left the last column uncovered, showing a letter of the keys scrolled beneath it.
    CSS = """
    Footer.-compact FooterKey.-command-palette { margin-right: 0; padding-right: 1; }
    /* Focus plainly visible on every focusable widget in every theme: an accent bar on
       the focused widget's left edge (an outline: nothing moves) and an accent tint.
       Compact fields keep their first column free for the bar. */
    *:focus { outline-left: outer $accent; background-tint: $accent 15%; }
    Input.-textual-compact { padding-left: 1; }
    """
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = App.COMMANDS | {
        _commands
    }
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "welcome": _screen("welcome", "WelcomeScreen"),
        "discover": _screen("discover", "DiscoverScreen"),
        "architect": _screen("architect", "ArchitectScreen"),
        "storm": _screen("storm", "StormScreen"),
        "review": _screen("review", "ReviewScreen"),
        "export": _screen("export", "ExportScreen"),
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                key,
                f"mode('{mode}')",
                mode.title(),
                id=f"mode.{mode}",
                tooltip=f"Switch to the {mode.upper()} screen",
            )
            for mode, key in MODE_KEYS.items()
        ),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last edit"),
        Binding(
            "ctrl+y", "redo", "Redo", show=False, id="app.redo", tooltip="Redo the last undone edit"
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            show=False,
            id="app.save",
            tooltip="Save now (autosave runs a second after each edit)",
        ),
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            id="app.help",
            key_display="?",
            tooltip="Show every key that works here and what it does (f1 also in a field)",
        ),
        Binding(
            "ctrl+t",
            "change_theme",
            "Theme",
            show=False,
            id="app.theme",
            tooltip="Pick a colour theme",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            priority=True,
            id="app.quit",
            tooltip="Quit (asks first when there are unsaved changes)",
        ),
    ]
    # `design` and `dirty` (reactives) are declared on Workbench, which widgets import.

    def __init__(
        self,
        path: Path | None = None,
        *,
        defer_load: bool = False,
        read_ahead: ReadAhead | None = None,
    ) -> None:
        super().__init__()
        self.read_ahead = read_ahead
        """A child already reading `path` (`stratus FILE`); its result is used once."""
        self.tree_worker_done = threading.Event()
        """Set each time the tree worker ends, whatever it did."""
        self._ending = False
        """The reading child was ended with the app (`drop_read_ahead`)."""
        self._tree_ahead: ReadAhead | None = None
        """The reading child, still building the round-trip tree of what it read."""
        self._early_verdicts: tuple[Design, object] | None = None
        """(design, its verdicts) computed by the reading child (`take_verdicts`)."""
        self.document: Document | None = None
        self.history = History()
        self.open_error: str | None = None
        self.autosave_enabled = True
        self.loading: Path | None = None
        """The file being read by the start-up worker (`defer_load`), else None."""
        self._save_timer: Timer | None = None
        self._save_lock = threading.Lock()
        self._asking_external = False
        self._discarded = False
        self._save_running = False
        """An autosave worker is saving; the next autosave waits for it to end."""
        """"Quit without saving" was chosen: nothing is flushed on the way out."""
        self._signals_taken: list[int] = []
        self._exit_notes: list[str] = []
        self._seen_stamp: tuple[int, int, int, int] | None = None
        """The file's stamp when the poll last found our own bytes in it."""
        self.input_at = 0.0
        """`time.monotonic()` of the last key, click or paste (idle work waits for quiet)."""
        self._gc_threshold: tuple[int, int, int] | None = None
        self._gc_old = 10
        self.crash: Crash | None = None
        """Set when an unhandled exception ended the app (`run_app` reports it)."""
        self._after_frame: list[Callable[[], object]] = []
        """Called once the next frame is drawn (`after_frame`)."""
        if path is not None and defer_load:
            # `stratus FILE`: draw DISCOVER first, read the file in a worker meanwhile.
            self.loading = path
        elif path is not None:
            self._load(path)

    # ------------------------------------------------------------------ crashes

    def _handle_exception(self, error: Exception) -> None:
        # Textual ends the app with return code 1; keep a log and a one-line summary.
        from .crash import record

        if self.crash is None:
            self.crash = record(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        # Textual would print a rich traceback with every frame's locals: the whole design.
        # The crash log has the traceback; `run_app` prints the summary and the log's path.
        self.bell()
        self._close_messages_no_wait()

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def _read_document(path: Path) -> Document | str:
        """The document at `path` (a new one if missing), or why it cannot be opened.

        Touches no app state, so it runs in a worker thread too. The round-trip tree
        for comment-keeping saves is built later, in a worker (`_build_tree`).
        """
        from ..core.store.read_ahead import read_document

        return read_document(path)

    def _load(self, path: Path) -> bool:
        doc = self._read_document(path)
        if isinstance(doc, str):
            self.open_error = doc
            return False
        self.document = doc
        self.history.clear()
        self.set_reactive(StratusApp.design, doc.design)
        self.dirty = doc.digest is None
        return True

    def on_mount(self) -> None:
        # After the first frame: finding the config folder and reading the file cost
        # start-up time, and no key can be pressed before a frame is drawn anyway.
        self.call_after_refresh(lambda: self.set_keymap(load_keymap()))
        self._adopt_read_ahead_if_done()
        opening = self.design is not None or self.loading is not None
        self.switch_mode("discover" if opening else "welcome")
        if self.open_error:
            self.notify(self.open_error, title="Cannot open", severity="error", timeout=10)
        if self.loading is not None:
            # After the first frame of DISCOVER: the read must not compete with it.
            # (Starting right at that frame, `after_frame`, showed the filled frame at
            # 1.5x a bare app instead of 1.7-1.8x, but a shift+tab pressed while the
            # questions below the fold were built then sometimes landed on a question
            # in the middle: tests/ui/test_startup.py, keys pressed before ... built.)
            self.call_after_refresh(self._start_load)
        elif self.document is not None:
            self._opened()
        self.set_interval(POLL_INTERVAL, self.check_external_change)
        self._install_exit_hooks()
        # Long-lived start-up objects never need collecting: spares typing from GC stalls.
        self.call_after_refresh(gc.freeze)
        self._tame_gc()

    def after_frame(self, callback: Callable[[], object]) -> None:
        self._after_frame.append(callback)

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        # Textual's one place where a frame is drawn (textual is pinned: see pyproject).
        super()._display(screen, renderable)
        if renderable is not None and self._after_frame:
            callbacks, self._after_frame = self._after_frame, []
            for callback in callbacks:
                self.call_later(callback)

    # ------------------------------------------------------------------ collector

    def _tame_gc(self) -> None:
        """Full collections (60-110 ms at 200 services: every object made since the
        last freeze is walked) run only once input pauses, never amid typing; the
        young generations are still collected as usual (a few ms)."""
        self._gc_threshold = gc.get_threshold()
        young, middle, old = self._gc_threshold
        self._gc_old = old
        gc.set_threshold(young, middle, 1 << 30)
        self.set_interval(GC_IDLE, self._collect_when_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseEvent, events.Paste)):
            self.input_at = time.monotonic()
            if not isinstance(event, events.MouseMove) and not event.is_forwarded:
                # A screen still building what lies below the fold (DISCOVER's questions)
                # finishes first: the key lands where it would once all is built.
                before = getattr(self.screen, "before_input", None)
                waiting = before() if before is not None else None
                if waiting is not None:
                    await waiting
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        # As often as the default threshold would have (that many middle collections
        # since the last full one), but only after GC_IDLE seconds without input.
        if time.monotonic() - self.input_at >= GC_IDLE and gc.get_count()[2] >= self._gc_old:
            gc.collect()

    def _opened(self) -> None:
        """After a document is adopted: remember it, create a new file, build the tree."""
        assert self.document is not None
        # After the first frame: the recent list is written with an fsync.
        self.call_after_refresh(self._remember, self.document.path)
        # Once the screen has settled (verdicts computed): the pure-Python parse would
        # otherwise compete with them for the interpreter. A save before then builds it.
        self.set_timer(TREE_DELAY, self._build_tree)
        if self.dirty:
            self.save_now()  # `stratus new-file.yaml` creates the file at once

    def _adopt_read_ahead_if_done(self) -> None:
        """The design, before the first frame, when the child reading it has finished
        (a large file read on the other core while Textual started): DISCOVER is then
        drawn filled in, as when the file is read before the app starts."""
        ahead = self.read_ahead
        if ahead is None or self.loading != ahead.path or not ahead.ready():
            return
        self.read_ahead = None
        doc = self._take_document(ahead)
        if doc is None or isinstance(doc, str):
            return  # read again in the worker, which reports what is wrong as usual
        self.loading = None
        self.document = doc
        self.history.clear()
        self.set_reactive(StratusApp.design, doc.design)
        self.dirty = doc.digest is None
        self.call_after_refresh(gc.freeze)

    def _take_document(self, ahead: ReadAhead) -> Document | str | None:
        """What the reading child read (waits for it): its verdicts kept for DISCOVER
        and the child kept for the tree it goes on to build; None when it failed."""
        doc = ahead.result()
        if doc is not None and not isinstance(doc, str):
            if ahead.also is not None:
                self._early_verdicts = (doc.design, ahead.also)
            self._tree_ahead = ahead if ahead.digest is not None else None
        return doc

    def take_verdicts(self, design: Design) -> object:
        """The verdicts the reading child computed for `design` (this very object), once;
        None when there are none (DISCOVER computes them as usual)."""
        early, self._early_verdicts = self._early_verdicts, None
        if early is None or early[0] is not design:
            return None
        return early[1]

    def _start_load(self) -> None:
        if self.loading is None:
            return
        ahead = self.read_ahead
        if ahead is not None and ahead.path == self.loading and ahead.ready():
            # The child is done (it read on the other core while the first frame was
            # drawn): its document is taken here at once, not after a worker starts.
            self.read_ahead = None
            doc = self._take_document(ahead)
            if doc is not None:
                self._load_done(doc)
                return
        self._load_worker(self.loading)  # the worker reads it (and says what is wrong)

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self, path: Path) -> None:
        doc: Document | str | None = None
        ahead, self.read_ahead = self.read_ahead, None
        if ahead is not None and ahead.path == path:
            # What unpickling its result imports, while the child still reads (done
            # already when `launch.prepare_app` made the app, as `stratus FILE` does).
            import stratus_tui.core.patterns.results
            import stratus_tui.core.store.document  # noqa: F401

            doc = self._take_document(ahead)  # finished about now: on the other core
        elif ahead is not None:
            ahead.cancel()
        self._call(self._load_done, doc if doc is not None else self._read_document(path))

    def _load_done(self, doc: Document | str) -> None:
        self.loading = None
        if isinstance(doc, str):
            # Same contract as a CLI command: `run_app` prints file:line:col, exit 1.
            self.open_error = doc
            self.exit(return_code=1)
            return
        self.document = doc
        self.history.clear()
        self.dirty = doc.digest is None
        self.design = doc.design
        # The footer was drawn while there was no design (no screen keys): show 1-5 now.
        self.refresh_bindings()
        self._opened()
        # The design read after start-up's freeze: its objects live as long as it is open;
        # left to the collector, each full collection walked them all (~100 ms at 200
        # services, a stall in typing).
        self.call_after_refresh(gc.freeze)

    def _remember(self, path: Path) -> None:
        from .recent import remember

        remember(path)

    def _build_tree(self) -> None:
        """Parse the round-trip tree of a lazily opened document in a worker."""
        doc = self.document
        if doc is not None and doc.tree is None and doc.source is not None:
            self._tree_worker(doc)

    @work(thread=True, exclusive=True, group="tree", description="tree")
    def _tree_worker(self, doc: Document) -> None:
        from ..core.store.design_file import with_tree

        try:
            built = self._tree_from_child(doc)
            if built is None:
                if self._ending or get_current_worker().is_cancelled:
                    return  # the app is ending: no tree to build (quitting would wait)
                try:
                    built = with_tree(doc)
                except DesignError:
                    return  # the first save builds it (or saves plain data)
            self._call(self._tree_built, doc, built)
        finally:
            self.tree_worker_done.set()

    def _tree_from_child(self, doc: Document) -> Document | None:
        """`doc` ready to save from what the reading child built of the same bytes: its
        tree, or none needed (waits for it; from any thread); None when it has nothing."""
        ahead = self._tree_ahead
        return None if ahead is None else ahead.ready_to_save(doc)

    def drop_read_ahead(self) -> None:
        """End the reading child, whatever it still has to give (the app is ending)."""
        self._ending = True
        for ahead in (self.read_ahead, self._tree_ahead):
            if ahead is not None:
                ahead.cancel()
        self.read_ahead = self._tree_ahead = None

    def _tree_built(self, doc: Document, built: Document) -> None:
        # Only if nothing replaced the document meanwhile (a save, a reload): same bytes.
        # Not during a save either, which adopts its own document (the next save builds it).
        if self._save_lock.acquire(blocking=False):
            try:
                if self.document is doc:
                    self.document = built
                    gc.freeze()  # the tree's objects too (millions at 5,000 services)
            finally:
                self._save_lock.release()

    async def open_design(self, path: Path) -> bool:
        """Open `path` (used by the welcome screen); False with a message when it fails."""
        if self.dirty and self.document is not None and self.design is not None:
            self.save_now()  # the design being left keeps its last edits
        if not self._load(path):
            self.notify(self.open_error or "cannot open", severity="error", timeout=10)
            return False
        assert self.document is not None
        self._remember(self.document.path)
        self._build_tree()
        self.mutate_reactive(StratusApp.design)
        if self.dirty:
            self.save_now()
        await self.switch_mode("discover")
        return True

    def action_open(self) -> None:
        """Ask for a design file (Tab completes); a missing one is created only if confirmed."""
        from .dialogs.path import open_check
        from .dialogs.prompt import PromptDialog

        def chosen(value: str | None) -> None:
            if value:
                self._confirm_open(Path(value).expanduser())

        self.push_screen(
            PromptDialog(
                "Open design file (Tab completes)",
                placeholder="path/to/design.yaml",
                check=open_check,
                paths=True,
            ),
            chosen,
        )

    def _confirm_open(self, path: Path) -> None:
        if path.exists():
            self.run_worker(self.open_design(path))
            return
        from .dialogs.choice import ChoiceDialog

        def answered(choice: str | None) -> None:
            if choice == "create":
                self.run_worker(self.open_design(path))

        self.push_screen(
            ChoiceDialog(
                f"{path} does not exist. Create a new, empty design there?",
                [("create", "Create it"), ("cancel", "Cancel")],
            ),
            answered,
        )

    def action_new_design(self) -> None:
        """Ask for the file of a new, empty design and open it."""
        from .dialogs.path import new_check
        from .dialogs.prompt import PromptDialog

        def chosen(value: str | None) -> None:
            if value:
                self.run_worker(self.open_design(Path(value).expanduser()))

        self.push_screen(
            PromptDialog(
                "New design: save it as (Tab completes)",
                placeholder="design.yaml",
                check=new_check,
                paths=True,
            ),
            chosen,
        )

    async def action_welcome(self) -> None:
        """Back to the welcome screen (recent designs, samples, open, import)."""
        if self.dirty and self.document is not None and self.design is not None:
            self.save_now()
        await self.switch_mode("welcome")

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        # Textual's default is the Downloads folder, which often does not exist (servers,
        # containers): write next to the design, or in the current folder.
        if path is None:
            doc = self.document
            path = str(doc.path.parent if doc is not None else Path.cwd())
        return super().deliver_screenshot(filename, path, time_format)

    # ------------------------------------------------------------------ edits

    def apply(self, new_design: Design, label: str, *, coalesce: bool = False) -> None:
        """Replace the design: record undo history, mark dirty, schedule autosave.

        `coalesce=True` (typing in a field) makes consecutive edits with the same label
        one undo step.
        """
        old = self.design
        if old is None or new_design == old:
            return
        self.history.record(old, label, coalesce=coalesce)
        self._set_design(new_design)

    def on_design_edited(self, message: DesignEdited) -> None:
        """A widget's edit: applied here, the only place widgets' edits reach the design."""
        message.stop()
        new, current = message.design, self.design
        if current is None:
            return
        if message.edit is not None and message.base is not current:
            # Made from a design another edit has replaced since (keys faster than the
            # app): made again on this one, so the other edit is kept.
            try:
                new = message.edit(current)
            except ValueError as exc:  # EditError, StormError, a pydantic ValidationError
                self.notify(f"Not applied ({message.label}): {exc}", severity="error")
                return
        self.apply(new, message.label, coalesce=message.coalesce)

    def _set_design(self, design: Design) -> None:
        self.design = design
        self.dirty = self.document is None or design != self.document.design
        self._schedule_save()

    def action_undo(self) -> None:
        if self.design is None:
            return
        step = self.history.undo(self.design)
        if step is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self._set_design(step[0])
        self.notify(f"Undid: {step[1]}", timeout=2)

    def action_redo(self) -> None:
        if self.design is None:
            return
        step = self.history.redo(self.design)
        if step is None:
            self.notify("Nothing to redo", timeout=2)
            return
        self._set_design(step[0])
        self.notify(f"Redid: {step[1]}", timeout=2)

    # ------------------------------------------------------------------ saving

    def _schedule_save(self) -> None:
        if not self.autosave_enabled or not self.dirty:
            return
        if self._save_timer is None:
            self._save_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave, pause=False)
        else:
            self._save_timer.reset()
            self._save_timer.resume()

    def _autosave(self) -> None:
        self._save_timer = None
        if not self.dirty or self.design is None:
            return
        if self._save_running:
            return  # the save under way saves again when it ends (`_save_done`)
        self._save_running = True
        self._save_worker(self.design)

    @work(thread=True, group="save", description="save")
    def _save_worker(self, design: Design) -> None:
        # Never cancelled: a thread cannot be stopped mid-write, and a newer save waits
        # for this one (`_autosave`) instead of racing it.
        from contextlib import suppress

        try:
            self._save(design)
        finally:
            with suppress(RuntimeError):  # the app has stopped (flushed at exit instead)
                self._call(self._save_done)

    def _save_done(self) -> None:
        self._save_running = False
        if self.dirty and self._save_timer is None:
            self._schedule_save()  # edits typed while the file was being written

    def _save(self, design: Design, *, force: bool = False) -> bool:
        """Save `design` from any thread; True when it is on disk.

        One save at a time (`_save_lock`), and each starts from the document the previous
        one left: the save adopts its result under the lock, so neither the next save nor
        the external-change poll takes this app's own write for someone else's.
        """
        from ..core.store.design_file import ExternalChangeError, save_document

        with self._save_lock:
            doc = current = self.document
            if doc is None:
                return False
            if doc.tree is None:
                # The child has been building it since start-up: sooner than building it
                # here (a first save at 5,000 services waited ~30 s for that).
                doc = self._tree_from_child(doc) or doc
            args: tuple[object, ...] = ()
            try:
                saved = save_document(doc, design, force=force)
            except ExternalChangeError:
                then: Callable[..., object] = self.ask_external_change
            except OSError as exc:
                then, args = self._save_failed, (str(exc),)
            else:
                if self.document is current:  # not replaced meanwhile (a reload)
                    self.document = saved
                then, args = self._saved, (saved,)
        from contextlib import suppress

        with suppress(RuntimeError):  # the app has stopped (a save flushed at exit)
            self._call(then, *args)
        return then == self._saved

    def _save_failed(self, reason: str) -> None:
        self.notify(f"Autosave failed: {reason}", severity="error")

    def _call(self, fn: Callable[..., object], *args: object, **kwargs: object) -> None:
        if threading.get_ident() == self._thread_id:
            fn(*args, **kwargs)
        else:
            self.call_from_thread(fn, *args, **kwargs)

    def _saved(self, doc: Document) -> None:
        current = self.document or doc
        self.dirty = self.design != current.design

    def save_now(self) -> bool:
        """Save synchronously (ctrl+s, quitting, tests); waits for a save under way."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        return self.design is not None and self._save(self.design)

    def action_save(self) -> None:
        if self.save_now():
            self.notify("Saved", timeout=2)

    # ------------------------------------------------------------------ every way out

    def flush_save(self) -> str | None:
        """Save edits not yet on disk, for every way out; a note for the user, or None.

        Runs on quit, on unmount, on SIGTERM/SIGHUP and at interpreter exit. Nothing can be
        asked any more, so if someone else changed the file, this version goes to a
        conflict copy beside it: both survive. Not after "Quit without saving", nor with
        autosave turned off.
        """
        from ..core.store.design_file import ExternalChangeError, save_conflict_copy, save_document

        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        design = self.design
        if self._discarded or not self.autosave_enabled or design is None:
            return None
        with self._save_lock:  # waits for a save under way, which adopts its document
            doc = self.document
            if doc is None or (doc.digest is not None and doc.design == design):
                return None
            try:
                self.document = save_document(doc, design)
                return None
            except ExternalChangeError:
                try:
                    copy = save_conflict_copy(doc, design)
                except OSError as exc:
                    return f"{doc.path}: changed by someone else and not saved: {exc}"
                return f"{doc.path} was changed by someone else; your version is in {copy}"
            except OSError as exc:
                return f"{doc.path}: not saved: {exc}"

    def _install_exit_hooks(self) -> None:
        """SIGTERM and SIGHUP (a closed terminal or tab) save and exit; so does exiting."""
        import asyncio
        import atexit
        import signal

        atexit.register(self._flush_at_exit)
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()

        def handler(signum: int, frame: object) -> None:
            # Between two bytecodes of the loop's thread: only queue the work.
            loop.call_soon_threadsafe(self._exit_on_signal, signum)

        for sig in (signal.SIGTERM, signal.SIGHUP):
            # Only where nobody else handles it (the web driver turns SIGTERM into an exit,
            # which unmounts and flushes; a test runner may have its own).
            if signal.getsignal(sig) == signal.SIG_DFL:
                signal.signal(sig, handler)
                self._signals_taken.append(sig)

    def _release_exit_hooks(self) -> None:
        import atexit
        import signal

        atexit.unregister(self._flush_at_exit)
        for sig in self._signals_taken:
            signal.signal(sig, signal.SIG_DFL)
        self._signals_taken.clear()

    def _exit_on_signal(self, signum: int) -> None:
        note = self.flush_save()
        # A second signal now ends the process at once: the edits are already on disk.
        self._release_exit_hooks()
        if note is not None:
            self._exit_notes.append(note)
        self.exit(return_code=128 + signum)

    def _flush_at_exit(self) -> None:
        # The loop died without unmounting (a crash, KeyboardInterrupt): last chance.
        note = self.flush_save()
        if note is not None:
            import sys

            print(f"stratus: {note}", file=sys.stderr)

    def on_unmount(self) -> None:
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)  # as found (tests run many apps)
        note = self.flush_save()
        if note is not None:
            self._exit_notes.append(note)
        self.drop_read_ahead()
        self._release_exit_hooks()
        # Printed by Textual after it leaves the alternate screen.
        self._exit_renderables.extend(f"stratus: {n}" for n in self._exit_notes)

    # ------------------------------------------------------------------ external change

    def check_external_change(self) -> None:
        """Poll: has someone else changed the file since we loaded or saved it?

        Never during our own save (the lock is held), and a file whose stamp is the one
        our last save wrote, or last matched our digest, is not read again.
        """
        from ..core.store.design_file import digest_bytes, file_stamp

        if self._asking_external or not self._save_lock.acquire(blocking=False):
            return
        try:
            doc = self.document
            if doc is None or doc.digest is None:
                return
            stamp = file_stamp(doc.path)
            if stamp is None or stamp in (doc.stamp, self._seen_stamp):
                return
            try:
                current = digest_bytes(doc.path.read_bytes())
            except OSError:
                return
            if current == doc.digest:
                self._seen_stamp = stamp
                return
        finally:
            self._save_lock.release()
        self.ask_external_change()

    def ask_external_change(self) -> None:
        if self._asking_external or self.document is None:
            return
        from .dialogs.choice import ChoiceDialog

        self._asking_external = True
        dialog = ChoiceDialog(
            f"{self.document.path.name} was changed on disk by someone else.",
            [("reload", "Reload from disk"), ("keep", "Keep mine (overwrite)")],
        )
        self.push_screen(dialog, self._external_choice)

    def _external_choice(self, choice: str | None) -> None:
        self._asking_external = False
        doc = self.document
        if doc is None or self.design is None:
            return
        if choice == "reload":
            from ..core.store.design_file import open_document

            try:
                fresh = open_document(doc.path, lazy=True)
            except (DesignError, OSError, UnicodeDecodeError) as exc:
                self.notify(f"Cannot reload, keeping yours:\n{exc}", severity="error")
                self._save(self.design, force=True)
                return
            with self._save_lock:  # not while a save adopts its own document
                self.document = fresh
            if fresh.design != self.design:
                # Yours stays one undo away: nothing typed before the reload is lost.
                self.history.record(self.design, "reload from disk")
                self.notify("Reloaded from disk; ctrl+z brings your version back", timeout=5)
            self.design = fresh.design
            self.dirty = False
            self._build_tree()
        else:
            self._save(self.design, force=True)

    # ------------------------------------------------------------------ navigation

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing to switch to or undo on the welcome screen: hide those keys there.
        return not (action in ("mode", "undo", "redo", "save") and self.design is None)

    async def action_mode(self, mode: str) -> None:
        if self.design is not None and self.current_mode != mode:
            await self.switch_mode(mode)

    async def jump_to(self, component_id: str) -> None:
        """Show `component_id` in its ARCHITECT editor."""
        await self.switch_mode("architect")
        focus = getattr(self.screen, "focus_component", None)
        if focus is not None:
            await focus(component_id)

    async def run_architect(self, action: str) -> None:
        """Run an ARCHITECT action (palette: add service, add dependency ...)."""
        if self.design is None:
            return
        await self.switch_mode("architect")
        await self.screen.run_action(action)

    def action_help(self) -> None:
        from .screens.help import HelpScreen, help_rows

        self.push_screen(HelpScreen(help_rows(self.screen)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's "Keys" opens its own panel, which lists fewer keys than `?` and
        # none of the binding ids: the palette's "Keys" opens STRATUS's help instead.
        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                yield SystemCommand(
                    "Keys", "Show every key that works here and what it does", self.action_help
                )
            else:
                yield command

    async def action_quit(self) -> None:
        if not self.dirty or self.document is None:
            self.exit()
            return
        from .dialogs.choice import ChoiceDialog

        # Hold a pending autosave while asking: firing a second later, it would write the
        # very edits "Quit without saving" is about to throw away.
        if self._save_timer is not None:
            self._save_timer.pause()

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self._discarded = True  # and so nothing is flushed on the way out
            if (choice == "save" and self.save_now()) or choice == "discard":
                self.exit()
            elif choice != "save":
                self._schedule_save()  # cancelled: autosave as before

        self.push_screen(
            ChoiceDialog(
                "There are unsaved changes.",
                [
                    ("save", "Save and quit"),
                    ("discard", "Quit without saving"),
                    ("cancel", "Cancel"),
                ],
            ),
            chosen,
        )


def make_app(
    path: Path | None = None, *, defer_load: bool = False, read_ahead: ReadAhead | None = None
) -> StratusApp:
    """The app, opened on `path` (created on first save if missing) or on the welcome screen.

    With `defer_load` the file is read in a worker after the first frame; a file that
    does not load makes the app exit with return code 1 and `open_error` set;
    `read_ahead`, a child started on `path` before Textual was imported, reads it then.
    """
    return StratusApp(path, defer_load=defer_load, read_ahead=read_ahead)
