"""A new design's YAML is written without ruamel's emitter where every value's style is
known (issue 21: the emitter was ~80 % of `stratus import` at 1,000 services). The bytes
are ruamel's, always: any data gives ruamel's text or is handed to ruamel whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.graphs import make_data
from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store import serialise
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.merge import new_value
from stratus_tui.core.store.serialise import Unsure, design_data, fast_yaml, to_yaml
from stratus_tui.core.yaml_io import render_yaml


def ruamel(data: dict[str, Any]) -> str:
    return render_yaml(new_value(data, None))


texts = st.text(
    alphabet=st.sampled_from(
        [*"abcXYZ019 -_./()+:#'\"\\,[]{}?!&*|>%@`~\t\n", "é", "ü", "\u2028", "\x85", "😀"]
    ),
    max_size=30,
)
words = st.sampled_from(
    [
        "null",
        "true",
        "False",
        "yes",
        "on",
        "~",
        "0x1f",
        "010",
        "1e5",
        "1_000",
        ".inf",
        "2026-12-05",
        "12:30",
        "- a",
        "a: b",
        "#x",
        "svc-1",
        "Edge service 4",
        "REST: /v1/x",
    ]
)
scalars = st.one_of(
    texts,
    words,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
keys = st.sampled_from(["id", "name", "to", "from", "mode", "owns", "slo", "x1"])
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=5))
def test_any_data_is_ruamels_text_or_left_to_ruamel(data: dict[str, Any]) -> None:
    data = serialise._tidy(data)
    try:
        fast = fast_yaml(data)
    except Unsure:
        return
    assert fast == ruamel(data)


def test_designs_are_written_fast_and_byte_equal(tmp_path: Path) -> None:
    designs = [load_design(sample_path(name)) for name in sample_names()]
    designs.append(Design.model_validate(make_data(300)))
    for design in designs:
        data = design_data(design)
        assert fast_yaml(data) == ruamel(data) == to_yaml(design)


def test_keys_that_read_as_other_types_are_left_to_ruamel() -> None:
    with pytest.raises(Unsure):
        fast_yaml({"null": 1})
    with pytest.raises(Unsure):
        fast_yaml({"ok": {}})


def test_unsure_data_is_ruamels_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    design = load_design(sample_path(sample_names()[0]))

    def unsure(_data: dict[str, Any]) -> str:
        raise Unsure

    monkeypatch.setattr(serialise, "fast_yaml", unsure)
    assert to_yaml(design) == ruamel(design_data(design))
