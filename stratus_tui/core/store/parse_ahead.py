"""Parsing a one-shot command's design file in a forked child while it imports (issue 21).

`stratus lint big.yaml` spends its first ~0.2 s importing click, pydantic, the model and
the command's modules, then ~0.13 s (at 1,000 services) parsing the YAML: one core idle
the whole time. `start_for_command` forks a child before those imports that reads and
parses the file (libyaml, no model needed) on the other core; `load_design` takes the
parsed data over the pipe (~5 ms to unpickle at 1,000 services) and validates it as usual.

Correctness never rests on the child: `take` answers only for the very file the child
read (same device and inode, same size and modification time as now), and anything
unusual (no second core, a small file, a child that died or read something else) leaves
the command to read the file itself, with the same messages as ever. A broken file is
always read again by the command, so its FILE:LINE:COL problems are its own.
"""

from __future__ import annotations

import atexit
import os
import pickle
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO

from ..problems import DesignError, Problem
from .forked import ForkedChild, fork_child, write_frame

READS_FILES_AT = 1
"""Where the design file's path sits in the arguments of the commands below."""

COMMANDS = frozenset({"validate", "lint", "recommend", "report", "export", "diff"})
"""One-shot commands that read a design file and go on to import for a while."""

MIN_BYTES = 64 * 1024
"""Smaller files parse in a few milliseconds: not worth a fork (~100 services)."""

_Stamp = tuple[int, int, int, int]


def read_design_text(path: Path) -> tuple[bytes, str]:
    """The bytes of a design file and their text; DesignError when it cannot be a
    design (unreadable, not a regular file, not UTF-8, empty or only comments)."""
    from ..yaml_io import ReadRefused, decode, read_bounded

    try:
        raw = read_bounded(path)  # regular files only: a FIFO hung, /dev/zero never ended
    except ReadRefused as exc:
        raise DesignError([Problem(str(exc), (), str(path))]) from None
    except OSError as exc:
        raise DesignError([Problem(f"cannot read: {exc.strerror}", (), str(path))]) from None
    text = decode(raw, str(path))
    if not text.strip() or not any(
        line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()
    ):
        what = "empty" if not text.strip() else "only comments"
        raise DesignError(
            [
                Problem(
                    f"the file is {what}; a design needs at least 'stratus: 1' and 'name: ...'",
                    (),
                    str(path),
                    1,
                    1,
                )
            ]
        )
    return raw, text


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


_pending: ParseAhead | None = None


def start_for_command(argv: list[str]) -> None:
    """Fork a parser of the design file of `argv` (the command line after the program)
    when it is one of COMMANDS with a YAML file of MIN_BYTES or more, on a machine with a
    second core for it."""
    global _pending
    if _pending is not None or len(argv) <= READS_FILES_AT or argv[0] not in COMMANDS:
        return
    path = Path(argv[READS_FILES_AT])
    if path.suffix.lower() not in (".yaml", ".yml"):
        return
    try:
        if path.stat().st_size < MIN_BYTES or len(os.sched_getaffinity(0)) < 2:
            return
    except (OSError, AttributeError):  # no such file (the command says so), or no affinity
        return
    child = fork_child(lambda out: _send_parsed(out, path))
    if child is not None:
        _pending = ParseAhead(path, *child)
        atexit.register(drop)


def take(path: Path, meanwhile: Callable[[], object] | None = None) -> tuple[str, Any] | None:
    """(text, data) the child parsed for `path`, once; None when there is none for it.

    `meanwhile` runs first if the child is still parsing: work the caller does next
    anyway (a command's imports and pattern library), done while it would only wait.
    What it raises is dropped: the caller meets it again when it does that work itself.
    """
    global _pending
    ahead, _pending = _pending, None
    if ahead is None:
        return None
    if ahead.path != path and not _same(ahead.path, path):
        ahead.cancel()
        return None
    if meanwhile is not None and not ahead.ready():
        with suppress(Exception):
            meanwhile()
    return ahead.take(path)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def drop() -> None:
    """End a child whose parse nobody took (the command failed first, or read another)."""
    global _pending
    ahead, _pending = _pending, None
    if ahead is not None:
        ahead.cancel()
