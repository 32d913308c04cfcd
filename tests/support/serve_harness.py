"""A real `stratus serve` on a free local port, for tests, and aiohttp clients to poke it.

The server runs in its own process group; `stop()` ends it with SIGTERM, then SIGKILL to
the group, then SIGKILL to every app session it started (each app has its own group), so a
failing test leaves no process behind. Tests wait on the server's own log lines ("session 3
ended: quit"), never on the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp

GRACE = 10.0  # upper bound on any wait; a passing test never waits this long
APP_START = 30.0  # an app starting on a loaded CI machine
APP_SHOWS = b"STRATUS"  # text in the app's first frame


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def proc_stat(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, process group, session) of a live process, from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":  # a zombie is dead; its parent has not reaped it yet
        return None
    return int(fields[1]), int(fields[2]), int(fields[3])


def all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`."""
    parents = {p: stat[0] for p in all_pids() if (stat := proc_stat(p)) is not None}
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def in_sessions(sessions: set[int]) -> set[int]:
    """Live processes in any of these sessions (an app and whatever it started)."""
    return {p for p in all_pids() if (s := proc_stat(p)) is not None and s[2] in sessions}


class ServeProcess:
    """`python -m stratus_tui serve DESIGN --port P *extra`, its log lines in a queue."""

    def __init__(self, design: Path, *extra: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.app_pids: set[int] = set()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "stratus_tui", "serve", str(design),
             "--port", str(self.port), *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.link = self.wait_line(r"^Serving .* at (\S+)$").group(1)
        except BaseException:
            self.stop()
            raise
        self.token = parse_qs(urlsplit(self.link).query)["token"][0]
        self.origin = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:  # keeps the pipe drained: the server never blocks on it
            self.lines.put(line.rstrip("\n"))
        self.lines.put("")  # end of the log: the server is gone

    def wait_line(self, pattern: str) -> re.Match[str]:
        """The next log line matching `pattern` (blocking; fails if the server ends first)."""
        while True:
            try:
                line = self.lines.get(timeout=GRACE)
            except queue.Empty:
                raise AssertionError(f"no {pattern!r} in the serve log: {self.log}") from None
            if line == "" and self.proc.poll() is not None:
                raise AssertionError(f"serve ended without {pattern!r}: {self.log}")
            self._note(line)
            if match := re.search(pattern, line):
                return match

    def _note(self, line: str) -> None:
        self.log.append(line)
        if found := re.search(r"\(pid (\d+),", line):
            self.app_pids.add(int(found.group(1)))

    async def await_line(self, pattern: str) -> re.Match[str]:
        return await asyncio.to_thread(self.wait_line, pattern)

    def ws_url(self, token: str | None = None, query: str = "width=100&height=30") -> str:
        return f"ws://127.0.0.1:{self.port}/ws/{self.token if token is None else token}?{query}"

    def stop(self) -> int | None:
        """End the server and all it started; its exit code after SIGTERM (None if killed)."""
        while not self.lines.empty():  # pids in log lines no test waited for
            self._note(self.lines.get_nowait())
        apps = self.app_pids | descendants(self.proc.pid)
        code: int | None = None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            code = self.proc.wait(timeout=GRACE)
        for group in {self.proc.pid, *apps}:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        self.proc.wait(timeout=GRACE)
        return code


async def first_frame(ws: aiohttp.ClientWebSocketResponse, width: int = 100) -> bytes:
    """Tell the app the browser's size (as textual.js does) and read until it draws."""
    await ws.send_json(["resize", {"width": width, "height": 30}])
    data = b""
    while APP_SHOWS not in data:
        message = await asyncio.wait_for(ws.receive(), timeout=APP_START)
        assert message.type == aiohttp.WSMsgType.BINARY, (message, data[-200:])
        data += message.data
    return data


@contextlib.asynccontextmanager
async def connect(
    url: str, headers: dict[str, str] | None = None
) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
    """One websocket session, as a browser opens it."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, headers=headers or {}) as ws,
    ):
        yield ws
