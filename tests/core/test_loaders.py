"""The fast read-only loader and the round-trip loader read every value the same way."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.store.design_file import load_design, open_document
from stratus_tui.core.yaml_io import _yaml, fast_load

TRICKY = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "true",
    "True",
    "FALSE",
    "null",
    "~",
    "",
    "010",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1:20",
    "1e3",
    "1.5e-3",
    ".inf",
    "-.Inf",
    ".nan",
    "+1",
    "-0",
    "2026-10-02",
    "0.1",
    "1.",
    "007",
    "08",
    "3.0",
    "1,000",
    ".5",
    "'010'",
    '"\\N"',
    "[1, 2]",
    "{a: 1}",
    "!!str 5",
    "2026-10-02T10:00:00Z",
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return a == b and type(a) is type(b)


@pytest.mark.parametrize("scalar", TRICKY)
def test_fast_and_round_trip_loaders_agree(scalar: str) -> None:
    text = f"a: {scalar}\n"
    fast = fast_load(text)["a"]
    safe = _yaml("safe").load(text)["a"]
    assert _same(fast, safe), (scalar, fast, safe)
    rt = _yaml("rt").load(text)["a"]
    assert fast == rt or (isinstance(fast, float) and math.isnan(fast)) or scalar[0] == "!"


def test_editing_path_reads_tagged_scalars_like_the_read_path(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("stratus: 1\nname: !!str 5\nservices:\n  - id: a\n    replicas: !!int '3'\n")
    assert open_document(path).design == load_design(path)
    assert load_design(path).name == "5"


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            # Keys in a design are field names; values are free text.
            st.lists(inner, max_size=3)
            | st.dictionaries(st.from_regex(r"[a-z_]{1,6}", fullmatch=True), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_fast_loader_reads_what_ruamel_writes(value: Any) -> None:
    from stratus_tui.core.store.merge import new_value
    from stratus_tui.core.yaml_io import render_yaml

    text = render_yaml(new_value({"v": value}, None))
    assert fast_load(text) == {"v": value}
