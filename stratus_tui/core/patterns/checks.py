"""Validation of a design against the pattern library: a decision's `pattern` must exist.

`core.store.validation` calls `decision_pattern_problems` lazily (only when some decision names
a pattern), so loading a design without pattern references never reads pattern files.
Extra pattern folders (the CLI's `--patterns DIR`) are made visible to that check with
`pattern_dirs(...)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from ..model import Design
from ..problems import DesignError, Problem, did_you_mean
from .library import load_library

_EXTRA_DIRS: ContextVar[tuple[str, ...]] = ContextVar("stratus_pattern_dirs", default=())


@contextmanager
def pattern_dirs(dirs: Iterable[str | Path]) -> Iterator[None]:
    """Within the block, validation also knows the patterns in `dirs`."""
    token = _EXTRA_DIRS.set(tuple(str(d) for d in dirs))
    try:
        yield
    finally:
        _EXTRA_DIRS.reset(token)


def decision_pattern_problems(design: Design) -> list[Problem]:
    """A problem for every decision whose `pattern` names no pattern in the library."""
    wanted = [(i, d.pattern) for i, d in enumerate(design.decisions) if d.pattern]
    if not wanted:
        return []
    try:
        known = load_library(_EXTRA_DIRS.get()).patterns
    except DesignError as exc:
        first = exc.problems[0].format() if exc.problems else "unknown error"
        i, pid = wanted[0]
        return [
            Problem(
                f"decisions[{i}].pattern: cannot check {pid!r}, the pattern library "
                f"has errors: {first}",
                ("decisions", i, "pattern"),
            )
        ]
    return [
        Problem(
            f"decisions[{i}].pattern: no pattern {pid!r}" + did_you_mean(pid, known),
            ("decisions", i, "pattern"),
        )
        for i, pid in wanted
        if pid not in known
    ]
