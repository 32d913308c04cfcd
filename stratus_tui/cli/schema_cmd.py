"""`stratus schema`."""

from __future__ import annotations

import json

import click


@click.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
def schema_cmd(output: str | None) -> None:
    """Print the JSON Schema of the design file (for editors' YAML language servers).

    \b
    Example:
      stratus schema -o stratus.schema.json
    then make this the first line of a design file to get completion and
    checks in any editor that uses the YAML language server:
      # yaml-language-server: $schema=./stratus.schema.json
    """
    from ..core.store.schema import design_schema
    from .common import write_output

    write_output(json.dumps(design_schema(), indent=2, ensure_ascii=False) + "\n", output)
