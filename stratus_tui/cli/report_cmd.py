"""`stratus report FILE [-o PATH]`: the STRATUS Architecture Report as Markdown."""

from __future__ import annotations

from pathlib import Path

import click

from .common import fail, load_or_exit, write_output


@click.command("report")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the report to PATH (atomically) instead of stdout.",
)
def report_cmd(file: str, output: str | None) -> None:
    """Write the STRATUS Architecture Report of FILE (Markdown).

    \b
    Examples:
      stratus report sample_designs/checkout.yaml
      stratus report design.yaml -o docs/architecture/report.md
    """
    from ..core.analysis import render_report

    if output not in (None, "-") and Path(output).resolve() == Path(file).resolve():
        fail(f"{output}: refusing to overwrite the design file with its report", 2)
    design = load_or_exit(file)
    write_output(render_report(design), output)
