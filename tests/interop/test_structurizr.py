"""Structurizr DSL export: no official parser is installable here, so a golden per sample
pins the output, and a grammar test checks it with a reference tokenizer written from
structurizr-java 5's measured rules: inside `"..."` only `\\"` and `\\n` are escapes, any
other backslash is itself and consumes only itself; lines are statements, `{` ends a
line, `}` stands alone, `${NAME}` is substituted on every line, identifiers are
`[A-Za-z0-9_-]+` and must be defined before use.

    STRATUS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/interop/test_structurizr.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratus_tui.core.escape import clean_text
from stratus_tui.core.export import EXPORTERS
from stratus_tui.core.export.interop.escape_dsl import structurizr_string, unique_names
from stratus_tui.core.export.interop.structurizr import to_structurizr
from stratus_tui.core.flows import flows_of
from stratus_tui.core.model import Design
from stratus_tui.core.topology import topology_of

from .designs import HOSTILE_NAMES, hostile, samples

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("STRATUS_UPDATE_GOLDEN") == "1"
IDENT = re.compile(r"^[A-Za-z0-9_-]+$")


def tokenize(line: str) -> list[tuple[str, bool]]:
    """Structurizr's tokenizer: (value, was quoted) per token."""
    tokens: list[tuple[str, bool]] = []
    i, line = 0, line.strip()
    while i < len(line):
        if line[i].isspace():
            i += 1
        elif line[i] == '"':
            value: list[str] = []
            i += 1
            while True:
                assert i < len(line), f"unterminated string: {line!r}"
                ch = line[i]
                if ch == "\\" and i + 1 < len(line) and line[i + 1] in '"n':
                    value.append('"' if line[i + 1] == '"' else "\n")
                    i += 2
                elif ch == '"':
                    i += 1
                    break
                else:
                    value.append(ch)
                    i += 1
            assert i >= len(line) or line[i].isspace(), f"text after a string: {line!r}"
            tokens.append(("".join(value), True))
        else:
            j = i
            while j < len(line) and not line[j].isspace():
                j += 1
            tokens.append((line[i:j], False))
            i = j
    return tokens


def lossy(text: str) -> str:
    """What the documented escaping keeps of `text` (see escape_dsl)."""
    text = clean_text(text).replace("${", "\uff04{")
    if text.strip() in ("{", "}"):
        text = text.replace("{", "\uff5b").replace("}", "\uff5d")
    return re.sub(r"\\(?=n|$)", "\u29f5", text)


@given(st.text())
def test_every_text_is_one_token_that_reads_back(text: str) -> None:
    token = structurizr_string(text)
    line = f"x = container {token} {{"
    assert "${" not in line
    tokens = tokenize(line)
    assert len(tokens) == 5 and tokens[-1] == ("{", False)
    assert tokens[3] == (lossy(text), True)


@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_hostile_names_read_back(text: str) -> None:
    (value, quoted), *_ = tokenize(structurizr_string(text))
    assert quoted and value == lossy(text)
    if "${" not in text and text.strip() not in ("{", "}") and not re.search(r"\\(n|$)", text):
        assert value == text  # exact whenever the grammar can hold it


def _check_grammar(text: str, design: Design) -> None:
    depth = 0
    defined: dict[str, tuple[str, str]] = {}  # identifier -> (keyword, name)
    stratus_id: dict[str, str] = {}
    relations: set[tuple[str, str, str]] = set()
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        where = f"line {number}: {raw!r}"
        assert "${" not in raw, where
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        tokens = tokenize(line)
        values = [v for v, _ in tokens]
        if values == ["}"]:
            depth -= 1
            assert depth >= 0, where
            continue
        for value, quoted in tokens[:-1]:
            assert quoted or value != "{", f"a brace must end the line: {where}"
        opens = tokens[-1] == ("{", False)
        if len(values) >= 4 and values[1] == "=" and values[2] in ("container", "softwareSystem"):
            assert IDENT.match(values[0]) and values[0] not in defined, where
            defined[values[0]] = (values[2], values[3])
            current = values[0]
        elif values[0] == '"stratus.id"' or (tokens[0] == ("stratus.id", True)):
            assert current is not None
            stratus_id[current] = values[1]
        elif len(values) >= 3 and values[1] == "->":
            assert values[0] in defined and values[2] in defined, f"unknown identifier: {where}"
            if depth == 2:  # in the model
                relations.add((values[0], values[2], values[3]))
            else:  # a dynamic view step names an existing relationship
                assert (values[0], values[2], values[3]) in relations, where
        depth += opens
    assert depth == 0
    topo = topology_of(design)
    assert sorted(stratus_id.values()) == sorted(topo.nodes)
    inside = unique_names({n.id: n.label for n in topo.nodes.values() if n.kind != "external"})
    systems = unique_names(
        {"": design.name} | {n.id: n.label for n in topo.nodes.values() if n.kind == "external"}
    )
    for ident, cid in stratus_id.items():
        keyword, name = defined[ident]
        label = inside[cid] if keyword == "container" else systems[cid]
        assert name == lossy(label)
    resolved = [c for c in topo.calls if topo.resolved(c) and c.source != c.target]
    assert len(relations) == len(resolved) + len(topo.store_links)
    assert text.count("dynamic stratus_system") == sum(1 for f in flows_of(design) if f.hops)


@pytest.mark.parametrize("name", [*samples(), "hostile"])
def test_workspace_follows_the_grammar(name: str) -> None:
    design = {**samples(), "hostile": hostile()}[name]
    _check_grammar(to_structurizr(design, "decisions"), design)
    _check_grammar(to_structurizr(design), design)


@pytest.mark.parametrize("name", list(samples()))
def test_golden(name: str) -> None:
    design = samples()[name]
    text = EXPORTERS["structurizr"](design)
    assert text == to_structurizr(design.model_copy(deep=True))  # byte-stable
    path = GOLDEN / f"{name}.dsl"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden for {name}: run with STRATUS_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed (STRATUS_UPDATE_GOLDEN=1)"
