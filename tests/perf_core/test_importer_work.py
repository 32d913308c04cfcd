"""Imports do work in proportion to the file, once (issue 21).

Speed itself is measured by `python -m benchmarks`; these tests count the work that made
imports slow (a Mermaid sniff over every line of a YAML file, the alias-expansion walk of a
file with no alias, the cyclic collector over the parsed tree) and check that the shortcuts
change no answer.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_import import compose, kubernetes
from stratus_tui.core.importers import import_source, mermaid, yaml_docs
from stratus_tui.core.problems import DesignError


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "make"), [("compose.yml", compose), ("k8s.yaml", kubernetes)])
def test_mermaid_sniff_reads_only_the_first_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, make: Any
) -> None:
    calls = 0
    real = mermaid._strip_comment

    def counting(line: str) -> str:
        nonlocal calls
        calls += 1
        return real(line)

    monkeypatch.setattr(mermaid, "_strip_comment", counting)
    result = import_source(_write(tmp_path, name, make(300)))
    assert len(result.design.services) == 300
    assert calls <= 3  # was one per line of the file (4,000 here)


def test_no_anchor_no_expansion_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def walked(root: Any, limit: int = 0) -> int:
        raise AssertionError("expanded_size walked a file without an anchor")

    monkeypatch.setattr(yaml_docs, "expanded_size", walked)
    # `&` inside values (a query string, a shell line) is not an anchor
    text = compose(50).replace(
        "image: postgres:16", "image: postgres:16\n    command: [sh, -c, 'make&&run']"
    )
    text += "x-note: {url: 'http://svc?a=1&b=2'}\n"
    result = import_source(_write(tmp_path, "compose.yml", text))
    assert len(result.design.services) == 50


@pytest.mark.parametrize(
    "anchor",
    [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",  # after a key
        "a: [&a [x, x, x, x, x, x, x, x, x, x]]",  # inside a flow sequence
        "a: {k: 1,&a z: [x, x, x, x, x, x, x, x, x, x]}",  # after a flow comma
    ],
)
def test_an_alias_bomb_is_still_measured(tmp_path: Path, anchor: str) -> None:
    lines = [anchor]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines.append("services: {web: {image: nginx, environment: *i}}")
    with pytest.raises(DesignError) as err:
        import_source(_write(tmp_path, "bomb.yml", "\n".join(lines) + "\n"))
    assert "alias bomb" in str(err.value)


def test_the_collector_waits_during_an_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = yaml_docs.load_documents

    def watching(text: str, file: str) -> list[Any]:
        seen.append(gc.isenabled())
        return real(text, file)

    monkeypatch.setattr("stratus_tui.core.importers.load_documents", watching)
    assert gc.isenabled()
    import_source(_write(tmp_path, "compose.yml", compose(20)))
    assert seen == [False]
    assert gc.isenabled()  # given back, also after a refused file
    with pytest.raises(DesignError):
        import_source(_write(tmp_path, "bad.yml", "services:\n  web: [\n"))
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # 101 brackets on line 2: the 101st is where nesting went too deep
        ("services:\n  web: " + "[" * 101 + "]" * 101 + "\n", "2:108"),
        # quoted and commented brackets do not nest; the real ones on line 4 do
        (
            "services:\n  a: '"
            + "[" * 150
            + "'\n  # "
            + "{" * 150
            + "\n  b: "
            + "{" * 101
            + "}" * 101
            + "\n",
            "4:106",
        ),
        # a quote opened on one line and closed on the next hides its brackets
        ('x: "' + "[" * 60 + "\n" + "[" * 60 + '" \ny: ' + "[" * 101 + "]" * 101 + "\n", "3:104"),
    ],
)
def test_flow_nesting_is_located_as_before(tmp_path: Path, text: str, where: str) -> None:
    path = _write(tmp_path, "deep.yml", text)
    with pytest.raises(DesignError) as err:
        import_source(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{where}: ") and "nested more than 100" in message


def test_brackets_in_quotes_and_comments_are_not_nesting(tmp_path: Path) -> None:
    text = compose(5) + "x-notes:\n  a: '" + "[" * 300 + "'\n  # " + "{" * 300 + "\n"
    result = import_source(_write(tmp_path, "compose.yml", text))
    assert len(result.design.services) == 5
