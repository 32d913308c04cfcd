"""The `stratus serve` web server: textual-serve's page and protocol behind a guard.

textual-serve (1.1.3) lets any web page in, leaks an app per large-terminal disconnect and
cannot be told to do otherwise without replacing its request handlers, so this small aiohttp
server replaces them and keeps only its browser client (static files and page template).
Three layers, each usable by whatever serve becomes:

- `guard.Guard`: Host, Origin and token, for every request;
- `SessionSlots`: at most N sessions (apps still ending count: the cap bounds processes);
- `supervisor.AppProcess`: one app per session, drained and ended in bounded time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web

from .guard import Guard, PublicURL
from .supervisor import AppProcess, clamp_size

if TYPE_CHECKING:
    from ..live.room import Room

TEXTUAL_SERVE = Path(textual_serve.__file__).resolve().parent
CLOSE_TRY_AGAIN_LATER = 1013  # RFC 6455 registry: "Try Again Later"
MAX_MESSAGE = 1024 * 1024  # a browser's keystrokes and resizes are tiny
FONT_CDN = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)
MAX_ROOM_MESSAGE = 64 * 1024 * 1024  # a first sync of a big board is one message


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class ServeConfig:
    """What to run per browser and where, and who may connect."""

    argv: Sequence[str]  # the app command, run without a shell
    cwd: Path  # the app's working folder (the design's folder)
    title: str
    host: str
    port: int
    public: PublicURL
    token: str = field(default_factory=new_token, repr=False)
    max_sessions: int = 12
    grace: float = 2.0  # seconds for each step of ending an app
    app_env: dict[str, str] = field(default_factory=dict)  # added to each app's environment
    room: Room | None = None  # the live workshop's room (`/room/<token>`), if any

    @property
    def link(self) -> str:
        return f"{self.public.url}/?token={self.token}"


class SessionSlots:
    """A counter with a cap; taking a slot never awaits, so two connections cannot race."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self) -> bool:
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    def give_back(self) -> None:
        self.used -= 1


