"""A participant's side of a live workshop: a replica of the room's document, kept in sync.

`LiveClient.run()` connects to the room's websocket, syncs both ways (pycrdt's `Provider`
speaks the y-protocol sync: the first exchange catches up whatever either side missed),
relays presence (awareness) and the server's notices, and reconnects after a lost
connection until `stop()`. Edits are made on `board` with `edit(old, new)`; they reach
the room at once and every other replica within one network round trip.

No Textual here: the workbench (`live.app`) and the tests and benchmark drive it alike.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import aiohttp
from pycrdt import (
    Awareness,
    Doc,
    Provider,
    UndoManager,
    YMessageType,
    create_awareness_message,
    read_message,
)

from ..core.model import Design
from .board import LOCAL, Board
from .protocol import CONTROL, ROOM_PATH, awareness_gone, clean_name, control_message, read_control

CONNECT_ENV = "STRATUS_LIVE_CONNECT"
"""Set by `stratus serve` for the apps it runs: dial this address (the server's own
listening address), while naming the public URL in the Host header."""
FACILITATOR_ENV = "STRATUS_LIVE_FACILITATOR"
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 3.0)
WELCOME_WAIT = 10.0
REBASE = "rebase"
"""Transaction origin of the edits a client carries over to a restarted room (not undoable)."""


class JoinError(Exception):
    """The room cannot be joined: refused (token) or unreachable. Said plainly."""


@dataclass(frozen=True)
class JoinTarget:
    """Where a room is: the public base URL, its join token, an optional facilitator key."""

    base: str  # http(s)://host[:port]
    token: str
    facilitator: str | None = None
    connect: str | None = None  # dial this base instead (same machine as the server)

    @property
    def netloc(self) -> str:
        return urlsplit(self.base).netloc

    def room_url(self, name: str) -> str:
        dial = self.connect or self.base
        scheme = "wss" if dial.startswith("https") else "ws"
        url = f"{scheme}://{urlsplit(dial).netloc}{ROOM_PATH}{quote(self.token, safe='')}"
        url += f"?name={quote(name, safe='')}"
        if self.facilitator:
            url += f"&facilitator={quote(self.facilitator, safe='')}"
        return url

    @property
    def link(self) -> str:
        return f"{self.base}/?token={self.token}"


def parse_join_url(text: str) -> JoinTarget:
    """The link `stratus serve` printed, as a JoinTarget; ValueError says what is wrong."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"{text!r} is not a workshop link: it looks like http://HOST:PORT/?token=..."
        )
    query = parse_qs(parts.query)
    token = (query.get("token") or [""])[0]
    if not token:
        raise ValueError(f"{text!r} has no ?token=...: copy the whole link `stratus serve` printed")
    facilitator = (query.get("facilitator") or [""])[0] or None
    return JoinTarget(f"{parts.scheme}://{parts.netloc}", token, facilitator)


