"""Each kind of bad pattern file fails at load with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratus_tui.core.patterns import load_library
from stratus_tui.core.problems import DesignError

GOOD = """\
id: mine
name: Mine
summary: A pattern of our own.
use_when:
  - text: Big team
    weight: 2
    when: {fact: team.engineers, op: gte, value: 10}
"""

# (what is wrong, file text, expected line, words the message must contain)
BAD_FILES = [
    (
        "typo in a top-level key",
        GOOD.replace("use_when:", "use_whn:"),
        4,
        ["unknown key 'use_whn'", "did you mean 'use_when'"],
    ),
    (
        "typo in a rule key",
        GOOD.replace("    weight: 2", "    wieght: 2"),
        6,
        ["unknown key 'wieght'", "did you mean 'weight'"],
    ),
    (
        "typo in a leaf key",
        GOOD.replace("{fact: team.engineers, op:", "{fatc: team.engineers, op:"),
        7,
        ["fatc"],
    ),
    (
        "unknown fact",
        GOOD.replace("team.engineers", "team.enginers"),
        7,
        ["unknown fact 'team.enginers'", "did you mean 'team.engineers'"],
    ),
    ("unknown operator", GOOD.replace("op: gte", "op: greater"), 7, ["unknown operator 'greater'"]),
    (
        "wrong value type",
        GOOD.replace("value: 10", "value: ten"),
        7,
        ["team.engineers is an int", "'ten'"],
    ),
    (
        "value outside the fact's choices",
        GOOD.replace(
            "{fact: team.engineers, op: gte, value: 10}",
            "{fact: team.ops_maturity, op: eq, value: mediun}",
        ),
        7,
        ["'mediun' is not a value of team.ops_maturity", "did you mean 'medium'"],
    ),
    (
        "operator that does not apply to the fact",
        GOOD.replace(
            "{fact: team.engineers, op: gte, value: 10}",
            "{fact: requirements.mtls, op: gte, value: 3}",
        ),
        7,
        ["operator 'gte' does not apply to requirements.mtls"],
    ),
    ("missing value", GOOD.replace(", value: 10", ""), 7, ["operator 'gte' needs a value"]),
    (
        "value on a unary operator",
        GOOD.replace(
            "{fact: team.engineers, op: gte, value: 10}",
            "{fact: requirements.mtls, op: is_true, value: yes}",
        ),
        7,
        ["takes no value"],
    ),
    (
        "unknown group",
        GOOD.replace(
            "when: {fact: team.engineers, op: gte, value: 10}",
            "when: {either: [{fact: team.engineers, op: gte, value: 10}]}",
        ),
        7,
        ["a condition is"],
    ),
    (
        "nested too deep",
        GOOD.replace(
            "when: {fact: team.engineers, op: gte, value: 10}",
            "when:\n      all:\n        - any:\n"
            "            - not: {fact: team.engineers, op: gte, value: 10}",
        ),
        7,
        ["at most 2 levels"],
    ),
    (
        "block-style leaf, bad value on its own line",
        GOOD.replace(
            "    when: {fact: team.engineers, op: gte, value: 10}",
            "    when:\n      fact: team.engineers\n      op: gte\n      value: [10]",
        ),
        10,
        ["team.engineers is an int"],
    ),
    ("missing required key", GOOD.replace("name: Mine\n", ""), 1, ["name", "Field required"]),
    (
        "YAML syntax error",
        GOOD.replace("  - text: Big team", "  - text: Big: team"),
        5,
        ["YAML syntax error"],
    ),
    (
        "related id that names no pattern",
        GOOD + "related:\n  - {id: sagaa, why: Because}\n",
        9,
        ["no pattern 'sagaa'", "did you mean 'saga'"],
    ),
    ("not a mapping", "- just\n- a list\n", 1, ["mapping"]),
]


@pytest.mark.parametrize(
    ("text", "line", "words"), [pytest.param(t, n, w, id=k) for k, t, n, w in BAD_FILES]
)
def test_bad_pattern_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DesignError) as info:
        load_library([tmp_path])
    problems = info.value.problems
    assert problems and all(p.file == str(path) for p in problems)
    here = [p for p in problems if p.line == line]
    assert here, [p.format() for p in problems]
    said = " ".join(p.message for p in here)
    for word in words:
        assert word in said, said
    assert here[0].format().startswith(f"{path}:{line}:")


def test_good_file_loads_and_two_ids_in_one_folder_do_not(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    assert "mine" in load_library([tmp_path]).patterns
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(DesignError) as info:
        load_library([tmp_path])
    (problem,) = info.value.problems
    assert problem.file == str(tmp_path / "b.yaml") and problem.line == 1
    assert "also used by" in problem.message


def test_every_bad_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.replace("op: gte", "op: gtee"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        GOOD.replace("id: mine", "id: other").replace("team.engineers", "team.size"),
        encoding="utf-8",
    )
    with pytest.raises(DesignError) as info:
        load_library([tmp_path])
    assert {Path(p.file or "").name for p in info.value.problems} == {"a.yaml", "b.yaml"}


def test_missing_extra_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DesignError) as info:
        load_library([tmp_path / "nope"])
    assert "not found" in str(info.value)


def test_the_engine_source_has_no_eval() -> None:
    import stratus_tui.core.patterns as rules

    for path in Path(rules.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "eval(" not in text.replace("evaluate", "").replace("_eval", ""), path
        assert "exec(" not in text, path
