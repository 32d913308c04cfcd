"""OBSERVE and DEPLOY files are libyaml's emitter's bytes when the documents are tame
(`yaml_out.tame`), written directly (tests/export/test_yaml_direct.py) or by libyaml:
byte for byte what PyYAML's pure-Python emitter writes, which stays the writer of
everything else (other scripts, kept blank lines, long keys)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.export.observe import names
from stratus_tui.core.export.observe.names import to_yaml
from stratus_tui.core.export.yaml_out import tame, unfolded

pytestmark = pytest.mark.skipif(
    getattr(yaml, "CSafeDumper", None) is None, reason="PyYAML without libyaml"
)

ASCII = st.characters(min_codepoint=32, max_codepoint=126)
TRICKY = [
    "word " * 50 + "x",
    "a\nb",
    "x: y",
    "- a",
    "'q'",
    '"d"',
    "#c",
    "  lead",
    "trail ",
    "a\n\nb\n",
    "null",
    "yes",
    "1e3",
    "0x1",
    "~",
    "",
    "a\n ",
    " \n",
    "x" * 300,
    "y " * 100,
    "\t\n",
    "a\tb",
    "{{ $x }}",
    'sum(rate(http_requests_total{code=~"5.."}[5m]))',
    "k" * 100,
    "a: b\n  c",
    "- \n-",
]
UNTAMED = ["\n", "x\n\n", "🚀 launch", "Zahlungsdienst Über", "k" * 101, "\x85", "\u2028"]


def values(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    scalars = (
        text
        | st.integers()
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.booleans()
        | st.none()
        | st.sampled_from(TRICKY)
    )
    keys = st.text(ASCII, min_size=1, max_size=100) | st.sampled_from(["apiVersion", "k" * 100])
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=25,
    )


def reference(*docs: Any) -> str:
    """What PyYAML's pure-Python emitter writes."""
    return names.dump_with(names._dumper(), docs)


TAME_TEXT = st.text(ASCII | st.sampled_from("\n\t"), max_size=60).filter(
    lambda s: not s.endswith("\n\n") and s != "\n"
)
DOCS = st.lists(
    st.dictionaries(st.text(ASCII, min_size=1, max_size=40), values(TAME_TEXT), max_size=4),
    min_size=1,
    max_size=3,
)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_tame_documents_are_written_as_pypyaml_writes_them(docs: list[Any]) -> None:
    assert tame(docs)
    assert to_yaml(*docs) == reference(*docs)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS, st.sampled_from(UNTAMED), st.booleans())
def test_anything_else_is_pyyamls(docs: list[Any], odd: str, as_key: bool) -> None:
    as_key = as_key or len(odd) > 100  # a long value is tame; a long key is not
    docs = [*docs, {odd: 1} if as_key else {"name": odd}]
    assert not tame(docs)
    assert to_yaml(*docs) == reference(*docs)


def test_tame_documents_are_written_directly_else_by_libyaml_else_by_pyyaml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    used: list[str] = []
    real = yaml.dump_all

    def spy(docs: Any, **kwargs: Any) -> Any:
        used.append(kwargs["Dumper"].__mro__[1].__name__)
        return real(docs, **kwargs)

    monkeypatch.setattr(yaml, "dump_all", spy)
    to_yaml({"apiVersion": "v1", "labels": {"app": "x"}})  # the direct writer's
    assert used == []
    to_yaml({"a\nb": 1})  # tame, but a key over lines: the writer is unsure
    to_yaml({"name": "🚀"})
    assert used == ["CSafeDumper", "SafeDumper"]


LINE = st.text(ASCII, max_size=85) | st.sampled_from(
    ["word " * 15 + "x", "a " * 40, "x" * 79, "'" * 30, '"' * 30, " lead", "- a", "a: b", "#x"]
)
LINE_KEYS = st.text(ASCII, min_size=1, max_size=45)
UNFOLDED_DOCS = st.lists(
    st.dictionaries(
        LINE_KEYS,
        st.recursive(
            LINE | st.integers() | st.floats() | st.booleans() | st.none(),
            lambda inner: (
                st.lists(inner, max_size=3) | st.dictionaries(LINE_KEYS, inner, max_size=3)
            ),
            max_leaves=20,
        ),
        min_size=1,
        max_size=4,
    ),
    min_size=1,
    max_size=4,
)


def backstage_dump(docs: list[Any], dumper: Any) -> str:
    out: str = yaml.dump_all(
        docs,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        explicit_start=True,
        width=100,
    )
    return out


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UNFOLDED_DOCS)
def test_backstages_options_agree_on_unfolded_documents(docs: list[Any]) -> None:
    """Backstage writes PyYAML's own str style, folded at 100 columns, one entity at a
    time: on documents whose lines cannot fold the emitters agree, and the entities
    joined are the stream written at once."""
    if not all(unfolded(d) for d in docs):
        return  # lines that may fold: PyYAML's (about half of the examples)
    whole = backstage_dump(docs, yaml.SafeDumper)
    assert "".join(backstage_dump([d], yaml.CSafeDumper) for d in docs) == whole


def test_long_text_is_not_unfolded() -> None:
    """The case that showed the emitters fold differently: a tab forces double quotes."""
    doc = {"0": {"0" * 94: "0\t0"}}
    assert not unfolded(doc)
    assert backstage_dump([doc], yaml.CSafeDumper) != backstage_dump([doc], yaml.SafeDumper)
