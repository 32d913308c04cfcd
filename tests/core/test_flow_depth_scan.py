"""The flow-nesting guard of design loading jumps between the characters that matter
(issue 21: a walk over every character was ~15 % of loading 1,000 services); it refuses
the same texts at the same positions as the walk it replaced."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core import yaml_io
from stratus_tui.core.problems import DesignError


def walk(text: str, limit: int) -> tuple[int, int] | None:
    """The character-by-character check it replaced: where it refuses, or None."""
    depth, quote, line, col = 0, "", 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
            if quote == "#":
                quote = ""
        if quote:
            if ch == quote and quote != "#":
                quote = ""
        elif ch in "'\"#":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line, col
        elif ch in "]}":
            depth = max(0, depth - 1)
    return None


def scan(text: str) -> tuple[int, int] | None:
    try:
        with patch.object(yaml_io, "MAX_FLOW_DEPTH", 3):  # small texts reach it
            yaml_io._check_flow_depth(text, "f.yaml")
    except DesignError as exc:
        [problem] = exc.problems
        assert problem.message == "nested more than 3 levels deep"
        assert problem.line is not None and problem.column is not None
        return problem.line, problem.column
    return None


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="[]{}'\"#\n ax", max_size=60))
def test_same_refusals_and_positions_as_the_walk(text: str) -> None:
    assert scan(text) == walk(text, 3)


def test_a_deep_list_is_refused_where_it_crosses_the_limit() -> None:
    assert scan("a: 1\nb: [[[[x]]]]\n") == (2, 7)
    assert scan("a: '[[[[' # [[[[\nb: [[[x]]]\n") is None
