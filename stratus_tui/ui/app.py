"""StratusApp: the workbench shell.

One frozen `Design` in the `design` reactive; `apply` is the only way to change it (undo
history, dirty mark, debounced autosave). Screens are app modes built on first use, so
start-up pays only for the screen it shows.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from ..core.model import Design
from ..core.problems import DesignError
from ..core.store import (
    Document,
    ExternalChangeError,
    digest_bytes,
    new_document,
    open_document,
    save_document,
)
from .history import History
from .keymap import load_keymap

MODE_KEYS = {"discover": "1", "architect": "2", "storm": "3", "review": "4", "export": "5"}
AUTOSAVE_DELAY = 1.0
POLL_INTERVAL = 2.0


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


class StratusApp(App[None]):
    """The STRATUS workbench."""

    TITLE = "STRATUS"
    # Every screen's stylesheet is read once at start: a screen bringing its own CSS_PATH
    # when first shown makes Textual restyle every mounted widget of every screen.
    CSS_PATH: ClassVar = [
        f"screens/{name}.tcss"
        for name in ("welcome", "discover", "architect", "storm", "review", "export")
    ]
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
            "question_mark",
            "help",
            "Help",
            id="app.help",
            key_display="?",
            tooltip="Show every key binding and what it does",
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

    design: reactive[Design | None] = reactive(None, init=False)
    """The design being edited; None on the welcome screen."""
    dirty: reactive[bool] = reactive(False, init=False)
    """True while the design differs from what was last saved."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.document: Document | None = None
        self.history = History()
        self.open_error: str | None = None
        self.autosave_enabled = True
        self._save_timer: Timer | None = None
        self._save_lock = threading.Lock()
        self._asking_external = False
        if path is not None:
            self._load(path)

    # ------------------------------------------------------------------ lifecycle

    def _load(self, path: Path) -> bool:
        try:
            if path.exists():
                doc = open_document(path)
            else:
                doc = new_document(path, Design(name=path.stem))
        except DesignError as exc:
            self.open_error = str(exc)
            return False
        except (OSError, UnicodeDecodeError) as exc:
            self.open_error = f"{path}: cannot open: {exc}"
            return False
        self.document = doc
        self.history.clear()
        self.set_reactive(StratusApp.design, doc.design)
        self.dirty = not path.exists()
        return True

    def on_mount(self) -> None:
        self.set_keymap(load_keymap())
        self.switch_mode("discover" if self.design is not None else "welcome")
        if self.open_error:
            self.notify(self.open_error, title="Cannot open", severity="error", timeout=10)
        if self.document is not None:
            # After the first frame: the recent list is written with an fsync.
            self.call_after_refresh(self._remember, self.document.path)
            if self.dirty:
                self.save_now()  # `stratus new-file.yaml` creates the file at once
        self.set_interval(POLL_INTERVAL, self.check_external_change)
        # Long-lived start-up objects never need collecting: spares typing from GC stalls.
        self.call_after_refresh(gc.freeze)

    def _remember(self, path: Path) -> None:
        from .recent import remember

        remember(path)

    async def open_design(self, path: Path) -> bool:
        """Open `path` (used by the welcome screen); False with a message when it fails."""
        if not self._load(path):
            self.notify(self.open_error or "cannot open", severity="error", timeout=10)
            return False
        assert self.document is not None
        self._remember(self.document.path)
        self.mutate_reactive(StratusApp.design)
        if self.dirty:
            self.save_now()
        await self.switch_mode("discover")
        return True

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
        if self.dirty and self.design is not None:
            self._save_worker(self.design)

    @work(thread=True, exclusive=True, group="save")
    def _save_worker(self, design: Design) -> None:
        self._save(design)

    def _save(self, design: Design, *, force: bool = False) -> bool:
        doc = self.document
        if doc is None:
            return False
        try:
            with self._save_lock:
                saved = save_document(doc, design, force=force)
        except ExternalChangeError:
            self._call(self.ask_external_change)
            return False
        except OSError as exc:
            self._call(self.notify, f"Autosave failed: {exc}", severity="error")
            return False
        self._call(self._saved, saved)
        return True

    def _call(self, fn: Callable[..., object], *args: object, **kwargs: object) -> None:
        if threading.get_ident() == self._thread_id:
            fn(*args, **kwargs)
        else:
            self.call_from_thread(fn, *args, **kwargs)

    def _saved(self, doc: Document) -> None:
        self.document = doc
        self.dirty = self.design != doc.design

    def save_now(self) -> bool:
        """Save synchronously (ctrl+s, quitting, tests)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        return self.design is not None and self._save(self.design)

    def action_save(self) -> None:
        if self.save_now():
            self.notify("Saved", timeout=2)

    # ------------------------------------------------------------------ external change

    def check_external_change(self) -> None:
        """Poll: has someone else changed the file since we loaded or saved it?"""
        doc = self.document
        if doc is None or doc.digest is None or self._asking_external:
            return
        try:
            current = digest_bytes(doc.path.read_bytes())
        except OSError:
            return
        if current != doc.digest:
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
            try:
                fresh = open_document(doc.path)
            except (DesignError, OSError, UnicodeDecodeError) as exc:
                self.notify(f"Cannot reload, keeping yours:\n{exc}", severity="error")
                self._save(self.design, force=True)
                return
            self.document = fresh
            if fresh.design != self.design:
                self.history.record(self.design, "reload from disk")
            self.design = fresh.design
            self.dirty = False
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
        from .screens.help import HelpScreen

        rows = [
            (
                b.binding.key_display or self.get_key_display(b.binding),
                b.binding.description or b.binding.action,
                b.binding.id or "",
                b.tooltip or b.binding.tooltip,
            )
            for key, b in sorted(self.screen.active_bindings.items())
        ]
        self.push_screen(HelpScreen(rows))

    async def action_quit(self) -> None:
        if not self.dirty or self.document is None:
            self.exit()
            return
        from .dialogs.choice import ChoiceDialog

        def chosen(choice: str | None) -> None:
            if (choice == "save" and self.save_now()) or choice == "discard":
                self.exit()

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


def make_app(path: Path | None = None) -> StratusApp:
    """The app, opened on `path` (created on first save if missing) or on the welcome screen."""
    return StratusApp(path)
