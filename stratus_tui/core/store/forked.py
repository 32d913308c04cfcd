"""A forked child that sends its results back over a pipe, as length-prefixed pickles.

Used to read a design file on the other core while the parent goes on importing or
drawing (`read_ahead` for the workbench, `parse_ahead` for one-shot commands). The fork is
made only where it is safe: a platform with `os.fork` and a process with no other thread
(forking one with threads can deadlock the child). The child never touches the terminal
and ends with `os._exit`: no exit handler, no buffered output of the parent's is run or
flushed twice. Whatever goes wrong on the way (the child dying, a frame cut short) reads
as "nothing came", and the caller does the work itself.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import BinaryIO

_HEADER = struct.Struct("!Q")


def write_frame(out: BinaryIO, value: object) -> None:
    """`value` pickled, after its length: one message of the child's pipe."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)))
    out.write(data)
    out.flush()


def fork_child(work: Callable[[BinaryIO], None]) -> tuple[int, int] | None:
    """(pid, read end of its pipe) of a child running `work(pipe)`, or None where a fork
    is not safe or possible."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the child: work, send, vanish
        code = 1
        try:
            os.close(r)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # ctrl+c ends it quietly
            with os.fdopen(w, "wb") as out:
                work(out)
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    return pid, r


class ForkedChild:
    """The parent's end of a `fork_child`: its frames, and its end."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid: int | None = pid
        self._fd: int | None = fd
        self._lock = threading.Lock()

    def ready(self) -> bool:
        """Whether the child has begun sending (reading a frame then does not wait long)."""
        if self._fd is None:
            return True
        try:
            readable, _w, _x = select.select([self._fd], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def cancel(self) -> None:
        """Stop the child (or let its end be collected) and close the pipe."""
        pid = self._pid
        if pid is not None:
            with suppress(OSError):  # first: a reader waiting on the pipe gets its end
                os.kill(pid, signal.SIGKILL)
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            mine, self._pid = self._pid, None
            if mine is not None:
                with suppress(ChildProcessError):
                    os.waitpid(mine, 0)

    def _frame(self) -> bytes | None:
        """One message from the child, or None at its end (it died, or sent nothing)."""
        head = self._read(_HEADER.size)
        if head is None:
            return None
        return self._read(_HEADER.unpack(head)[0])

    def _read(self, size: int) -> bytes | None:
        fd = self._fd
        if fd is None:
            return None
        chunks: list[bytes] = []
        left = size
        try:
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    return None
                chunks.append(chunk)
                left -= len(chunk)
        except OSError:
            return None
        return b"".join(chunks)
