"""`stratus import SOURCE -o FILE`: bootstrap a design from compose, Kubernetes, Mermaid,
a LikeC4 model or a Structurizr DSL workspace."""

from __future__ import annotations

from pathlib import Path

import click

from .common import batch, echo_lines, fail


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The design file to write (.yaml; .json or .toml by extension).",
)
@click.option(
    "--kind",
    type=click.Choice(["compose", "kubernetes", "mermaid", "likec4", "structurizr"]),
    help="What SOURCE is; detected from its content and extension by default.",
)
@click.option("--name", metavar="NAME", help="Name of the design (default: from the source).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists (kept as FILE.bak).")
@batch
def import_cmd(source: str, output: str, kind: str | None, name: str | None, force: bool) -> None:
    """Bootstrap a design from a docker-compose file, Kubernetes manifests, a Mermaid
    flowchart, a LikeC4 model (.c4 through the LikeC4 CLI, or its `export json`) or a
    Structurizr DSL workspace (.dsl), and write it to FILE. Prints what was imported and
    what was skipped.

    \b
    Examples:
      stratus import docker-compose.yml -o shop.yaml
      stratus import k8s/all.yaml -o shop.yaml --kind kubernetes --name "Shop"
      stratus import docs/topology.mmd -o shop.yaml --force
      stratus import architecture/workspace.dsl -o shop.yaml
    """
    from ..core.actions import ActionError
    from ..core.actions.importing import import_design, import_summary_lines
    from ..core.problems import DesignError

    try:
        outcome = import_design(
            source,
            Path(output),
            kind=kind,  # type: ignore[arg-type]  # click.Choice holds only the kinds
            name=name,
            force=force,
            shown=output,
        )
    except ActionError as exc:
        fail(str(exc), 2 if exc.usage else 1)
    except DesignError as exc:  # the source's FILE:LINE:COL problems
        fail(exc)
    echo_lines(import_summary_lines(outcome, source, output))
