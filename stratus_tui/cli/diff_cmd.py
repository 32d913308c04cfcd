"""`stratus diff OLD NEW` / `stratus diff --git REV[..REV] [FILE]`: what a change does.

Exit codes (an extension of shared/spec/cli.md): 0 when the change opens no unaccepted
finding at the fail level, 1 when it does, 2 for usage, file and git errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import batch, echo, fail, refuse_overwriting_input, write_output

if TYPE_CHECKING:
    from ..core.model import Design

USAGE = 2


def _load(path: str) -> Design:
    from ..core.problems import DesignError
    from ..core.store.design_file import load_design

    try:
        return load_design(path)
    except DesignError as exc:
        fail(exc, USAGE)


def _from_git(spec: str, file: str | None) -> tuple[Design, str, Design, str] | str:
    """The two designs `--git` names, or (a string) why there is nothing to compare."""
    from ..core.diff.git import GitError, Revisions, changed_designs, design_at, repo_root
    from ..core.problems import DesignError

    try:
        revs = Revisions.parse(spec)
        folder = Path(file).parent if file is not None else Path.cwd()
        root = repo_root(folder if str(folder) else Path.cwd())
        if file is not None:
            from ..core.diff.git import relative_to_root

            rel = relative_to_root(root, Path(file))
            shown_new = file
        else:
            found = changed_designs(root, revs)
            if not found:
                return f"No design file changed between {revs.describe()}."
            if len(found) > 1:
                names = ", ".join(str(f) for f in found)
                fail(f"several design files changed ({names}): name the one to compare", USAGE)
            rel = found[0]
            shown_new = str(rel)
        old, old_name = design_at(root, revs.old, rel)
        if revs.new is not None:
            new, new_name = design_at(root, revs.new, rel)
        else:
            new, new_name = _load(str(root / rel) if file is None else file), shown_new
    except GitError as exc:
        fail(str(exc), USAGE)
    except DesignError as exc:
        fail(exc, USAGE)
    return old, old_name, new, new_name


@click.command("diff")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--git",
    "git_spec",
    metavar="REV[..REV]",
    help="Compare FILE at REV with the working copy, or at two revisions (A..B).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull-request comment, json for scripts.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 when the change opens an unaccepted finding of this severity (or worse).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout."
)
@batch
def diff_cmd(
    files: tuple[str, ...], git_spec: str | None, fmt: str, fail_on: str, output: str | None
) -> None:
    """Show what a change to a design does: edits, verdicts, findings, flows, cost.

    \b
    Exit codes: 0 the change opens no finding at the --fail-on level;
    1 it opens one; 2 a usage, file or git error.

    \b
    Examples:
      stratus diff old.yaml new.yaml
      stratus diff --git origin/main architecture.yaml --format markdown
      stratus diff --git v1.0..v1.1 architecture.yaml --format json
      stratus diff --git HEAD            # the design file changed since the last commit
    """
    if git_spec is None and len(files) != 2:
        raise click.UsageError("give two files (OLD NEW), or --git REV [FILE]")
    if git_spec is not None and len(files) > 1:
        raise click.UsageError("with --git give at most one FILE (the design in the repository)")
    for f in files:
        refuse_overwriting_input(output, f, "diff")

    if git_spec is None:
        old, old_name, new, new_name = _load(files[0]), files[0], _load(files[1]), files[1]
    else:
        got = _from_git(git_spec, files[0] if files else None)
        if isinstance(got, str):
            write_output(_nothing(got, fmt), output)
            sys.exit(0)
        old, old_name, new, new_name = got

    from ..core.diff import diff_designs, render

    result = diff_designs(old, new, old_name=old_name, new_name=new_name)
    text = render(result, fmt)
    if output is None or output == "-":
        if fmt == "json":
            click.echo(text, nl=False)
        else:
            echo(text, nl=False)  # user text must not drive the terminal
    else:
        write_output(text, output)
    sys.exit(1 if result.fails("warning" if fail_on == "warning" else "error") else 0)


def _nothing(message: str, fmt: str) -> str:
    if fmt == "json":
        import json

        return json.dumps({"summary": message, "empty": True}, indent=2) + "\n"
    if fmt == "markdown":
        return f"**STRATUS design diff**: {message}\n"
    return message + "\n"
