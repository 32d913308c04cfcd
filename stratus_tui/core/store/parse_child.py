"""The child of `parse_ahead`: forked, it reads and parses one design file and sends
(stat, text, data); the parent's `ParseAhead.take` checks the stat against the file now."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any, BinaryIO

from ..problems import DesignError
from .forked import ForkedChild, fork_child, write_frame
from .reading import read_design_text

_Stamp = tuple[int, int, int, int]


def _stamp(st: os.stat_result) -> _Stamp:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _send_parsed(out: BinaryIO, path: Path) -> None:
    """The child's work: (stamp, text, data) of `path`, or nothing when it is not plain
    sailing (the command then reads the file itself and says what is wrong)."""
    import gc

    from ..yaml_io import parse_text

    gc.disable()  # a short-lived process: reference counting frees what it drops
    try:
        before = _stamp(os.stat(path))
        _raw, text = read_design_text(path)
        data = parse_text(text, str(path))
        if _stamp(os.stat(path)) != before:
            return  # changed while being read: the command reads it itself
    except (DesignError, OSError, ValueError):
        return
    write_frame(out, (before, text, data))


class ParseAhead(ForkedChild):
    """A child parsing one design file; `take(path)` gives (text, data) once."""

    def __init__(self, path: Path, pid: int, fd: int) -> None:
        super().__init__(pid, fd)
        self.path = path

    def take(self, path: Path) -> tuple[str, Any] | None:
        """(text, parsed data) of `path` as the child read it, if it read this very file
        and it has not changed since; None otherwise. Ends the child either way."""
        try:
            now = _stamp(os.stat(path))
        except OSError:
            now = None
        got: Any = None
        if now is not None:
            with self._lock:
                frame = self._frame()
            if frame is not None:
                try:
                    got = pickle.loads(frame)
                except Exception:  # any damage: the command reads the file itself
                    got = None
        self.cancel()
        if not isinstance(got, tuple) or len(got) != 3 or got[0] != now:
            return None
        return got[1], got[2]


def start(path: Path) -> ParseAhead | None:
    """A child parsing `path`, or None where a fork is not safe or possible."""
    child = fork_child(lambda out: _send_parsed(out, path))
    return None if child is None else ParseAhead(path, *child)
