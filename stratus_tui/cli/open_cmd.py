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
    from ..ui.launch import run_app

    run_app(Path(file) if file else None)
