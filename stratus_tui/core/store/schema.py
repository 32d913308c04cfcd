"""The published JSON Schema of the design file (`stratus schema`)."""

from __future__ import annotations

from typing import Any

from ..model import SCHEMA_VERSION, Design

SCHEMA_ID = f"https://stratus.invalid/schema/design-{SCHEMA_VERSION}.json"


def design_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a design file, from the pydantic model.

    `stratus` is listed as required: the model defaults it for programmatic use, but a
    file must say which version it is written in.
    """
    schema = Design.model_json_schema(by_alias=True, mode="validation")
    # A flow step is a call or a parallel group, never both (validation says the same).
    step = schema.get("$defs", {}).get("FlowStep")
    if step is not None:
        step["oneOf"] = [
            {"required": ["from", "to"], "not": {"required": ["parallel"]}},
            {
                "required": ["parallel"],
                "not": {"anyOf": [{"required": ["from"]}, {"required": ["to"]}]},
            },
        ]
    required = ["stratus", *[k for k in schema.get("required", []) if k != "stratus"]]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "STRATUS design file",
        **{k: v for k, v in schema.items() if k != "title"},
        "required": required,
    }
