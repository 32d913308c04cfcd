"""`stratus new FILE [--sample NAME]`."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.resources import sample_names


@click.command("new")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--sample",
    metavar="NAME",
    type=click.Choice(sample_names()),
    help="Start from a bundled sample: " + ", ".join(sample_names()) + ".",
)
def new_cmd(file: str, sample: str | None) -> None:
    """Write a new design to FILE; exit 1 if FILE already exists.

    Without --sample the design is the minimal two lines (stratus: 1 and name:). A
    .json or .toml FILE is written in that format.

    \b
    Examples:
      stratus new shop.yaml
      stratus new shop.yaml --sample checkout
    """
    from ..core.actions import ActionError
    from ..core.actions.new import create_design
    from .common import echo, fail

    try:
        create_design(Path(file), sample, shown=file)
    except ActionError as exc:
        fail(str(exc), 2 if exc.usage else 1)
    origin = f" from sample {sample!r}" if sample else ""
    echo(f"wrote {file}{origin}; next: stratus validate {file}, or stratus {file}")
