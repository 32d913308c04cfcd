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

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the fork's modules only once a file is worth forking for
    from .parse_child import ParseAhead

READS_FILES_AT = 1
"""Where the design file's path sits in the arguments of the commands below."""

COMMANDS = frozenset({"validate", "lint", "recommend", "report", "export", "diff"})
"""One-shot commands that read a design file and go on to import for a while."""

MIN_BYTES = 64 * 1024
"""Smaller files parse in a few milliseconds: not worth a fork (~100 services)."""

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
    import atexit

    from .parse_child import start

    _pending = start(path)
    if _pending is not None:
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
        from contextlib import suppress

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
