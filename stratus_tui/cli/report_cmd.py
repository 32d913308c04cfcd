"""`stratus report FILE [-o PATH]`: the STRATUS Architecture Report as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import batch, load_or_exit, refuse_overwriting_input, write_output

if TYPE_CHECKING:
    from ..core.model import Design


@click.command("report")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the report to PATH (atomically) instead of stdout.",
)
@batch
def report_cmd(file: str, output: str | None) -> None:
    """Write the STRATUS Architecture Report of FILE (Markdown).

    \b
    Examples:
      stratus report sample_designs/checkout.yaml
      stratus report design.yaml -o docs/architecture/report.md
    """
    refuse_overwriting_input(output, file, "report")
    design = load_or_exit(file, warm_up=_report)
    from ..core.report import render_report

    write_output(render_report(design), output)


def _report(design: Design) -> object:
    from ..core.report import render_report

    return render_report(design)
