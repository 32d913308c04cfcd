"""Helpers shared by CLI commands: loading with clean errors, writing outputs."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import click

from ..core.problems import DesignError

if TYPE_CHECKING:
    from ..core.model import Design

_P = ParamSpec("_P")
_R = TypeVar("_R")


# Bidirectional overrides and isolates (U+202E shows "evil.txt" as "txt.live"), and
# control characters other than newline and tab (escape codes drive the terminal).
_UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"


@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(_UNSAFE)


def neutral(text: str) -> str:
    """User text made safe to print in a terminal: bidi controls and control characters
    are shown as `<U+202E>`, never obeyed. Newlines and tabs stay."""
    if text.isascii() and text.replace("\n", "").replace("\t", "").isprintable():
        # No character to show (printable ASCII has none): the usual case, answered
        # without compiling the pattern (~0.5 ms of a `stratus validate`, issue 21).
        return text
    return _unsafe().sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo of a message that may hold user text, neutralised."""
    click.echo(neutral(text), err=err, nl=nl)


def echo_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Many lines of user text, neutralised, in one write (click.echo flushes per call:
    28,000 findings' lines were a fifth of `stratus lint` at 1,000 services)."""
    text = "\n".join(lines)
    if text:
        echo(text, err=err)


def batch(command: Callable[_P, _R]) -> Callable[_P, _R]:
    """A one-shot command runs without the cyclic collector.

    Loading and analysing a design builds hundreds of thousands of small, mostly acyclic
    objects that reference counting frees; the collector's full passes over them were
    about 30 % of `stratus lint` at 5,000 services. The process exits soon after, so the
    few cycles made meanwhile cost only memory until then. The previous state is given
    back (in-process callers such as tests keep their collector), with what the command
    left alive counted as old (`_age_survivors`).
    """

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        global _batch_done
        from ..core.gc_pause import gc_paused

        try:
            with gc_paused():
                try:
                    return command(*args, **kwargs)
                finally:
                    _age_survivors()
        finally:
            _batch_done = True

    return run


def _age_survivors() -> None:
    """Move every object the collector tracks to its oldest generation, uncollected.

    Objects made while the collector was paused all stay in its youngest generation, and
    its count of them is past the threshold: the first allocation once it is back made it
    scan them all, mostly the modules, classes and validators the command imported
    (~8 ms after a first `stratus validate`, issue 21), just before the process exits.
    Moved to the oldest generation they are looked at by the next full collection, as
    long-lived objects are; cycles made by the command are freed then. Skipped when
    someone froze objects (`gc.freeze`, the workbench does): `unfreeze` would thaw theirs.
    """
    import gc

    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


_batch_done = False
"""True once a one-shot (`@batch`) command has run to its end, error or not."""


def exit_now_if_done(code: object) -> None:
    """End the process at once after a one-shot command, skipping the interpreter's
    teardown: its final collection and the freeing of every object of the design took
    40-50 ms of `stratus lint` or `report` at 1,000 services (more at 5,000), for memory
    the system takes back anyway. Exit handlers still run and the output is flushed;
    with another thread alive, an unflushable output (a closed pipe) or outside a
    one-shot command, nothing happens and the normal exit follows."""
    import atexit
    import os
    import threading

    if not _batch_done or threading.active_count() > 1:
        return
    if code is None or isinstance(code, bool | int):
        status = int(code or 0)
    else:  # sys.exit("message"): printed, status 1, as the interpreter does
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(status & 0xFF)  # as the interpreter: exit(-1) is 255


def fail(problems: DesignError | str, code: int = 1) -> NoReturn:
    """Print problems one per line on stderr and exit with `code`; never a traceback."""
    echo(str(problems), err=True)
    sys.exit(code)


def load_or_exit(path: str | Path, warm_up: Callable[[Design], object] | None = None) -> Design:
    """Load a design for a read-only command, exiting 1 with FILE:LINE:COL lines if bad.

    `warm_up` is the command's own work, run on a one-line design while the file is still
    being parsed on the other core (`parse_ahead`): it imports the modules and loads the
    pattern library that the real run then finds ready.
    """
    from ..core.store.design_file import load_design

    def meanwhile() -> None:
        from ..core.model import Design

        if warm_up is not None:
            warm_up(Design(name="warm-up"))

    try:
        return load_design(path, meanwhile=meanwhile if warm_up is not None else None)
    except DesignError as exc:
        fail(exc)


def refuse_overwriting_input(output: str | None, file: str, what: str) -> None:
    """Exit 2 (usage error) when `output` names the input design file itself."""
    from ..core.actions.files import same_file

    if output not in (None, "-") and same_file(output, file):
        fail(f"{output}: refusing to overwrite the design file with its {what}", 2)


def make_parent(target: Path, shown: str) -> None:
    """Create `target`'s folder, exiting 1 with a clear line when a file is in the way."""
    from ..core.actions import ActionError
    from ..core.actions.files import make_parent as make

    try:
        make(target, shown)
    except ActionError as exc:
        fail(str(exc))


def write_output(text: str, output: str | None) -> None:
    """Write text to a file atomically (no backup), or to stdout when no path is given."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..core.store.design_file import atomic_write

    target = Path(output)
    make_parent(target, output)
    try:
        atomic_write(target, text.encode("utf-8"), backup=False)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
