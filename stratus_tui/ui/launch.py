"""Start the app from the CLI (kept tiny so the CLI imports Textual only here)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.store.design_file import Document
    from .app import StratusApp

NO_TERMINAL = 2
"""Exit status when there is no terminal to draw in (a usage error, like click's)."""


def terminal_problem() -> str | None:
    """Why the workbench cannot run here, or None when stdin and stdout are terminals.

    A driver chosen through TEXTUAL_DRIVER (textual-serve's web driver for `stratus serve`)
    talks over pipes by design, so it needs no terminal.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    # Textual reads keys from stdin and draws on stderr; stdout is checked too, since a
    # full-screen UI whose output is piped away is one nobody sees and nothing ends.
    streams = (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
    missing = [name for name, stream in streams if stream is None or not stream.isatty()]
    if not missing:
        return None
    return (
        f"stratus: the workbench needs a terminal, but {', '.join(missing)} "
        f"{'is not one' if len(missing) == 1 else 'are not terminals'}.\n"
        "For scripts and pipes use the headless commands: stratus validate, lint, "
        "recommend, report, export (stratus --help lists them)."
    )


def _verdicts(doc: Document) -> object:
    """DISCOVER's pattern verdicts, computed by the reading child beside the document."""
    from .optional import verdicts_or_problem

    return verdicts_or_problem(doc.design)


def prepare_app(path: Path | None) -> StratusApp:
    """The workbench as `stratus FILE` runs it: the file's reader forked first, then
    Textual and the app imported (what the start-up benchmark measures too)."""
    read_ahead = None
    if path is not None:
        from ..core.store.read_ahead import ReadAhead

        read_ahead = ReadAhead.start(path, also=_verdicts)
    from .app import make_app

    return make_app(path, defer_load=True, read_ahead=read_ahead)


def run_app(path: Path | None) -> None:
    """Run the workbench; a design that does not load is reported and exits 1.

    Without a terminal it refuses (exit 2; `stratus open` first reports a broken file,
    exit 1); an unexpected exception exits 1 with a short
    message and the path of a crash log, never a traceback with the design in its locals.
    """
    problem = terminal_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        sys.exit(NO_TERMINAL)
    # The file is read by a child forked before Textual is imported, on the other core,
    # and taken over after the first frame (start-up stays close to a bare Textual app);
    # a design that does not load ends the app at once, and then, like every CLI
    # command: file:line:col on stderr, non-zero exit, the file untouched.
    app = prepare_app(path)
    try:
        app.run()
    except Exception as exc:  # outside Textual's handler: the driver, the terminal itself
        from .crash import record

        print(record(exc).message(), file=sys.stderr)
        sys.exit(1)
    finally:
        app.drop_read_ahead()  # ended before the child was done
    if app.crash is not None:
        print(app.crash.message(), file=sys.stderr)
        sys.exit(1)
    if app.return_code == 1 and app.open_error is not None:
        print(app.open_error, file=sys.stderr)
        sys.exit(1)
    if app.return_code:
        sys.exit(app.return_code)
