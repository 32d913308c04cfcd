"""One served app process: started in its own process group, read until it ends, ended in time.

textual-serve stops reading an app's output when its browser leaves, so an app drawing a big
frame blocks forever on a full pipe (issue 12). Here the output is read until end of file
whatever happens to the browser (once the browser is gone it is read and dropped), the
terminal size a client asks for is clamped, and `stop()` ends the app within a bounded time:
a polite quit, then SIGTERM, then SIGKILL to the whole process group (an app still starting
up may ignore SIGTERM). This knows nothing of HTTP: the server hands it callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

MAX_WIDTH = 500
MAX_HEIGHT = 200
DEFAULT_SIZE = (80, 24)
STDERR_KEEP = 16 * 1024  # the tail of an app's stderr kept for the log
READ_CHUNK = 64 * 1024
PRELUDE = b"__GANGLION__\n"  # Textual's web driver writes this when it is ready

SendBytes = Callable[[bytes], Awaitable[object]]
SendText = Callable[[str], Awaitable[object]]
Close = Callable[[], Awaitable[object]]


def _int_or(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and len(value) <= 10:  # never int() a megabyte of digits
        with contextlib.suppress(ValueError):
            return int(value)
    return default


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a client asked for, made sane: 1..500 columns, 1..200 rows."""
    w = _int_or(width, DEFAULT_SIZE[0])
    h = _int_or(height, DEFAULT_SIZE[1])
    return max(1, min(w, MAX_WIDTH)), max(1, min(h, MAX_HEIGHT))


def encode_packet(kind: bytes, payload: bytes) -> bytes:
    """textual-serve's framing: one type byte, a 4-byte big-endian length, the payload."""
    return kind + len(payload).to_bytes(4, "big") + payload


def child_environment(
    base: Mapping[str, str], width: int, height: int, extra: Mapping[str, str]
) -> dict[str, str]:
    """The environment of a served app (what textual-serve sets, plus `extra`)."""
    env = dict(base)
    env.update(
        TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
        TEXTUAL_FPS="60",
        TEXTUAL_COLOR_SYSTEM="truecolor",
        TERM_PROGRAM="textual",
        COLUMNS=str(width),
        ROWS=str(height),
    )
    env.update(extra)
    return env


