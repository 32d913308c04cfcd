"""The design as data: JSON, TOML and YAML, deterministic, and readable back.

All three are built from `Design.to_data()` (whole floats as integers): keys in the
model's field order (`stratus` and `name` first), default and absent values left out,
dates as `YYYY-MM-DD` strings.
The same design always gives the same bytes, and each output loads back (with
`stratus_tui.core.store.design_file.load_design`, by file extension) to an equal model.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Design


def design_data(design: Design) -> dict[str, Any]:
    """`design.to_data()` with whole-number floats written as integers (800, not 800.0)."""
    tidy: dict[str, Any] = _tidy(design.to_data())
    return tidy


def _tidy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _tidy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    if isinstance(node, float) and node.is_integer() and abs(node) < 2**53:
        return int(node)
    return node


def to_json(design: Design) -> str:
    """The design as pretty JSON (2-space indent, UTF-8 kept as is, trailing newline)."""
    return json.dumps(design_data(design), indent=2, ensure_ascii=False) + "\n"


def to_toml(design: Design) -> str:
    """The design as TOML (via tomli-w).

    Absent values: TOML has no null, so a field that is absent or None in the design is
    omitted from the output (it is unanswered/unset, exactly as if the key were missing
    from the YAML file); default values are omitted too. Lists of items become arrays of
    tables (`[[services]]`), nested sections become sub-tables (`[discovery.team]`).
    """
    import tomli_w

    return tomli_w.dumps(design_data(design))


def to_yaml(design: Design) -> str:
    """The design as block-style YAML: short word lists in flow style, long text literal."""
    from ..yaml_io import render_yaml
    from .merge import new_value

    return render_yaml(new_value(design_data(design), None))