class StratusServer:
    """Serve one app command to browsers, safely. `run()` blocks until SIGINT/SIGTERM."""

    def __init__(self, config: ServeConfig, log: Callable[[str], None] | None = None) -> None:
        self.config = config
        self.guard = Guard(config.public, config.token)
        self.slots = SessionSlots(config.max_sessions)
        self.apps: dict[int, AppProcess] = {}
        self.sockets: dict[int, web.WebSocketResponse] = {}
        self.room_sockets: set[web.WebSocketResponse] = set()
        self._ids = count(1)
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEXTUAL_SERVE / "templates"), autoescape=True
        )

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_MESSAGE)
        self.guard.install(app)
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.get("/ws/{token}", self.handle_websocket),
                web.get("/ws/{token}/{facilitator}", self.handle_websocket),
                web.get("/room/{token}", self.handle_room),
                web.static("/static", TEXTUAL_SERVE / "static", show_index=False),
            ]
        )
        app.on_shutdown.append(self._on_shutdown)
        return app

    def full_message(self) -> str:
        limit = self.slots.limit
        return (
            f"STRATUS: this workshop already has {limit} sessions open "
            f"(--max-sessions {limit}). Close another tab and reload, or ask the facilitator "
            "to restart `stratus serve` with a higher --max-sessions."
        )

    async def handle_index(self, request: web.Request) -> web.Response:
        if self.slots.used >= self.slots.limit:
            # Said on the page: a browser shows a refused socket only as "Session ended".
            body = f"<!DOCTYPE html><title>Room full</title><p>{self.full_message()}</p>\n"
            return web.Response(status=503, text=body, content_type="text/html")
        font_size = clamp_size(request.query.get("fontsize", "16"), 16)[0]
        public = self.config.public
        # textual.js appends "?width=..&height=..": the token (and a facilitator's key)
        # go in the path.
        socket_path = f"/ws/{self.config.token}"
        facilitator = request.query.get("facilitator")
        if facilitator and self.config.room is not None:
            if self.config.room.role_for(facilitator) != "facilitator":
                return web.Response(status=403, text="stratus serve: wrong facilitator key\n")
            socket_path += f"/{facilitator}"
        html = self._templates.get_template("app_index.html").render(
            font_size=font_size,
            app_websocket_url=f"{public.websocket_url}{socket_path}",
            config={"static": {"url": f"{public.url}/static/"}},
            application={"name": self.config.title},
            ping_url="",
        )
        # The page loads nothing from any other host: a LAN without internet (and a
        # workshop's privacy) must not wait on a font CDN. The terminal falls back to
        # the browser's own monospace font.
        html = FONT_CDN.sub("", html)
        return web.Response(text=html, content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        if not self.slots.take():
            await websocket.prepare(request)
            await self._refuse_full(websocket)
            return websocket
        session = next(self._ids)
        try:
            await websocket.prepare(request)
            await self._run_session(session, websocket, request)
        finally:
            self.slots.give_back()
        return websocket

    async def _refuse_full(self, websocket: web.WebSocketResponse) -> None:
        limit = self.slots.limit
        self._log(f"session refused: {limit} of {limit} open (--max-sessions {limit})")
        # Shown in the browser's terminal, where the app would have been.
        text = f"\r\n  {self.full_message()}\r\n"
        with contextlib.suppress(Exception):
            await websocket.send_bytes(text.encode())
            await websocket.close(code=CLOSE_TRY_AGAIN_LATER, message=b"too many sessions")

    async def _run_session(
        self, session: int, websocket: web.WebSocketResponse, request: web.Request
    ) -> None:
        width, height = clamp_size(request.query.get("width"), request.query.get("height"))
        env = {**os.environ, **self.config.app_env}
        facilitator = request.match_info.get("facilitator")
        room = self.config.room
        if facilitator and room is not None and room.role_for(facilitator) == "facilitator":
            from ..live.client import FACILITATOR_ENV

            env[FACILITATOR_ENV] = facilitator
        app = AppProcess(
            self.config.argv,
            cwd=self.config.cwd,
            env=env,
            send_bytes=websocket.send_bytes,
            send_text=websocket.send_str,
            close=websocket.close,
            grace=self.config.grace,
        )
        self.apps[session] = app
        self.sockets[session] = websocket
        try:
            await app.start(width, height)
            self._log(
                f"session {session} opened (pid {app.pid}, {width}x{height}; "
                f"{self.slots.used} of {self.slots.limit} open)"
            )
            await self._read_browser(websocket, app)
        finally:
            # Shielded: a server shutting down cancels handlers, but the app must still end.
            outcome = await asyncio.shield(self._end(session, app))
            self._log(
                f"session {session} ended: {outcome} ({self.slots.used - 1} of "
                f"{self.slots.limit} open)"
            )

    async def _end(self, session: int, app: AppProcess) -> str:
        try:
            return await app.stop()
        finally:
            self.apps.pop(session, None)
            self.sockets.pop(session, None)

    async def _read_browser(self, websocket: web.WebSocketResponse, app: AppProcess) -> None:
        """Pass the browser's keys, resizes and focus on to the app until it leaves."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope: Any = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                ok = await app.send_stdin(data)
            elif kind == "resize" and isinstance(data, dict):
                ok = await app.resize(data.get("width"), data.get("height"))
            elif kind in ("blur", "focus"):
                ok = await app.send_meta({"type": kind})
            elif kind == "ping":
                await websocket.send_json(["pong", data])
                continue
            else:
                continue
            if not ok and app.attached is False:
                break  # the app has ended: so has the session

    async def handle_room(self, request: web.Request) -> web.StreamResponse:
        """The live workshop's shared document: every app and `stratus join` syncs here."""
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_ROOM_MESSAGE)
        room = self.config.room
        if room is None or not room.running:
            return web.Response(status=503, text="stratus serve: the room is not open yet\n")
        await websocket.prepare(request)
        self.room_sockets.add(websocket)
        try:
            await room.serve(websocket, request.query.get("name"), request.query.get("facilitator"))
        finally:
            self.room_sockets.discard(websocket)
            await websocket.close()
        return websocket

    async def _on_shutdown(self, _app: web.Application) -> None:
        apps = list(self.apps.values())
        await asyncio.gather(*(app.stop() for app in apps), return_exceptions=True)
        # Tell browsers we are going; one that does not answer is not waited for long.
        sockets = [*self.sockets.values(), *self.room_sockets]
        await asyncio.gather(*(self._going_away(ws) for ws in sockets), return_exceptions=True)

    async def _going_away(self, websocket: web.WebSocketResponse) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped"),
                timeout=self.config.grace,
            )

    def kill_all(self) -> None:
        for app in list(self.apps.values()):
            app.kill_now()

    def run(self, on_ready: Callable[[], None] = lambda: None) -> None:
        """Serve until SIGINT or SIGTERM; every app is ended before this returns.

        `on_ready` runs once the port is bound (so the link it prints works); a port that
        cannot be bound raises OSError before it.
        """
        try:
            asyncio.run(self._serve(on_ready))
        finally:
            self.kill_all()

    async def _serve(self, on_ready: Callable[[], None]) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=self.config.grace)
        await runner.setup()
        room = self.config.room
        try:
            await web.TCPSite(runner, self.config.host, self.config.port).start()
            if room is not None:
                # Opened once the port is ours: a port in use writes nothing.
                await room.__aenter__()
            on_ready()
            await stop.wait()
        finally:
            try:
                await runner.cleanup()  # on_shutdown ends every app, then connections close
            finally:
                if room is not None and room.running:
                    # Last: every client is gone, so its final save has all their edits.
                    await room.__aexit__(None, None, None)
