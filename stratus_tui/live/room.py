"""The server's side of a live workshop: the room, its one writer, its roles.

`Room` holds the authoritative replica of the shared document (built from FILE at start,
so a restart rebuilds the room from the file) inside a pycrdt-websocket `YRoom`, which
syncs every connected client and relays presence (awareness).

Only the room writes FILE: a change to the document marks it dirty, and the saver writes
once edits pause for `debounce` seconds (at most `max_delay` after the first unsaved one),
through the store's `save_document` (atomic, `.bak`, comments and key order kept). A crash
loses at most that window. An edit made to FILE by someone else while serving is merged
into the room (what changed between the version the room last read or wrote and the new
file is applied as CRDT operations); a file that no longer validates is refused with its
FILE:LINE:COL problems, and the room stops writing until the file is fixed, so neither
side is lost.

Phase, timer, budget and votes are written by the room alone, on a client's request
(CONTROL messages) after checking its role and budget; a replica that writes them
directly is overwritten with the room's values.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from pycrdt import YMessageType, create_awareness_message, read_message
from pycrdt.websocket import YRoom

from ..core.model import Design
from ..core.problems import DesignError
from ..core.store.design_file import (
    Document,
    ExternalChangeError,
    FileLockedError,
    digest_bytes,
    file_stamp,
    new_document,
    open_document,
    save_conflict_copy,
    save_document,
)
from ..core.store.validation import check_references
from .board import PHASES, SERVER, Board, votable
from .protocol import (
    CONTROL,
    awareness_client_ids,
    awareness_gone,
    clean_name,
    control_message,
    read_control,
)

Log = Callable[[str], None]
MAX_TIMER = 4 * 3600
MAX_BUDGET = 20


class Connection:
    """One client's websocket as a pycrdt `Channel`, with its name and role.

    CONTROL messages are answered here and never reach the YRoom; awareness messages pass
    through (the YRoom relays them) after their client ids are noted, so that presence can
    be withdrawn for a client that vanished without saying goodbye.
    """

    def __init__(self, ws: web.WebSocketResponse, room: Room, name: str, role: str) -> None:
        self.ws = ws
        self.room = room
        self.name = name
        self.role = role
        self.ident = secrets.token_hex(4)
        self.awareness_ids: set[int] = set()
        self._lock = asyncio.Lock()

    @property
    def path(self) -> str:
        return f"room/{self.ident}"

    def __aiter__(self) -> Connection:
        return self

    async def __anext__(self) -> bytes:
        while True:
            message = await self.ws.receive()
            if message.type != WSMsgType.BINARY:
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                    raise StopAsyncIteration
                if message.type == WSMsgType.ERROR:
                    raise StopAsyncIteration
                continue  # text frames are not ours
            data: bytes = message.data
            if not data:
                continue
            if data[0] == CONTROL:
                request = read_control(data)
                if request is not None:
                    await self.room.handle_control(self, request)
                continue
            if data[0] == YMessageType.AWARENESS:
                with contextlib.suppress(Exception):
                    self.awareness_ids.update(awareness_client_ids(read_message(data[1:])))
            return data

    async def recv(self) -> bytes:
        return await self.__anext__()

    async def send(self, message: bytes) -> None:
        if self.ws.closed:
            return
        async with self._lock:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_bytes(message)

    async def notice(self, text: str, severity: str = "information") -> None:
        await self.send(control_message({"op": "notice", "text": text, "severity": severity}))


class Room:
    """The room of one design file. Use as `async with Room(path) as room:`."""

    def __init__(
        self,
        path: Path,
        *,
        facilitator_token: str | None = None,
        debounce: float = 0.5,
        max_delay: float = 2.0,
        poll: float = 1.0,
        log: Log | None = None,
    ) -> None:
        self.path = path
        self.facilitator_token = facilitator_token or secrets.token_urlsafe(18)
        self.room_id = secrets.token_hex(8)
        """This run's room: a restarted server builds a new document (a new CRDT history)
        from the file, which a client that reconnects must not merge its old one into."""
        self.debounce = debounce
        self.max_delay = max_delay
        self.poll = poll
        self._log = log or (lambda line: None)
        self.board = Board()
        self.document: Document = new_document(path, Design(name=path.stem))
        self.connections: set[Connection] = set()
        self._yroom: YRoom | None = None
        self._stack = AsyncExitStack()
        self._tasks: list[asyncio.Task[None]] = []
        self._dirty = asyncio.Event()
        self._first_change = 0.0
        self._last_change = 0.0
        self._io = asyncio.Lock()
        self._shadow: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        self._enforcing = False
        self._refused_digest: str | None = None
        self._seen_stamp: tuple[int, int, int, int] | None = None
        self.saves = 0
        self._loaded = False

    # ---------------------------------------------------------------- lifecycle

    def load(self) -> None:
        """Build the room from the file (a missing file: an empty board, written at once)."""
        if self.path.exists():
            self.document = open_document(self.path)
        self.board.load(self.document.design)
        self._loaded = True
        self._remember_shadow()
        if self.document.digest is None:
            self._mark_dirty()

    async def __aenter__(self) -> Room:
        if not self._loaded:
            self.load()
        room = YRoom(ydoc=self.board.doc, ready=True, exception_handler=self._exception)
        self._yroom = await self._stack.enter_async_context(room)
        self.board.doc.observe(self._on_transaction)
        self._tasks = [
            asyncio.create_task(self._saver()),
            asyncio.create_task(self._poller()),
        ]
        if self.document.digest is None:
            self._mark_dirty()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.flush()
        await self._stack.aclose()
        self._yroom = None

    def _exception(self, exc: Exception, _log: logging.Logger) -> bool:
        self._log(f"room: {type(exc).__name__}: {exc}")
        return True

    @property
    def running(self) -> bool:
        return self._yroom is not None

    # ---------------------------------------------------------------- clients

    def role_for(self, facilitator: str | None) -> str:
        if facilitator and secrets.compare_digest(
            facilitator.encode(), self.facilitator_token.encode()
        ):
            return "facilitator"
        return "participant"

    async def serve(
        self, ws: web.WebSocketResponse, name: str | None, facilitator: str | None
    ) -> None:
        """Serve one client until it leaves (the websocket is already prepared)."""
        assert self._yroom is not None
        conn = Connection(ws, self, clean_name(name), self.role_for(facilitator))
        self.connections.add(conn)
        self._log(f"{conn.name} joined as {conn.role} ({len(self.connections)} connected)")
        try:
            await conn.send(
                control_message(
                    {
                        "op": "welcome",
                        "role": conn.role,
                        "name": conn.name,
                        "file": self.path.name,
                        "room": self.room_id,
                    }
                )
            )
            await self._send_presence_snapshot(conn)
            await self._yroom.serve(conn)
        finally:
            self.connections.discard(conn)
            await self._withdraw_presence(conn)
            self._log(f"{conn.name} left ({len(self.connections)} connected)")

    async def _send_presence_snapshot(self, conn: Connection) -> None:
        """Tell a newcomer who is already here: the YRoom only relays changes, so
        without this a newcomer would see the others only once each of them moved."""
        assert self._yroom is not None
        awareness = self._yroom.awareness
        ids = [i for i, state in awareness.states.items() if state and i != awareness.client_id]
        if ids:
            await conn.send(create_awareness_message(awareness.encode_awareness_update(ids)))

    async def _withdraw_presence(self, conn: Connection) -> None:
        """Tell the others this client is gone (it may have vanished without a word)."""
        assert self._yroom is not None
        ids = [i for i in conn.awareness_ids if i in self._yroom.awareness.states]
        if not ids:
            return
        message = awareness_gone(self._yroom.awareness, ids)
        with contextlib.suppress(Exception):
            self._yroom.awareness.apply_awareness_update(read_message(message[1:]), "gone")
        for other in list(self.connections):
            await other.send(message)

    async def handle_control(self, conn: Connection, request: dict[str, Any]) -> None:
        op = request.get("op")
        if op == "vote":
            await self._vote(conn, request.get("item"), request.get("delta"))
            return
        if op not in ("phase", "timer", "budget"):
            return
        if conn.role != "facilitator":
            await conn.notice(
                "only the facilitator sets the phase, the timer and the dots", "error"
            )
            return
        if op == "phase":
            phase = request.get("phase")
            if phase is None or (isinstance(phase, str) and 0 < len(phase.strip()) <= 80):
                self._server_write(lambda: self.board.set_meta(phase=phase and phase.strip()))
                self._log(f"phase: {phase or '(none)'} (set by {conn.name})")
        elif op == "timer":
            seconds = request.get("seconds")
            label = request.get("label")
            if isinstance(seconds, int | float) and 0 <= seconds <= MAX_TIMER:
                end = time.time() + float(seconds) if seconds > 0 else None
                text = label[:80] if isinstance(label, str) else ""
                self._server_write(lambda: self.board.set_meta(timer_end=end, timer_label=text))
        elif op == "budget":
            dots = request.get("dots")
            if isinstance(dots, int) and not isinstance(dots, bool) and 1 <= dots <= MAX_BUDGET:
                self._server_write(lambda: self.board.set_meta(budget=dots))

    async def _vote(self, conn: Connection, item_id: object, delta: object) -> None:
        if not isinstance(item_id, str) or delta not in (1, -1):
            return
        design = self.board.read(self.document.design)
        item = next((i for i in design.event_storming.items if i.id == item_id), None)
        if item is None or not votable(item):
            await conn.notice("dots go on hotspots and pivotal events only", "warning")
            return
        mine = self.board.votes_of(conn.name)
        assert isinstance(delta, int)
        if delta > 0 and sum(mine.values()) >= self.board.budget:
            await conn.notice(
                f"you have placed all {self.board.budget} of your dots; take one back first",
                "warning",
            )
            return
        mine[item_id] = max(0, mine.get(item_id, 0) + delta)
        self._server_write(lambda: self.board.set_votes_of(conn.name, mine))

    # ---------------------------------------------------------------- server-only fields

    def _server_write(self, write: Callable[[], None]) -> None:
        write()
        self._remember_shadow()

    def _remember_shadow(self) -> None:
        self._shadow = (self.board.meta_snapshot(), self.board.votes_snapshot())

    def _enforce(self) -> None:
        """Put back phase, timer, budget and votes if a replica wrote them itself."""
        self._enforcing = False
        meta, votes = self._shadow
        if self.board.meta_snapshot() == meta and self.board.votes_snapshot() == votes:
            return
        self._log("room: a client wrote the phase, timer or votes itself; put back")
        with self.board.doc.transaction(origin=SERVER):
            for key in list(self.board.meta.keys()):
                if key not in meta:
                    del self.board.meta[key]
            for key, value in meta.items():
                if self.board.meta.get(key) != value:
                    self.board.meta[key] = value
            for voter in list(self.board.votes.keys()):
                if voter not in votes:
                    del self.board.votes[voter]
            for voter, dots in votes.items():
                if self.board.votes_of(voter) != dots:
                    self.board.set_votes_of(voter, dict(dots))

    # ---------------------------------------------------------------- the writer

    def _on_transaction(self, _event: object) -> None:
        self._mark_dirty()
        if not self._enforcing:
            self._enforcing = True
            asyncio.get_running_loop().call_soon(self._enforce)

    def _mark_dirty(self) -> None:
        now = time.monotonic()
        if not self._dirty.is_set():
            self._first_change = now
            self._dirty.set()
        self._last_change = now

    async def _saver(self) -> None:
        while True:
            await self._dirty.wait()
            while True:  # wait for a pause in the edits, or the longest delay
                due = min(self._last_change + self.debounce, self._first_change + self.max_delay)
                wait = due - time.monotonic()
                if wait <= 0:
                    break
                await asyncio.sleep(wait)
            self._dirty.clear()
            try:
                await self.save()
            except Exception as exc:  # never let one failed save stop the writer
                self._log(f"cannot save {self.path}: {exc}")
                await asyncio.sleep(self.max_delay)
                self._mark_dirty()

    async def flush(self) -> None:
        """Save now whatever is unsaved (at shutdown)."""
        self._dirty.clear()
        if self._refused_digest is not None:
            design = self.board.read(self.document.design)
            if design != self.document.design:
                copy = await asyncio.to_thread(save_conflict_copy, self.document, design)
                self._log(f"{self.path} still does not validate: the room's board is in {copy}")
            return
        await self.save()

    async def save(self) -> None:
        async with self._io:
            if self._refused_digest is not None:
                return  # the file on disk is broken: merging it first (poller) comes first
            design = self.board.read(self.document.design)
            if design == self.document.design and self.document.digest is not None:
                return
            problems = check_references(design)
            if problems:
                self._log(f"not saved, the board would not validate: {problems[0].message}")
                return
            try:
                saved = await asyncio.to_thread(save_document, self.document, design)
            except ExternalChangeError:
                merged = await self._merge_external()
                if merged:
                    self._mark_dirty()  # the room's edits go on top, at the next save
                return
            except FileLockedError as exc:
                self._log(f"{self.path}: {exc}; trying again")
                self._mark_dirty()
                return
            self.document = saved
            self.saves += 1
            self._log(
                f"saved {self.path.name}: {len(design.event_storming.items)} stickies "
                f"(save {self.saves})"
            )

    # ---------------------------------------------------------------- outside edits

    async def _poller(self) -> None:
        while True:
            await asyncio.sleep(self.poll)
            try:
                await self.check_external()
            except Exception as exc:
                self._log(f"cannot read {self.path}: {exc}")

    async def check_external(self) -> None:
        """Merge an edit someone made to the file (or refuse it clearly)."""
        async with self._io:
            if self.document.digest is None and self._refused_digest is None:
                return  # not written yet: nothing of ours to compare with
            stamp = file_stamp(self.path)
            if stamp is None:
                if self.document.digest is not None:
                    self._log(f"{self.path} was removed while serving; the room writes it again")
                    self.document = new_document(self.path, self.document.design)
                    self._mark_dirty()
                return
            if stamp in (self.document.stamp, self._seen_stamp):
                return
            try:
                current = digest_bytes(self.path.read_bytes())
            except OSError:
                return
            if current == self._refused_digest:
                self._seen_stamp = stamp
                return
            if current == self.document.digest:
                self._seen_stamp = stamp
                if self._refused_digest is not None:  # put back as it was: writable again
                    self._refused_digest = None
                    self._log(f"{self.path} is valid again; the room writes it")
                    self._mark_dirty()
                return
            if await self._merge_external():
                self._mark_dirty()

    async def _merge_external(self) -> bool:
        """Apply what changed in the file since the room read or wrote it. Under `_io`."""
        try:
            fresh = await asyncio.to_thread(open_document, self.path)
        except DesignError as exc:
            digest = digest_bytes(self.path.read_bytes())
            if digest != self._refused_digest:
                self._refused_digest = digest
                self._log(
                    f"{exc}\n{self.path} was edited outside the workshop and does not "
                    "validate: not merged, and not overwritten. Fix it and it is merged; "
                    "the room keeps everyone's board meanwhile."
                )
                await self._tell_all(
                    f"{self.path.name} was edited outside the workshop and does not "
                    "validate; the facilitator has the details. Nothing is lost.",
                    "warning",
                )
            return False
        except (OSError, UnicodeDecodeError) as exc:
            self._log(f"cannot read {self.path}: {exc}")
            return False
        base = self.document.design
        self.board.apply(base, fresh.design, origin=SERVER)
        self._remember_shadow()
        self.document = fresh
        self._refused_digest = None
        self._log(f"merged an outside edit of {self.path.name} into the room")
        await self._tell_all(f"{self.path.name} was edited outside the workshop: merged in.")
        return True

    async def _tell_all(self, text: str, severity: str = "information") -> None:
        for conn in list(self.connections):
            await conn.notice(text, severity)


__all__ = ["PHASES", "Connection", "Room"]
