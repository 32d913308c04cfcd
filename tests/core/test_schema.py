"""The published JSON Schema follows the model and the spec."""

from __future__ import annotations

from typing import Any

from stratus_tui.core.model import Design, Service
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.explain import field_names, model_at
from stratus_tui.core.store.schema import design_schema


def test_schema_header_and_required_keys() -> None:
    schema = design_schema()
    assert schema["title"] == "STRATUS design file"
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["required"] == ["stratus", "name"]
    assert schema["additionalProperties"] is False


def test_schema_properties_are_the_file_keys() -> None:
    schema = design_schema()
    assert list(schema["properties"]) == field_names(Design)
    dependency = schema["$defs"]["Dependency"]["properties"]
    assert "from" in dependency and "from_" not in dependency
    service = schema["$defs"]["Service"]["properties"]
    assert list(service) == field_names(Service)
    assert service["replicas"]["description"] == "Running instances."


def _enum_of(prop: dict[str, Any]) -> list[str]:
    for option in prop.get("anyOf", [prop]):
        if "enum" in option:
            return list(option["enum"])
    return []


def test_enums_are_published() -> None:
    workload = design_schema()["$defs"]["Workload"]["properties"]
    assert _enum_of(workload["traffic"]) == ["steady", "diurnal", "spiky", "batch"]


def test_model_lookup_follows_nested_sections() -> None:
    assert model_at(("services", 0)) is Service
    assert model_at(("discovery", "workload")).__name__ == "Workload"  # type: ignore[union-attr]
    assert model_at(("name",)) is None


def test_samples_use_only_schema_keys() -> None:
    schema = design_schema()
    data = load_design(sample_path("payments-ledger")).to_data()
    assert set(data) <= set(schema["properties"])
