"""The workbench as a live-workshop participant (`stratus join URL`, and every browser of
`stratus serve`).

`LiveApp` is the ordinary workbench with one difference: its design is a view of the
room's shared document. An edit (`apply`, undo, redo) is written to the document as the
fields it changed, and reaches everyone at once; a change made by anyone else is read back
into `design`, so every screen redraws as it does for a local edit. Nothing is saved here
(the server is the only writer), so there is no autosave, no "changed on disk" prompt and
nothing unsaved at quit. Undo takes back this participant's own edits only.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from ..core.ids import slug_id
from ..core.model import Design
from ..core.store.design_file import new_document
from ..core.storm import board as storm
from ..ui.app import StratusApp
from ..ui.widgets.header import AppHeader
from .board import PHASES, tally, votable
from .client import JoinError, JoinTarget, LiveClient

UI_FOLDER = Path(__file__).resolve().parent.parent / "ui"
SCREENS = ("storm", "discover", "architect", "review", "export")


class JoiningScreen(Screen[None]):
    """Shown until the first sync with the room completes."""

    DEFAULT_CSS = """
    JoiningScreen { align: center middle; }
    JoiningScreen > Static { width: auto; max-width: 90%; padding: 1 2; border: round $primary; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Joining the workshop…", id="joining", markup=False)


def id_tag(client_id: int) -> str:
    """Five base-36 characters from the replica's CRDT client id (unique per replica)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    n = client_id % 36**5
    out = ""
    for _ in range(5):
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out


class LiveSession:
    """What the screens need of a live workshop (`app.live`): people, phase, timer, dots."""

    def __init__(self, app: LiveApp, client: LiveClient) -> None:
        self.app = app
        self.client = client

    @property
    def role(self) -> str:
        return self.client.role

    @property
    def facilitator(self) -> bool:
        return self.client.role == "facilitator"

    @property
    def name(self) -> str:
        return self.client.name

    @property
    def connected(self) -> bool:
        """Whether the room is reachable now (offline: edits wait, presence is stale)."""
        return self.client.connected.is_set()

    def people(self) -> list[dict[str, Any]]:
        return self.client.people()

    @property
    def phase(self) -> str | None:
        return self.client.board.phase

    def timer_left(self) -> tuple[int | None, str]:
        """Seconds left on the facilitator's timer (None: no timer) and its label."""
        end, label = self.client.board.timer()
        if end is None:
            return None, label
        return max(0, int(end - time.time() + 0.999)), label

    @property
    def budget(self) -> int:
        return self.client.board.budget

    def dots_used(self) -> int:
        return sum(self.client.board.votes_of(self.client.name).values())

    def my_dots(self, item_id: str) -> int:
        return self.client.board.votes_of(self.client.name).get(item_id, 0)

    def tally(self, design: Design) -> dict[str, int]:
        return tally(design)

    def at(self, where: str | None) -> None:
        """Tell the others where on the board this participant is."""
        self.client.set_presence(at=where)

    async def vote(self, item_id: str, delta: int) -> None:
        design = self.app.design
        if design is None:
            return
        try:
            item = storm.find_item(design, item_id)
        except storm.StormError:
            return
        if not votable(item):
            self.app.notify("Dots go on hotspots and pivotal events.", severity="warning")
            return
        await self.client.request(op="vote", item=item_id, delta=delta)

    async def set_phase(self, step: int) -> None:
        if not self.facilitator:
            self.app.notify("Only the facilitator sets the phase.", severity="warning")
            return
        current = self.phase
        # No phase set yet: the board shows the first one, so `n` goes to the second.
        index = PHASES.index(current) if current in PHASES else 0
        new = PHASES[max(0, min(len(PHASES) - 1, index + step))]
        await self.client.request(op="phase", phase=new)

    async def set_timer(self, seconds: int, label: str = "") -> None:
        if not self.facilitator:
            self.app.notify("Only the facilitator sets the timer.", severity="warning")
            return
        await self.client.request(op="timer", seconds=seconds, label=label)


class LiveApp(StratusApp):
    """The workbench joined to a live workshop's room."""

    MODES: ClassVar[dict[str, Any]] = {**StratusApp.MODES, "joining": JoiningScreen}
    # Textual reads a relative CSS_PATH from the subclass's folder: the workbench's own.
    CSS_PATH: ClassVar = [UI_FOLDER / str(path) for path in StratusApp.CSS_PATH]

    def __init__(
        self,
        target: JoinTarget,
        name: str | None = None,
        *,
        screen: str = "storm",
        folder: Path | None = None,
    ) -> None:
        super().__init__(None)
        self.target = target
        self.participant = name
        self.start_screen = screen if screen in SCREENS else "storm"
        self.folder = folder or Path.cwd()
        self.client: LiveClient | None = None
        self.live: LiveSession | None = None
        self.join_error: str | None = None
        self.autosave_enabled = False
        self.offline_copy: Path | None = None
        """Where this participant's edits made offline were kept when it quit offline."""
        self._drop_unsent = False

    # ------------------------------------------------------------------ joining

    async def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        # Not the workbench's start-up: no file to open, no autosave, no disk polling.
        event.prevent_default()
        await self.switch_mode("joining")
        if self.participant:
            self._join(self.participant)
        else:
            self._ask_name()

    def _ask_name(self) -> None:
        from ..ui.dialogs.prompt import PromptDialog

        def named(value: str | None) -> None:
            if value is None:
                self.exit(return_code=0)
                return
            self._join(value)

        check = _name_check
        title = "Your name for this workshop"
        if self.target.facilitator:  # the facilitator's link: say what it lets them do
            title = "Your name: you facilitate this workshop (phases, timer, overview)"
        self.push_screen(PromptDialog(title, "", check, "shown to everyone"), named)

    def _join(self, name: str) -> None:
        client = LiveClient(
            self.target,
            name,
            on_change=self._remote_change,
            on_presence=self._presence_changed,
            on_status=self._status,
        )
        storm.set_id_tag(id_tag(client.board.doc.client_id))
        self.client = client
        self.live = LiveSession(self, client)
        with contextlib.suppress(NoMatches):
            joining = self.screen.query_one("#joining", Static)
            joining.update(f"Joining the workshop at {self.target.base} as {client.name} …")
        self.run_worker(self._run_client(client), group="live", exit_on_error=False)
        self.run_worker(self._first_sync(client), group="live-sync", exit_on_error=False)

    async def _run_client(self, client: LiveClient) -> None:
        try:
            await client.run()
        except JoinError as exc:
            self.join_error = str(exc)
            self.exit(return_code=1)

    async def _first_sync(self, client: LiveClient) -> None:
        await client.synced.wait()
        design = client.design()
        file_name = client.file_name or f"{_stem(design)}.yaml"
        self.document = new_document(self.folder / Path(file_name).name, design)
        self.set_reactive(StratusApp.design, design)
        self.title = f"STRATUS · live · {client.name}"
        await self.switch_mode(self.start_screen)
        self.mutate_reactive(StratusApp.design)

    # ------------------------------------------------------------------ the room's edits

    def _remote_change(self) -> None:
        client = self.client
        if client is None or self.design is None:
            return
        new = client.board.read(self.design)
        if new != self.design:
            self.design = new
        self._presence_changed()  # the phase, the timer or the dots may have changed

    def _presence_changed(self) -> None:
        changed = getattr(self.screen, "live_changed", None)
        if changed is not None:
            changed()
        for header in self.screen.query(AppHeader):  # online / offline, edits kept here
            header.refresh_status()

    def save_mark(self) -> tuple[str, bool]:
        client = self.client
        if client is None or client.connected.is_set():
            return "✓ live: the workshop's server saves", False
        unsent = client.unsent()
        if not unsent:
            return "○ offline", True
        edits = "edit" if unsent == 1 else "edits"
        return f"○ offline: {unsent} {edits} kept here, sent when the room is back", True

    def _status(self, text: str, severity: str) -> None:
        kind = severity if severity in ("information", "warning", "error") else "information"
        self.notify(text, severity=kind, timeout=4)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ our edits

    def _set_design(self, design: Design) -> None:
        old = self.design
        if self.client is not None and old is not None:
            self.client.edit(old, design)
        self.design = design
        self.dirty = False

    def action_undo(self) -> None:
        if self.client is not None and self.client.undo():
            self.notify("Undid your last edit", timeout=2)
        else:
            self.notify("Nothing of yours to undo", timeout=2)

    def action_redo(self) -> None:
        if self.client is not None and self.client.redo():
            self.notify("Redid your edit", timeout=2)
        else:
            self.notify("Nothing to redo", timeout=2)

    # ------------------------------------------------------------------ no files here

    def _schedule_save(self) -> None:
        return

    def save_now(self) -> bool:
        self.notify("The workshop's server saves the board for everyone.", timeout=3)
        return True

    def flush_save(self) -> str | None:
        return None

    def check_external_change(self) -> None:
        return

    def action_open(self) -> None:
        self.notify("In a live workshop the room's design is the one open.", severity="warning")

    def action_new_design(self) -> None:
        self.action_open()

    async def action_welcome(self) -> None:
        # The welcome screen opens, creates and imports files anywhere the server's user
        # may write: a participant in a browser never gets it.
        self.action_open()

    async def open_design(self, path: Path) -> bool:
        self.action_open()
        return False

    async def action_quit(self) -> None:
        client = self.client
        unsent = client.unsent() if client is not None else 0
        if not unsent:
            self.exit()
            return
        from ..ui.dialogs.choice import ChoiceDialog

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.offline_copy = self.keep_offline_copy()
                self.exit()
            elif choice == "drop":
                self._drop_unsent = True
                self.exit()

        edits = "1 edit has" if unsent == 1 else f"{unsent} edits have"
        question = (
            f"You are offline: {edits} not reached the workshop yet. They are sent when "
            "the room is back; if you quit now they are lost unless you keep them in a file."
        )
        choices = [
            ("wait", "Keep waiting"),
            ("save", "Keep them in a file, quit"),
            ("drop", "Quit, drop them"),
        ]
        self.push_screen(ChoiceDialog(question, choices), chosen)

    def keep_offline_copy(self) -> Path | None:
        """Write this replica's board, with the edits the room has not seen, next to where
        the workshop's file would be: NAME.offline-YYYYmmdd-HHMMSS.yaml. Its path."""
        client = self.client
        if client is None or not client.unsent():
            return None
        from ..core.store.design_file import atomic_write
        from ..core.store.serialise import to_yaml

        design = client.design()
        base = self.document.path if self.document is not None else self.folder / "workshop.yaml"
        when = time.strftime("%Y%m%d-%H%M%S")
        data = to_yaml(design).encode("utf-8")
        for n in range(1, 100):
            extra = "" if n == 1 else f"-{n}"
            target = base.with_name(f"{base.stem}.offline-{when}{extra}.yaml")
            try:
                atomic_write(target, data, backup=False, exclusive=True)
            except FileExistsError:
                continue
            except OSError:
                return None
            return target
        return None

    def on_unmount(self) -> None:
        # Quitting any other way (ctrl+c, the terminal closed) while offline: nothing lost.
        if self.offline_copy is None and not self._drop_unsent:
            self.offline_copy = self.keep_offline_copy()
        if self.client is not None:
            self.client.stop()


class LivePresence(Message):
    """Who is where, the phase or the timer changed: the live bar redraws."""


def _stem(design: Design) -> str:
    return slug_id(design.name, "workshop")


def _name_check(value: str) -> str | None:
    return None if value.strip() else "Type the name the others will see."


__all__ = ["LiveApp", "LivePresence", "LiveSession", "id_tag"]
