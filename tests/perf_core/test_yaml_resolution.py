"""Loading resolves tags without PyYAML's generic resolver (issue 21: libyaml calls back
into Python for each of ~75,000 nodes at 1,000 services). The fast resolution gives the
tags PyYAML's own `BaseResolver.resolve` gives, and the composed documents are the same."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from benchmarks.graphs import write_design
from stratus_tui.core import yaml_io

LOADER = yaml_io.c_safe_loader_class()


class Generic(LOADER):  # type: ignore[misc, valid-type]
    """The same loader with PyYAML's own resolution (what loading did before)."""

    resolve = BaseResolver.resolve
    descend_resolver = BaseResolver.descend_resolver
    ascend_resolver = BaseResolver.ascend_resolver


def test_the_fast_resolution_is_installed() -> None:
    assert LOADER.resolve is not BaseResolver.resolve
    assert not LOADER.yaml_path_resolvers and None not in LOADER.yaml_implicit_resolvers


# Texts near every resolver's edge: numbers, dates, booleans, nulls, merge keys.
_ALPHABET = st.sampled_from(list("0123456789-+._:eExXoObBTtFfNnLlUuRrAaSs~< abcINFinfZ"))
texts = st.one_of(
    st.text(_ALPHABET, max_size=12),
    st.sampled_from(
        [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "False",
            "yes",
            "<<",
            ".inf",
            "-.Inf",
            ".nan",
            "0x1F",
            "0o17",
            "010",
            "1_000",
            "1e3",
            "2026-12-05",
            "2026-12-05T10:00:00Z",
        ]
    ),
    st.text(max_size=6),
)


@settings(max_examples=1500, deadline=None)
@given(texts, st.booleans(), st.booleans())
def test_a_scalar_gets_the_tag_pyyaml_gives_it(text: str, plain: bool, quoted: bool) -> None:
    fast, generic = LOADER(""), Generic("")
    try:
        for _ in range(2):  # the second time from the document's memo
            assert fast.resolve(ScalarNode, text, (plain, quoted)) == generic.resolve(
                ScalarNode, text, (plain, quoted)
            )
        for kind in (SequenceNode, MappingNode):
            assert fast.resolve(kind, None, (plain, quoted)) == generic.resolve(
                kind, None, (plain, quoted)
            )
    finally:
        fast.dispose()
        generic.dispose()


def _composed(cls: Any, text: str) -> Any:
    loader = cls(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        return type(exc).__name__, str(exc)
    finally:
        loader.dispose()


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=6), st.booleans())
def test_documents_load_alike(values: list[str], flow: bool) -> None:
    text = yaml.safe_dump(
        {"v": values, "m": {str(i): v for i, v in enumerate(values)}}, default_flow_style=flow
    )
    plain = "\n".join(f"k{i}: {v}" for i, v in enumerate(values) if "\n" not in v)
    for doc in (text, plain):
        assert repr(_composed(LOADER, doc)) == repr(_composed(Generic, doc))
        assert repr(yaml_io.fast_load(doc) if _ok(doc) else None) == repr(
            _composed(Generic, doc) if _ok(doc) else None
        )


def _ok(doc: str) -> bool:
    return not isinstance(_composed(Generic, doc), tuple)


def test_a_generated_design_loads_alike(tmp_path: Any) -> None:
    text = write_design(80, tmp_path / "d.yaml").read_text(encoding="utf-8")
    assert yaml_io.fast_load(text) == _composed(Generic, text)


def _outcome(load: Any, text: str) -> tuple[str, str]:
    try:
        return "ok", repr(load(text))
    except Exception as exc:  # the same error, with the same text
        return type(exc).__name__, str(exc)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(st.sampled_from(list("0123456789_+-xob")), min_size=1, max_size=8),
        st.integers(min_value=0, max_value=10**30).map(str),
        st.sampled_from(["0" * 5000, "1" * 4301, "007", "!!int 12", "!!int ١٢", "!!int 0b11"]),
    )
)
def test_integers_read_as_pyyaml_reads_them(value: str) -> None:
    """Plain decimal integers skip the generic integer constructor."""
    text = f"a: {value}\n"
    assert _outcome(yaml_io.fast_load, text) == _outcome(_generic_data, text)


def _generic_data(text: str) -> Any:
    loader = Generic(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
