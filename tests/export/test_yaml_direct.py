"""OBSERVE and DEPLOY YAML written directly from the values (`yaml_out.DirectWriter`) is
byte for byte what libyaml's emitter wrote through PyYAML's representer (`names.dump_with`
on the fast dumper), on generated documents full of text YAML reads as something else and
on the real exports; where the writer is unsure the old path writes the whole call."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from benchmarks.graphs import write_design
from stratus_tui.cli.common import load_or_exit
from stratus_tui.core.export.bundle import k8s_plan, observe_plan
from stratus_tui.core.export.observe import names
from stratus_tui.core.export.observe.names import to_yaml
from stratus_tui.core.export.yaml_out import Unsure, tame

pytestmark = pytest.mark.skipif(
    getattr(yaml, "CSafeDumper", None) is None, reason="PyYAML without libyaml"
)

SAMPLES = sorted((Path(__file__).parents[2] / "sample_designs").glob("*.yaml"))

TRICKY = [
    "",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "True",
    "NULL",
    "null",
    "~",
    "1",
    "-1",
    "+1",
    "1.0",
    "0o7",
    "0x1f",
    "0b11",
    "1_000",
    "1:30",
    ".inf",
    "-.inf",
    ".nan",
    ".5",
    "1e3",
    "1.0e+3",
    "2024-01-01",
    "2024-01-01 10:00:00",
    "<<",
    "=",
    ":",
    "::",
    ":a",
    "a:",
    "a:b",
    "- x",
    "-",
    "-x",
    "--",
    "---",
    "--- x",
    "...",
    ". x",
    "#",
    "a #b",
    "a#b",
    "a: b",
    "? x",
    "?",
    "?x",
    " lead",
    "trail ",
    " ",
    "  ",
    "'q'",
    "it's",
    '"d"',
    'say "hi"',
    "%",
    "%x",
    "@",
    "`",
    "*",
    "*a",
    "&",
    "&a",
    "!",
    "!x",
    "{",
    "}",
    "[",
    "]",
    ",",
    "a, b",
    "|",
    ">",
    "a|b",
    "a\tb",
    "\t",
    "\\",
    "a\\nb",
    "a\nb",
    "a\nb\n",
    "\na",
    "\n a",
    " a\nb",
    "a \nb",
    "a\n b",
    "a\n\nb",
    "a\n\n\nb\n",
    "a\nb ",
    "a\n#b",
    "a\n- b",
    "a\n\tb",
    "x\n",
    "yes\n",
    "1\n",
    "'\n'",
    "{{ $x }}",
    'sum(rate(x{code=~"5.."}[5m]))',
    "slo:sli_error:ratio_rate5m",
    "app.kubernetes.io/name",
    "http://x:80/y",
    "word " * 50 + "x",
]
"""Text YAML reads as another type, indicators where they count, blanks and breaks."""
LONG = ["x " * n + "y" for n in (1990, 1995, 1998, 2000, 2048, 2100)] + ["z" * 4090]
"""Text near and past the fold width (4096) and the writer's own limit (4000)."""
FRAGMENTS = [*"ab1.-:#'\" \n\t?!&*|>{}[],%@`~=<", "yes", "null", "---", "...", "0x", "e3"]
TEXT = (
    st.text(st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("\n\t"))
    | st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join)
    | st.sampled_from(TRICKY)
).filter(lambda s: not s.endswith("\n\n") and s != "\n")  # kept blank lines are not tame
KEYS = (
    st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30)
    | st.sampled_from([k for k in TRICKY if k and "\n" not in k and len(k) <= 100] + ["k" * 100])
    | st.lists(st.sampled_from([f for f in FRAGMENTS if f != "\n"]), min_size=1, max_size=5).map(
        "".join
    )
)
SCALARS = (
    TEXT
    | st.integers()
    | st.sampled_from([0, -1, 10**30, -(10**30)])
    | st.floats()
    | st.sampled_from([0.0, -0.0, 1e17, 1e-7, -2.5, 1e300, float("inf"), float("-inf")])
    | st.booleans()
    | st.none()
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS | st.just({}) | st.just([]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)
DOCS: st.SearchStrategy[list[Any]] = st.lists(
    st.dictionaries(KEYS, VALUES, min_size=1, max_size=5)
    | st.lists(VALUES, min_size=1, max_size=3)
    | st.sampled_from([{}, []]),
    min_size=1,
    max_size=3,
)


def libyaml(*docs: Any) -> str:
    """The old path for tame documents: libyaml's emitter behind PyYAML's representer."""
    return names.dump_with(names._dumper(fast=True), docs)


def direct(*docs: Any) -> str | None:
    """What the direct writer writes, None where it is unsure."""
    writer = names._direct()
    assert writer is not None
    try:
        return writer.write(docs)
    except Unsure:
        return None


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_tame_documents_are_libyamls_bytes(docs: list[Any]) -> None:
    assert tame(docs)
    written = direct(*docs)
    event("direct" if written is not None else "unsure")
    expected = libyaml(*docs)
    if written is not None:
        assert written == expected
    assert to_yaml(*docs) == expected
    assert expected == names.dump_with(names._dumper(), tuple(docs))  # and PyYAML's


def test_every_tricky_text_is_written_directly_in_every_place() -> None:
    """None of these needs the old path: as a value, a list item, a key, a nested one."""
    for text in TRICKY:
        key = text if text and "\n" not in text and len(text) <= 100 else "k"
        for doc in (
            {key: text},
            {"a": {"b": [text, {key: text, "c": [text]}], key: [[text, text]]}},
            [text, [text], {"x": {key: text}}],
        ):
            written = direct(doc, {"z": [doc]})
            assert written is not None, repr(text)
            assert written == libyaml(doc, {"z": [doc]}), repr(text)


@pytest.mark.parametrize("text", LONG, ids=len)
def test_long_lines_match_or_go_the_old_way(text: str) -> None:
    for doc in ({"key": text}, {"a": [{"key": text}]}, [text], {"k" * 100: text}):
        written = direct(doc)
        assert written is None or written == libyaml(doc)
        assert to_yaml(doc) == libyaml(doc)
    assert (direct({"key": text}) is None) == (len(text) >= 3996)  # lines from 4,000 on


@pytest.mark.parametrize(
    "doc",
    [
        {"k" * 101: 1},
        {"a\nb": 1},
        {1: "x"},
        {"x": "🚀"},
        {"x": "a\n\n"},
        {"x": "\n"},
        {"x": date(2024, 1, 1)},
    ],
    ids=repr,
)
def test_the_writer_is_unsure_of_anything_else(doc: dict[Any, Any]) -> None:
    assert direct(doc) is None
    fast = names._dumper(fast=True) if tame([doc]) else names._dumper()
    assert to_yaml(doc) == names.dump_with(fast, (doc,))


def plans(design_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    design = load_or_exit(design_path)
    return observe_plan(design).files, k8s_plan(design).files


@pytest.mark.parametrize(
    "source", [*SAMPLES, "generated"], ids=lambda p: getattr(p, "name", str(p))
)
def test_real_exports_are_unchanged(
    source: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_design(50, tmp_path / "d50.yaml") if source == "generated" else Path(source)
    unsure: list[tuple[Any, ...]] = []
    real = names.dump_with

    def counted(dumper: Any, docs: tuple[Any, ...]) -> str:
        if not (len(docs) == 1 and type(docs[0]) is dict and list(docs[0]) == ["k"]):
            unsure.append(docs)  # not the writer asking libyaml for one text
        return real(dumper, docs)

    monkeypatch.setattr(names, "dump_with", counted)
    now = plans(path)
    assert not unsure  # every file went the direct way
    assert sum(map(len, now)) > 10
    monkeypatch.setattr(names, "_direct", lambda: None)  # the old path
    monkeypatch.setattr(names, "dump_with", real)
    assert now == plans(path)
