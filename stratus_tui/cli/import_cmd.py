"""`stratus import SOURCE -o FILE`: bootstrap a design from compose, Kubernetes, Mermaid,
a LikeC4 model or a Structurizr DSL workspace."""

from __future__ import annotations

from pathlib import Path

import click

from .common import batch, echo_lines, fail, make_parent, same_file


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
    from ..core.importers import import_source
    from ..core.problems import DesignError
    from ..core.store.design_file import atomic_write, render

    target = Path(output)
    if same_file(source, output):
        fail(f"{output}: refusing to overwrite the source with the design imported from it", 2)
    if target.exists() and not force:
        fail(f"{output}: already exists; use --force to overwrite it (nothing was written)")
    try:
        result = import_source(source, kind)  # type: ignore[arg-type]
    except DesignError as exc:
        fail(exc)
    design = result.design
    if name is not None and name.strip():
        design = design.model_copy(update={"name": name.strip()})
    text = render(design, target)
    if target.suffix.lower() not in (".json", ".toml"):
        origin = Path(source).name.replace("\n", " ").replace("\r", " ")
        text = (
            f"# Imported by `stratus import` from {origin} ({result.kind}).\n"
            "# Review it: the import cannot see SLOs, owners, rollback or failure modes.\n" + text
        )
    make_parent(target, output)
    try:
        atomic_write(target, text.encode("utf-8"), backup=True, exclusive=not force)
    except FileExistsError:
        fail(f"{output}: already exists; use --force to overwrite it (nothing was written)")
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    _summary(result.kind, source, output, design, result.skipped)


def _summary(kind: str, source: str, output: str, design: object, skipped: list[str]) -> None:
    from ..core.model import Design

    assert isinstance(design, Design)
    lines = [
        f"imported {source} ({kind}): {len(design.services)} services, "
        f"{len(design.datastores)} datastores, {len(design.externals)} externals, "
        f"{len(design.dependencies)} dependencies -> {output}"
    ]
    for s in design.services:
        lines.append(f"  service   {s.id}" + (f" ({s.name})" if s.name else ""))
    for d in design.datastores:
        lines.append(f"  datastore {d.id}" + (f" [{d.kind}]" if d.kind else ""))
    for e in design.externals:
        lines.append(f"  external  {e.id}")
    if design.imported is not None and design.imported.answers:
        filled = ", ".join(design.imported.answers)
        lines.append(f"DISCOVER answers filled from the import: {filled}")
    if skipped:
        lines.append(f"skipped {len(skipped)}:")
        lines += [f"  {line}" for line in skipped]
    lines.append(f"next: stratus lint {output}, or stratus {output}")
    echo_lines(lines)
