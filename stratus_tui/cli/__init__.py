"""The `stratus` command line (spec: shared/spec/cli.md).

Commands live in their own modules and are imported only when invoked, so `stratus --help`
and headless commands never pay for Textual, networkx or the exporters they do not use.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from .. import __version__

# name -> (module, attribute, one-line help shown by `stratus --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "open": ("stratus_tui.cli.open_cmd", "open_cmd", "Open the workbench on a design."),
    "new": ("stratus_tui.cli.new_cmd", "new_cmd", "Write a new design, optionally from a sample."),
    "validate": ("stratus_tui.cli.validate_cmd", "validate_cmd", "Check a design file."),
    "recommend": (
        "stratus_tui.cli.recommend_cmd",
        "recommend_cmd",
        "Apply the pattern decision table.",
    ),
    "decide": (
        "stratus_tui.cli.decide_cmd",
        "decide_cmd",
        "Accept or reject a pattern: record the decision in the design.",
    ),
    "lint": (
        "stratus_tui.cli.lint_cmd",
        "lint_cmd",
        "Analyse the design and enforce the non-negotiables.",
    ),
    "report": (
        "stratus_tui.cli.report_cmd",
        "report_cmd",
        "Write the STRATUS Architecture Report.",
    ),
    "export": ("stratus_tui.cli.export_cmd", "export_cmd", "Export diagrams, documents and data."),
    "diff": (
        "stratus_tui.cli.diff_cmd",
        "diff_cmd",
        "Show what a change to a design does (files or git revisions).",
    ),
    "schema": (
        "stratus_tui.cli.schema_cmd",
        "schema_cmd",
        "Print the JSON Schema of the design file.",
    ),
    "import": (
        "stratus_tui.cli.import_cmd",
        "import_cmd",
        "Bootstrap a design from compose, Kubernetes, Mermaid, LikeC4 or Structurizr.",
    ),
    "serve": (
        "stratus_tui.cli.serve_cmd",
        "serve_cmd",
        "Run a live workshop: browsers and terminals.",
    ),
    "join": ("stratus_tui.cli.join_cmd", "join_cmd", "Join a live workshop from a terminal."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; unknown words open a file."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module = importlib.import_module(spec[0])
        cmd: click.Command = getattr(module, spec[1])
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help from the table, so `--help` imports no command module.
        with formatter.section("Commands"):
            formatter.write_dl([(name, spec[2]) for name, spec in COMMANDS.items()])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # `stratus FILE` is `stratus open FILE`.
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            return "open", self.get_command(ctx, "open"), args
        return super().resolve_command(ctx, args)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="stratus")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """STRATUS: a terminal workbench for software architects.

    \b
    Examples:
      stratus                          open the welcome screen
      stratus design.yaml              open a design (created if missing)
      stratus validate design.yaml     check a file; exit 1 if invalid
      stratus export design.yaml --format all -o docs/architecture
    """
    if ctx.invoked_subcommand is None:
        from ..ui.launch import run_app

        run_app(None)


def main(argv: list[str] | None = None) -> Any:
    # pydantic looks for third-party plugins (tracing hooks) by scanning every installed
    # package's metadata on first validation: ~30 ms of each command, for plugins a
    # design tool does not use. A user who wants them sets the variable themselves.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="stratus")
