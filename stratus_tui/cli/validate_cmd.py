"""`stratus validate FILE`."""

from __future__ import annotations

import click

from .common import batch, echo, load_or_exit


@click.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
@batch
def validate_cmd(file: str) -> None:
    """Check FILE against the design-file contract.

    Exit 0 when valid; otherwise exit 1 and print every problem on stderr, one per line,
    as FILE:LINE:COL: message. FILE is YAML (or .json / .toml by extension).

    \b
    Example:
      stratus validate sample_designs/checkout.yaml
    """
    design = load_or_exit(file)
    echo(
        f"{file}: valid ({len(design.services)} services, {len(design.datastores)} datastores, "
        f"{len(design.dependencies)} dependencies)"
    )
