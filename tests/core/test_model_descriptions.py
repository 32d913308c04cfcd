"""The design model's field descriptions, read from the docstrings under its fields in
one pass (issue 21), are exactly what pydantic's `use_attribute_docstrings` gives: the
same descriptions on every field of every model, the same JSON Schema."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from stratus_tui.core import model


def _reference(tmp_path: Path) -> Any:
    """model.py as it was: pydantic reading each class's attribute docstrings."""
    source = Path(model.__file__).read_text(encoding="utf-8")
    flipped = source.replace("use_attribute_docstrings=False", "use_attribute_docstrings=True")
    flipped = flipped.replace("\n_describe_fields()\n", "\n")
    assert flipped.count("use_attribute_docstrings=True") == 1
    assert "\n_describe_fields()\n" not in flipped
    path = tmp_path / "model_reference.py"
    path.write_text(flipped, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("model_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["model_reference"] = module  # pydantic resolves annotations through it
    spec.loader.exec_module(module)
    return module


def test_descriptions_and_schema_are_pydantics_own(tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    try:
        models = [
            name
            for name, value in vars(model).items()
            if isinstance(value, type) and issubclass(value, model.Model) and value.model_fields
        ]
        assert "Design" in models and "Service" in models
        described = 0
        for name in models:
            ours = {k: f.description for k, f in getattr(model, name).model_fields.items()}
            theirs = {k: f.description for k, f in getattr(reference, name).model_fields.items()}
            assert ours == theirs, name
            described += sum(1 for d in ours.values() if d)
        assert described > 100
        assert model.Design.model_json_schema() == reference.Design.model_json_schema()
    finally:
        del sys.modules["model_reference"]
