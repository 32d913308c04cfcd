"""Helpers shared by CLI commands: loading with clean errors, writing outputs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ..core.problems import DesignError

if TYPE_CHECKING:
    from ..core.model import Design


def fail(problems: DesignError | str, code: int = 1) -> NoReturn:
    """Print problems one per line on stderr and exit with `code`; never a traceback."""
    click.echo(str(problems), err=True)
    sys.exit(code)


def load_or_exit(path: str | Path) -> Design:
    """Load a design for a read-only command, exiting 1 with FILE:LINE:COL lines if bad."""
    from ..core.store import load_design

    try:
        return load_design(path)
    except DesignError as exc:
        fail(exc)


def write_output(text: str, output: str | None) -> None:
    """Write text to a file atomically (no backup), or to stdout when no path is given."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..core.store import atomic_write

    target = Path(output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text.encode("utf-8"), backup=False)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
