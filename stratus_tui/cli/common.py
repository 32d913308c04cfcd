"""Helpers shared by CLI commands: loading with clean errors, writing outputs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from ..core.model import Design
from ..core.problems import DesignError


def fail(problems: DesignError | str, code: int = 1) -> NoReturn:
    """Print problems one per line on stderr and exit; never a traceback."""
    text = str(problems)
    click.echo(text, err=True)
    sys.exit(code)


def load_or_exit(path: str | Path) -> Design:
    """Load a design for a read-only command, exiting 1 with FILE:LINE:COL lines if bad."""
    from ..core.store import load_design

    try:
        return load_design(path)
    except DesignError as exc:
        fail(exc)


def write_output(text: str, output: str | None) -> None:
    """Write text to a file atomically, or to stdout when no path is given."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..core.store import atomic_write

    target = Path(output)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text.encode("utf-8"), backup=False)