class _Channel:
    """The client's websocket as a pycrdt `Channel`: sync messages go to the Provider;
    awareness and CONTROL messages are handled here."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, client: LiveClient) -> None:
        self.ws = ws
        self.client = client
        self.closed = asyncio.Event()
        self._lock = asyncio.Lock()
        self._pending: list[bytes] = []

    async def welcome(self) -> dict[str, Any] | None:
        """The room's welcome, which it sends before anything else (None: none came).
        Read before the sync starts: it says which room (which document) this is."""
        with contextlib.suppress(TimeoutError):
            message = await asyncio.wait_for(self.ws.receive(), WELCOME_WAIT)
            if message.type == aiohttp.WSMsgType.BINARY and message.data:
                request = read_control(message.data)
                if request is not None and request.get("op") == "welcome":
                    return request
                self._pending.append(message.data)
        return None

    @property
    def path(self) -> str:
        return "room"

    def __aiter__(self) -> _Channel:
        return self

    async def __anext__(self) -> bytes:
        while True:
            if self._pending:
                data: bytes = self._pending.pop(0)
            else:
                message = await self.ws.receive()
                if message.type != aiohttp.WSMsgType.BINARY:
                    if message.type in (
                        aiohttp.WSMsgType.CLOSE,
                        aiohttp.WSMsgType.CLOSING,
                        aiohttp.WSMsgType.CLOSED,
                        aiohttp.WSMsgType.ERROR,
                    ):
                        self.closed.set()
                        raise StopAsyncIteration
                    continue
                data = message.data
            if not data:
                continue
            if data[0] == YMessageType.AWARENESS:
                with contextlib.suppress(Exception):
                    self.client.awareness.apply_awareness_update(read_message(data[1:]), "remote")
                continue
            if data[0] == CONTROL:
                request = read_control(data)
                if request is not None:
                    self.client._on_control(request)
                continue
            return data

    async def recv(self) -> bytes:
        return await self.__anext__()

    async def send(self, message: bytes) -> None:
        if self.ws.closed:
            return
        async with self._lock:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_bytes(message)


PRESENCE_RENEWAL_S = 10.0
Listener = Callable[[], None]
StatusListener = Callable[[str, str], None]


class LiveClient:
    """One participant's replica of the room. `await run()` until `stop()`."""

    def __init__(
        self,
        target: JoinTarget,
        name: str,
        *,
        on_change: Listener | None = None,
        on_presence: Listener | None = None,
        on_status: StatusListener | None = None,
        retry: bool = True,
    ) -> None:
        self.target = target
        self.name = clean_name(name)
        self.role = "participant"
        self.retry = retry
        self.connected = asyncio.Event()
        self.lost = asyncio.Event()
        """Set when a connection that was up has gone (cleared on the next one)."""
        self.synced = asyncio.Event()
        self.status = "connecting"
        self.file_name: str | None = None
        self._on_change = on_change
        self._on_presence = on_presence
        self._on_status = on_status
        self._channel: _Channel | None = None
        self._stop = asyncio.Event()
        self._design: Design | None = None
        self._change_pending = False
        self.room_id: str | None = None
        """The room this replica's document belongs to (the server's run)."""
        self._base: Design | None = None
        """The design as it stood when the last connection was lost."""
        self._carry: tuple[Design, Design] | None = None
        """(base, mine): edits to make again on a restarted room's document once synced."""
        self._quiet = False
        self._attach(Board(), {"name": self.name, "role": self.role, "at": None})

    def _attach(self, board: Board, presence: dict[str, Any]) -> None:
        """Hold `board` (a document of its own): undo, presence and change events on it."""
        self.board = board
        self.awareness = Awareness(board.doc)
        self.undo_manager = UndoManager(
            scopes=[board.stickies, board.contexts, board.rest], capture_timeout_millis=600
        )
        self.undo_manager.include_origin(LOCAL)
        board.doc.observe(lambda _event: self._changed())
        self.awareness.observe(self._awareness_event)
        self.awareness.set_local_state(presence)
        self._design = None

    def _start_over(self) -> None:
        """The server restarted: its document was rebuilt from the file, a history of its
        own. Merging this replica's old document into it would let one of the two copies
        of each sticky win whole (losing the other's edits), so this replica starts empty
        under the same client id, syncs, then makes again the edits made since it last
        heard from the room (`_carry`)."""
        mine = self.design()
        self._carry = (self._base if self._base is not None else mine, mine)
        presence = dict(self.awareness.get_local_state() or {})
        self._attach(Board(Doc(client_id=self.board.doc.client_id)), presence)
        self._quiet = True  # the screens keep `mine` until the carried edits are made

    # ---------------------------------------------------------------- reading

    def design(self) -> Design:
        """The design this replica holds now (cached until the next change)."""
        if self._design is None:
            self._design = self.board.read(None)
        return self._design

    def unsent(self) -> int:
        """How many stickies (and other parts of the board) this replica changed while
        offline: edits the room has not seen yet (0 when connected)."""
        if self.connected.is_set() or self._base is None:
            return 0
        before, now = self._base, self.design()
        if before == now:
            return 0
        old = {i.id: i for i in before.event_storming.items}
        new = {i.id: i for i in now.event_storming.items}
        count = sum(1 for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        board = before.event_storming.model_copy(update={"items": now.event_storming.items})
        rest = before.model_copy(update={"event_storming": now.event_storming})
        # contexts, phase or anything outside the board: one more change to keep
        return count + int(board != now.event_storming or rest != now)

    def people(self) -> list[dict[str, Any]]:
        """Everyone connected (self included): name, role, where they are."""
        out = []
        for client_id, state in sorted(self.awareness.states.items()):
            if isinstance(state, dict) and state.get("name"):
                out.append({**state, "me": client_id == self.awareness.client_id})
        return out

    # ---------------------------------------------------------------- writing

    def edit(self, old: Design, new: Design) -> None:
        """Make the edit old -> new on the shared board (sent to the room at once)."""
        self.board.apply(old, new, LOCAL)
        self._design = None

    def undo(self) -> bool:
        return bool(self.undo_manager.undo())

    def redo(self) -> bool:
        return bool(self.undo_manager.redo())

    def set_presence(self, **fields: object) -> None:
        state = dict(self.awareness.get_local_state() or {})
        if all(state.get(k) == v for k, v in fields.items()):
            return
        state.update(fields)
        self.awareness.set_local_state(state)

    async def request(self, **payload: object) -> None:
        """Ask the room for something only it writes (phase, timer, budget, a vote)."""
        if self._channel is not None:
            await self._channel.send(control_message(dict(payload)))

    # ---------------------------------------------------------------- events

    def _changed(self) -> None:
        # Called inside the document's commit, where the document cannot be read: the
        # listener runs once the commit is done (and once for a burst of updates).
        self._design = None
        if self._quiet:
            return
        if self._on_change is not None and not self._change_pending:
            self._change_pending = True
            asyncio.get_running_loop().call_soon(self._notify_change)

    def _notify_change(self) -> None:
        self._change_pending = False
        self._design = None
        if self._on_change is not None:
            self._on_change()

    async def _renew_presence(self) -> None:
        # The room forgets a presence not renewed for 30 s (the awareness protocol's
        # timeout), and a newcomer learns who is here from the room: an idle participant
        # must renew (a new clock, same state), as Yjs clients do every 15 s.
        while True:
            await asyncio.sleep(PRESENCE_RENEWAL_S)
            self.awareness.set_local_state(dict(self.awareness.get_local_state() or {}))

    def _awareness_event(self, topic: str, changes: tuple[dict[str, Any], Any]) -> None:
        if topic == "update" and changes[1] == "local" and self._channel is not None:
            update = self.awareness.encode_awareness_update([self.awareness.client_id])
            message = create_awareness_message(update)
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().create_task(self._channel.send(message))
        if topic == "change" and self._on_presence is not None:
            self._on_presence()

    def _connection_changed(self) -> None:
        # The screens say when this replica is offline (its presence list is stale then).
        if self._on_presence is not None:
            self._on_presence()

    def _on_control(self, request: dict[str, Any]) -> None:
        op = request.get("op")
        if op == "welcome":
            role = request.get("role")
            self.role = role if role in ("facilitator", "participant") else "participant"
            file_name = request.get("file")
            self.file_name = file_name if isinstance(file_name, str) else None
            self.set_presence(role=self.role)
        elif op == "notice":
            text = request.get("text")
            severity = request.get("severity")
            if isinstance(text, str):
                self._say(text, severity if isinstance(severity, str) else "information")

    def _say(self, text: str, severity: str) -> None:
        self.status = text
        if self._on_status is not None:
            self._on_status(text, severity)

    # ---------------------------------------------------------------- the connection

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        """Connect, sync, and reconnect after a loss until `stop()`.

        JoinError when the very first connection is refused or cannot be made; after a
        successful join a lost connection is retried until it comes back.
        """
        attempt = 0
        ever = False
        async with aiohttp.ClientSession() as session:
            while not self._stop.is_set():
                try:
                    await self._session(session)
                    ever = True
                    attempt = 0
                except JoinError:
                    if not ever or not self.retry:
                        raise
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    if not ever:
                        raise JoinError(self._unreachable(exc)) from None
                if self._stop.is_set() or not self.retry:
                    return
                self.connected.clear()
                delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
                attempt += 1
                self._say(
                    f"connection to the workshop lost; reconnecting (try {attempt})", "warning"
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=delay)

    def _unreachable(self, exc: BaseException) -> str:
        where = self.target.netloc
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return f"cannot reach the workshop at {where}: {reason} (is `stratus serve` running?)"

    async def _session(self, session: aiohttp.ClientSession) -> None:
        url = self.target.room_url(self.name)
        headers = {"Host": self.target.netloc}
        try:
            ws = await session.ws_connect(url, headers=headers, heartbeat=10, max_msg_size=0)
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status in (401, 403):
                raise JoinError(await self._refusal(session, url, headers)) from None
            raise
        channel = _Channel(ws, self)
        self._channel = channel
        self.lost.clear()
        was_synced = self.synced.is_set() or self._base is not None
        self.synced.clear()
        try:
            welcome = await channel.welcome()
            room = welcome.get("room") if welcome is not None else None
            if isinstance(room, str):
                if self.room_id not in (None, room) and was_synced and self._carry is None:
                    self._start_over()
                self.room_id = room
            if welcome is not None:
                self._on_control(welcome)
            async with Provider(self.board.doc, channel) as provider:
                self.connected.set()
                self._connection_changed()
                # Our presence, now that there is someone to tell.
                self.set_presence(name=self.name)
                await channel.send(
                    create_awareness_message(
                        self.awareness.encode_awareness_update([self.awareness.client_id])
                    )
                )
                synced = asyncio.create_task(self._mark_synced(provider))
                renew = asyncio.create_task(self._renew_presence())
                stop = asyncio.create_task(self._stop.wait())
                closed = asyncio.create_task(channel.closed.wait())
                await asyncio.wait({stop, closed}, return_when=asyncio.FIRST_COMPLETED)
                for task in (synced, renew, stop, closed):
                    task.cancel()
                if self._stop.is_set() and not ws.closed:
                    # Say goodbye so the others' presence lists drop us at once.
                    await channel.send(awareness_gone(self.awareness, [self.awareness.client_id]))
        finally:
            if self.synced.is_set():
                self._base = self.design()
            self._channel = None
            self.connected.clear()
            self.lost.set()
            self._connection_changed()
            with contextlib.suppress(Exception):
                await ws.close()

    async def _mark_synced(self, provider: Provider) -> None:
        await provider.synced.wait()
        carry, self._carry = self._carry, None
        if carry is not None:
            # Only what changed since the connection was lost is written (a sticky the
            # restarted room lacks, made before the loss, comes back with it).
            self.board.apply(*carry, origin=REBASE)
            self._quiet = False
            self._changed()
        self.synced.set()
        if carry is not None:
            self._say(
                "the workshop's server restarted; your edits are on its board (undo starts afresh)",
                "warning",
            )
        else:
            self._say(f"joined as {self.name} ({self.role})", "information")

    async def _refusal(
        self, session: aiohttp.ClientSession, url: str, headers: dict[str, str]
    ) -> str:
        """The server's own words for a refused join (the guard says why in the body)."""
        http = url.replace("ws://", "http://", 1).replace("wss://", "https://", 1)
        try:
            async with session.get(http, headers=headers) as response:
                text = (await response.text()).strip()
        except (aiohttp.ClientError, OSError):
            text = ""
        text = text.removeprefix("stratus serve: ")
        return f"the workshop refused to let you in: {text or 'wrong or missing token'}"


__all__ = [
    "CONNECT_ENV",
    "FACILITATOR_ENV",
    "JoinError",
    "JoinTarget",
    "LiveClient",
    "parse_join_url",
]
