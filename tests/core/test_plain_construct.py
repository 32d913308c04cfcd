"""Loading builds a design file's data in one direct walk of the composed nodes (issue
21: PyYAML's generic construction was ~40 % of loading). It gives what PyYAML's
constructor gives, errors included, for any text: anything unusual (merge keys, duplicate
keys, tags on collections, deep nesting) is left to PyYAML whole."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core import yaml_io
from stratus_tui.core.resources import sample_names, sample_path


def pyyaml(text: str) -> Any:
    """The loader's own construction (what fast_load did before)."""
    loader = yaml_io.c_safe_loader_class()(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def outcome(load: Any, text: str) -> tuple[str, Any]:
    try:
        data = load(text)
    except Exception as exc:  # the same error, with the same text
        return type(exc).__name__, str(exc)
    return "ok", repr(data)


pieces = st.sampled_from(
    [
        "a: 1\n",
        "b: [x, 'y', \"z\"]\n",
        "c: {d: 2.5, e: null}\n",
        "f: &A {g: 1}\n",
        "h: *A\n",
        "i:\n  - 1\n  - two\n",
        "<<: {j: 1}\n",
        "k: !!str 12\n",
        "l: !!bool yes\n",
        "m: 2026-12-05\n",
        "n: 2026-13-45\n",
        "o: 0x1F\n",
        "p: 010\n",
        "q: .inf\n",
        "r: ~\n",
        "a: 2\n",
        "s: !!set {t}\n",
        "u: !!int x\n",
        "v: [[[[1]]]]\n",
        "w: |\n  text\n",
        "? [x]\n: y\n",
        "1: one\n",
        "true: yes\n",
        "x: 1_000\n",
        "y: !!float 1\n",
        "z: -.5e3\n",
        "aa: [\n",
        "bb: 'it''s'\n",
        "cc: *B\n",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(pieces, max_size=8))
def test_any_text_loads_as_pyyaml_loads_it(parts: list[str]) -> None:
    text = "".join(parts)
    assert outcome(yaml_io.fast_load, text) == outcome(pyyaml, text)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    ),
    st.booleans(),
)
def test_dumped_data_loads_as_pyyaml_loads_it(data: Any, flow: bool) -> None:
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    assert outcome(yaml_io.fast_load, text) == outcome(pyyaml, text)


def test_an_alias_is_the_same_object_and_designs_load_alike() -> None:
    data = yaml_io.fast_load("a: &A {x: [1]}\nb: *A\n")
    assert data["a"] is data["b"]
    for name in sample_names():
        text = sample_path(name).read_text(encoding="utf-8")
        assert yaml_io.fast_load(text) == pyyaml(text)


def test_deep_nesting_is_left_to_pyyaml() -> None:
    text = "a: " + "[" * 60 + "]" * 60 + "\n"
    assert outcome(yaml_io.fast_load, text) == outcome(pyyaml, text)
