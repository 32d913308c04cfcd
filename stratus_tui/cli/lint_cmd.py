"""`stratus lint FILE [--format text|json]`: analysis + the non-negotiables."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from .common import batch, echo_lines, load_or_exit

if TYPE_CHECKING:
    from ..core.model import Design


def one_line(text: str) -> str:
    """User text (contexts, reasons) on one line: it must not break lines or drive the
    terminal. Text that is printable with single inner spaces is returned as it is (what
    the cleaning gives it; 9,000 findings' messages at 1,000 services)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    from ..core.escape import clean_text

    return " ".join(clean_text(text).split())


@click.command("lint")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)
@batch
def lint_cmd(file: str, fmt: str) -> None:
    """Analyse FILE and enforce the non-negotiables; exit 1 on an unaccepted error.

    \b
    Accept a risk in the design file to stop it failing (it is still shown):
      accepted_risks:
        - {rule: spof, component: monolith, reason: "strangled in phase 2"}

    \b
    Examples:
      stratus lint sample_designs/checkout.yaml
      stratus lint design.yaml --format json | jq '.[] | select(.severity=="error")'
    """
    design = load_or_exit(file, warm_up=_lint)  # a bad file fails before the analysis
    from ..core.lint import failing, lint

    findings = lint(design)
    if fmt == "json":
        click.echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        lines: list[str] = []
        for f in findings:
            accepted = f" (accepted: {one_line(f.accepted_reason or '')})" if f.accepted else ""
            where = f" {f.component}" if f.component else ""
            lines.append(f"{file}: {f.severity} [{f.rule}]{where}{accepted}: {one_line(f.message)}")
            lines.append(f"    hint: {f.hint}")
            enforces = f.non_negotiable or f.principle
            if enforces:
                lines.append(f"    enforces: {enforces}")
        counts = {
            s: sum(1 for f in findings if f.severity == s and not f.accepted)
            for s in ("error", "warning", "info")
        }
        accepted_n = sum(1 for f in findings if f.accepted)
        lines.append(
            f"{file}: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info, {accepted_n} accepted"
        )
        echo_lines(lines)
    sys.exit(1 if failing(findings) else 0)


def _lint(design: Design) -> object:
    from ..core.lint import lint

    return lint(design)
