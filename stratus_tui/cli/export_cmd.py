"""`stratus export FILE --format F [-o PATH] [--check]`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.actions.exporting import format_names
from ..core.problems import DesignError
from .common import batch, echo, fail, load_or_exit

if TYPE_CHECKING:
    from ..core.model import Design


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(format_names()),
    required=True,
    help="What to export.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default=None,
    help="File (text formats; stdout without it) or folder (adr, observe, k8s, all).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the output on disk differs from a fresh export.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False),
    default=None,
    help="Jinja2 template replacing the design document's (markdown, all).",
)
@click.option("--c4", is_flag=True, help="With --format mermaid: the C4Container variant.")
@batch
def export_cmd(
    file: str, fmt: str, output: str | None, check: bool, template: str | None, c4: bool
) -> None:
    """Export FILE as a diagram, a document, decision records or data.

    \b
    Formats: mermaid (--c4 or mermaid-c4 for C4), storm-mermaid, sequence (a Markdown
    page of each request flow's sequence diagram), markdown, dot, svg, json, toml, yaml
    go to stdout without -o; adr and all need -o DIR. likec4 (a .c4 model),
    structurizr (a DSL workspace) and backstage (catalog-info.yaml) too. observe
    (OpenSLO, Prometheus burn-rate rules, runbooks) and k8s (manifests and kustomize
    overlays) write a folder too: -o DIR.
    \b
    Examples:
      stratus export design.yaml --format mermaid
      stratus export design.yaml --format markdown -o docs/design.md
      stratus export design.yaml --format all -o docs/architecture
      stratus export design.yaml --format all -o docs/architecture --check
    """
    from ..core.actions import ActionError
    from ..core.actions.exporting import is_folder_format, refuse_design_file

    if c4:
        if fmt != "mermaid":
            raise click.UsageError("--c4 goes with --format mermaid")
        fmt = "mermaid-c4"
    if template is not None and fmt not in ("markdown", "all"):
        raise click.UsageError("--template goes with --format markdown or all")
    folder = is_folder_format(fmt)
    if folder and output in (None, "-"):
        raise click.UsageError(f"--format {fmt} writes a folder: give it with -o DIR")
    if check and output in (None, "-"):
        raise click.UsageError("--check compares with files on disk: give them with -o")
    try:
        if not check and not folder and output not in (None, "-"):
            refuse_design_file(output, file, f"{fmt} export")
        design = load_or_exit(file, warm_up=_warm_up(fmt, template, folder))
        if folder:
            assert output is not None
            _folder(design, fmt, Path(output), check, template, file, output)
        else:
            _single(design, fmt, output, check, template, file)
    except ActionError as exc:
        fail(str(exc), 2 if exc.usage else 1)
    except DesignError as exc:  # a broken pattern file in the user's library
        fail(exc)
    except OSError as exc:
        fail(f"{exc.filename or output}: {exc.strerror}")


def _warm_up(fmt: str, template: str | None, folder: bool) -> Callable[[Design], object] | None:
    """The export run on a one-line design while the file is parsed on the other core
    (imports, the pattern library); not with a user's template (their code, run once) nor
    for SVG and `all` (they run `dot`)."""
    if template is not None or fmt in ("svg", "all"):
        return None
    from ..core.actions.exporting import folder_plan, render_format

    if folder:
        return lambda design: folder_plan(design, fmt)
    return lambda design: render_format(design, fmt)


def _notes(notes: Iterable[str]) -> None:
    for note in notes:
        echo(f"note: {note}", err=True)


def _single(
    design: Design, fmt: str, output: str | None, check: bool, template: str | None, file: str
) -> None:
    from ..core.actions.exporting import file_state, render_format, write_file

    text, notes = render_format(design, fmt, template)
    _notes(notes)
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    path = Path(output)
    if not check:
        write_file(text, path, design_path=file, what=f"{fmt} export", shown=output)
        return
    _report_strays([Path(file), path])
    state = file_state(path, text)
    if state == "up to date":
        echo(f"{path} is up to date")
        return
    echo(f"{state}: {path}")
    fail(f"{path} is out of date: run `stratus export {file} --format {fmt} -o {path}`")


def _report_strays(paths: list[Path]) -> None:
    """Name what interrupted saves of these files left (temp files, a dead writer's lock).

    A note only: the next save of each file removes them; the exit status is about the
    exports being up to date.
    """
    from ..core.store.design_file import strays

    seen: set[Path] = set()
    for target in paths:
        for stray in strays(target):
            if stray not in seen:
                seen.add(stray)
                click.echo(f"stray: {stray} (left by an interrupted save; safe to delete)")


def _folder(
    design: Design, fmt: str, root: Path, check: bool, template: str | None, file: str, output: str
) -> None:
    from ..core.actions.exporting import (
        check_folder,
        folder_plan,
        refuse_not_folder,
        refuse_plan_over_design,
        write_folder,
    )

    refuse_not_folder(root)
    plan = folder_plan(design, fmt, template)
    _notes(plan.notes)
    if not check:
        refuse_plan_over_design(plan, root, file)
        done = write_folder(plan, root, design_path=file, shown=output)
        echo(
            f"{root}: {len(done.written)} written, {len(done.unchanged)} unchanged, "
            f"{len(done.removed)} removed"
        )
        return
    _report_strays([Path(file), *(root / rel for rel in plan.files)])
    result = check_folder(plan, root)
    for label, paths in (
        ("stale", result.stale),
        ("missing", result.missing),
        ("unexpected", result.unexpected),
    ):
        for rel in paths:
            echo(f"{label}: {root / rel}")
    if not result.up_to_date:
        fail(f"{root} is out of date: run `stratus export {file} --format {fmt} -o {root}`")
    echo(f"{root} is up to date ({len(plan.files)} files)")
