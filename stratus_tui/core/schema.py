"""The published JSON Schema of the design file."""

from __future__ import annotations

from typing import Any

from .model import Design

SCHEMA_ID = "https://stratus.invalid/schema/design-1.json"


def design_schema() -> dict[str, Any]:
    schema = Design.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "STRATUS design file",
        **schema,
    }
