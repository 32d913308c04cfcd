"""`stratus export FILE --format F [-o PATH] [--check]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .common import (
    batch,
    echo,
    fail,
    load_or_exit,
    make_parent,
    refuse_overwriting_input,
    same_file,
    write_output,
)

FORMAT_NAMES = (
    "mermaid",
    "mermaid-c4",
    "storm-mermaid",
    "sequence",
    "markdown",
    "dot",
    "svg",
    "json",
    "toml",
    "yaml",
    "likec4",
    "structurizr",
    "backstage",
    "adr",
    "observe",
    "k8s",
    "all",
)
FOLDERS = ("adr", "observe", "k8s", "all")
"""Formats that write a folder (`-o DIR`)."""


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
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
    if c4:
        if fmt != "mermaid":
            raise click.UsageError("--c4 goes with --format mermaid")
        fmt = "mermaid-c4"
    if template is not None and fmt not in ("markdown", "all"):
        raise click.UsageError("--template goes with --format markdown or all")
    if fmt in FOLDERS and output in (None, "-"):
        raise click.UsageError(f"--format {fmt} writes a folder: give it with -o DIR")
    if check and output in (None, "-"):
        raise click.UsageError("--check compares with files on disk: give them with -o")
    if not check and fmt not in FOLDERS:
        refuse_overwriting_input(output, file, f"{fmt} export")
    design = load_or_exit(file)
    try:
        if fmt in FOLDERS:
            assert output is not None
            _folder(design, fmt, Path(output), check, template, file)
        else:
            text = _render(design, fmt, template)
            if check:
                assert output is not None
                _report_strays([Path(file), Path(output)])
                _check_file(Path(output), text, file, fmt)
            else:
                write_output(text, output)
    except OSError as exc:
        fail(f"{exc.filename or output}: {exc.strerror}")


def _render(design: Any, fmt: str, template: str | None) -> str:
    from ..core.export import EXPORTERS
    from ..core.export.document import TemplateProblem, to_markdown
    from ..core.export.dot import GraphvizError
    from ..core.problems import DesignError

    try:
        if fmt == "markdown":
            return to_markdown(design, template)
        text = EXPORTERS[fmt](design)
    except (TemplateProblem, GraphvizError) as exc:  # dot missing, failing or too slow
        fail(str(exc))
    except DesignError as exc:  # a broken pattern file in the user's library
        fail(exc)
    if fmt in ("mermaid", "mermaid-c4", "storm-mermaid"):
        from ..core.export.mermaid import size_warnings

        for warning in size_warnings(text, fmt):
            echo(f"note: {warning}", err=True)
    return text


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


def _check_file(path: Path, text: str, file: str, fmt: str) -> None:
    if not path.is_file():
        echo(f"missing: {path}")
    elif path.read_bytes() != text.encode("utf-8"):
        echo(f"stale: {path}")
    else:
        echo(f"{path} is up to date")
        return
    fail(f"{path} is out of date: run `stratus export {file} --format {fmt} -o {path}`")


def _folder(
    design: Any, fmt: str, root: Path, check: bool, template: str | None, file: str
) -> None:
    from ..core.export import bundle
    from ..core.export.document import TemplateProblem
    from ..core.problems import DesignError

    if root.exists() and not root.is_dir():
        fail(f"{root}: not a folder")
    try:
        plan = (
            bundle.plan_all(design, template)
            if fmt == "all"
            else bundle.observe_plan(design)
            if fmt == "observe"
            else bundle.k8s_plan(design)
            if fmt == "k8s"
            else bundle.decisions_plan(design)
        )
    except TemplateProblem as exc:
        fail(str(exc))
    except DesignError as exc:
        fail(exc)
    for note in plan.notes:
        echo(f"note: {note}", err=True)
    # DIR/design.json may be the design itself: rewriting it identically is harmless.
    clash = next((rel for rel in plan.files if same_file(root / rel, file)), None)
    if clash is not None and not check and Path(file).read_bytes() != plan.files[clash]:
        fail(f"{root / clash}: refusing to overwrite the design file with its export", 2)
    if check:
        _report_strays([Path(file), *(root / rel for rel in plan.files)])
        result = bundle.check_plan(plan, root)
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
        return
    make_parent(root / "-", str(root))  # creates DIR, or says which file is in the way
    try:
        done = bundle.write_plan(plan, root)
    except ValueError as exc:  # a symlinked folder pointing outside DIR
        fail(str(exc))
    echo(
        f"{root}: {len(done.written)} written, {len(done.unchanged)} unchanged, "
        f"{len(done.removed)} removed"
    )
