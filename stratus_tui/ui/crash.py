"""What the workbench does with an unexpected exception: a log file and one short line.

Textual's own report is a rich traceback with every frame's locals, which prints the whole
design (and whatever secrets it holds) to the terminal and exits 0 from `stratus`. Instead the
full traceback, without locals, goes to a file in the user's log folder, and the terminal
gets the exception's type, its first line and that file's path.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from dataclasses import dataclass
from pathlib import Path

from .. import __version__


@dataclass(frozen=True)
class Crash:
    """An unhandled exception, summarised for the terminal."""

    summary: str
    """`Type: first line of the message`."""
    log: Path | None
    """Where the full traceback was written (None when no log could be written)."""

    def message(self) -> str:
        """The lines `stratus` prints on stderr after the screen is restored."""
        where = (
            f"The full traceback is in {self.log}"
            if self.log is not None
            else "No crash log could be written."
        )
        return (
            f"stratus crashed: {self.summary}\n{where}\n"
            "The design file holds what was last saved; please report this with the log."
        )


def log_dir() -> Path:
    """The crash log folder (STRATUS_STATE_DIR/log overrides, for tests and portable use)."""
    override = os.environ.get("STRATUS_STATE_DIR")
    if override:
        return Path(override) / "log"
    from platformdirs import user_log_dir

    return Path(user_log_dir("stratus", appauthor=False))


def original(error: BaseException) -> BaseException:
    """The exception a worker raised, not Textual's `WorkerFailed` wrapper around it."""
    from textual.worker import WorkerFailed

    return error.error if isinstance(error, WorkerFailed) else error


def summary(error: BaseException) -> str:
    """`Type: first line`, short enough for one terminal line."""
    lines = str(error).strip().splitlines()
    first = lines[0] if lines else ""
    if len(first) > 200:
        first = first[:199] + "…"
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def record(error: BaseException) -> Crash:
    """Write the traceback of `error` (no locals) to a new log file; never raises."""
    error = original(error)
    text = "".join(traceback.format_exception(error))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        header = f"stratus {__version__} crashed at {dt.datetime.now().isoformat()}\n\n"
        path.write_text(header + text, "utf-8")
    except OSError:
        return Crash(summary(error), None)
    return Crash(summary(error), path)
