"""`stratus schema`."""

from __future__ import annotations

import json

import click


@click.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the design file (for editors' YAML language servers).

    \b
    Example:
      stratus schema > stratus.schema.json
    """
    from ..core.schema import design_schema

    click.echo(json.dumps(design_schema(), indent=2, sort_keys=False))
