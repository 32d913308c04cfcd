"""`stratus open FILE` (and `stratus FILE`)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("open")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
def open_cmd(file: str | None) -> None:
    """Open the workbench on FILE (created if missing), or on the welcome screen.

    \b
    Example:
      stratus open sample_designs/checkout.yaml
    """
    path = Path(file) if file else None
    if path is not None and not path.exists() and not path.parent.is_dir():
        # A missing design is created on first save; a missing folder cannot be.
        from .common import fail

        fail(f"{file}: the folder {path.parent} does not exist; create it first")
    from ..ui.launch import run_app, terminal_problem

    if path is not None and path.exists() and terminal_problem() is not None:
        # No terminal to draw in: a broken file is the more useful news (FILE:LINE:COL,
        # exit 1, as every command); a good one gets the terminal message and exit 2.
        from .common import load_or_exit

        load_or_exit(path)
    run_app(path)