def _die_with_parent() -> None:
    """Runs in the child before exec: if the server dies (even by SIGKILL), so does the app."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class AppProcess:
    """One app child process and the tasks that read its output."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        send_bytes: SendBytes,
        send_text: SendText,
        close: Close,
        grace: float = 2.0,
    ) -> None:
        self.argv = list(argv)
        self.cwd = cwd
        self.env = dict(env)
        self.grace = grace
        self._send_bytes = send_bytes
        self._send_text = send_text
        self._close = close
        self._proc: asyncio.subprocess.Process | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.attached = True
        self.stderr_tail = b""

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    async def start(self, width: int, height: int) -> None:
        width, height = clamp_size(width, height)
        env = child_environment(self.env, width, height, {})
        self._proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            cwd=self.cwd,
            start_new_session=True,  # its own process group: one signal ends all it started
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self._tasks = [
            asyncio.create_task(self._pump_stdout()),
            asyncio.create_task(self._pump_stderr()),
        ]

    def detach(self) -> None:
        """The browser is gone: keep reading the app's output, but drop it."""
        self.attached = False

    # -- to the app -------------------------------------------------------------------

    async def _write(self, packet: bytes) -> bool:
        proc = self._proc
        if proc is None or proc.stdin is None or proc.returncode is not None:
            return False
        try:
            proc.stdin.write(packet)
            # A child that reads no input must not stall the server: bounded wait.
            await asyncio.wait_for(proc.stdin.drain(), timeout=max(self.grace, 5.0))
        except (OSError, RuntimeError, TimeoutError):
            return False
        return True

    async def send_stdin(self, text: str) -> bool:
        return await self._write(encode_packet(b"D", text.encode("utf-8", "replace")))

    async def send_meta(self, meta: Mapping[str, object]) -> bool:
        return await self._write(encode_packet(b"M", json.dumps(meta).encode("utf-8")))

    async def resize(self, width: object, height: object) -> bool:
        w, h = clamp_size(width, height)
        return await self.send_meta({"type": "resize", "width": w, "height": h})

    # -- from the app -----------------------------------------------------------------

    async def _forward(self, send: Callable[[Any], Awaitable[object]], payload: Any) -> None:
        if not self.attached:
            return
        try:
            await send(payload)
        except Exception:  # the browser went away mid-send: keep draining the app
            self.attached = False

    async def _pump_stdout(self) -> None:
        """Read the app's output to end of file, whatever the browser does."""
        assert self._proc is not None and self._proc.stdout is not None
        stdout = self._proc.stdout
        try:
            await self._read_packets(stdout)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the app ended mid-packet
        except ValueError:  # not textual-serve framing (a line too long, a bad meta)
            pass
        finally:
            # Whatever went wrong above, drain to the end: a child never blocks on us.
            with contextlib.suppress(Exception):
                while await stdout.read(READ_CHUNK):
                    pass
            if self.attached:
                with contextlib.suppress(Exception):
                    await self._close()  # the browser shows "Session ended"
            self.attached = False

    async def _read_packets(self, stdout: asyncio.StreamReader) -> None:
        for _ in range(10):  # anything the app prints before the prelude is not ours
            line = await stdout.readline()
            if not line or line == PRELUDE:
                break
        while True:
            kind = await stdout.readexactly(1)
            size = int.from_bytes(await stdout.readexactly(4), "big")
            payload = await stdout.readexactly(size)
            if kind == b"D":
                await self._forward(self._send_bytes, payload)
            elif kind == b"M":
                await self._on_meta(json.loads(payload))
            # b"P" (file delivery chunks): stratus serve offers no downloads, so dropped.

    async def _on_meta(self, meta: object) -> None:
        if not isinstance(meta, dict):
            return
        kind = meta.get("type")
        if kind == "exit" and self.attached:
            with contextlib.suppress(Exception):
                await self._close()
            self.attached = False
        elif kind == "open_url":
            message = ["open_url", {"url": meta.get("url"), "new_tab": meta.get("new_tab")}]
            await self._forward(self._send_text, json.dumps(message))

    async def _pump_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        with contextlib.suppress(Exception):
            while chunk := await self._proc.stderr.read(READ_CHUNK):
                self.stderr_tail = (self.stderr_tail + chunk)[-STDERR_KEEP:]

    # -- ending -----------------------------------------------------------------------

    async def _exited_within(self, seconds: float) -> bool:
        assert self._proc is not None
        try:
            await asyncio.wait_for(asyncio.shield(self._proc.wait()), timeout=seconds)
        except TimeoutError:
            return False
        return True

    def _signal_group(self, sig: signal.Signals) -> None:
        assert self._proc is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, sig)

    async def stop(self) -> str:
        """End the app within about two grace periods seconds; how it ended, for the log."""
        self.detach()
        proc = self._proc
        if proc is None:
            return "never started"
        if proc.returncode is not None:
            outcome = "exited"
        else:
            await self.send_meta({"type": "quit"})
            if await self._exited_within(self.grace):
                outcome = "quit"
            else:
                self._signal_group(signal.SIGTERM)
                if await self._exited_within(self.grace):
                    outcome = "terminated"
                else:
                    self._signal_group(signal.SIGKILL)
                    await proc.wait()
                    outcome = "killed"
        # Anything the app started and left behind in its group (a `dot`, say) goes too.
        self._signal_group(signal.SIGKILL)
        if proc.stdin is not None:
            proc.stdin.close()
        _done, pending = await asyncio.wait(self._tasks, timeout=self.grace)
        for task in pending:
            task.cancel()
        return outcome

    def kill_now(self) -> None:
        """Last resort at server exit, from synchronous code: SIGKILL the whole group."""
        if self._proc is not None and self._proc.returncode is None:
            self._signal_group(signal.SIGKILL)
