"""Every class of bad input gives FILE:LINE:COL: message, all at once, never a crash."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from stratus_tui.core.problems import DesignError, Problem
from stratus_tui.core.store.design_file import load_design, open_document


def _problems(tmp_path: Path, content: str | bytes, name: str = "d.yaml") -> list[Problem]:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DesignError) as info:
        load_design(path)
    problems = info.value.problems
    assert all(p.file == str(path) for p in problems)
    # The editing path (round-trip parser) reports the same problems at the same places;
    # only a syntax error's wording may differ between the two parsers.
    with pytest.raises(DesignError) as again:
        open_document(path)
    assert [(p.line, p.column) for p in again.value.problems] == [
        (p.line, p.column) for p in problems
    ]
    for mine, theirs in zip(problems, again.value.problems, strict=True):
        if "syntax error" not in mine.message:
            assert mine.message == theirs.message
    return problems


def _one(tmp_path: Path, content: str | bytes, name: str = "d.yaml") -> Problem:
    problems = _problems(tmp_path, content, name)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


HEAD = "stratus: 1\nname: x\n"

CASES = [
    # (id, content, line, column, message substring)
    ("yaml-syntax", HEAD + "services: [\n", 4, 1, "YAML syntax error"),
    (
        "unknown-key",
        HEAD + "services:\n  - id: a\n    replica: 3\n",
        5,
        5,
        "services[0]: unknown key 'replica' (did you mean 'replicas'?)",
    ),
    (
        "unknown-top-key",
        HEAD + "servcies: []\n",
        3,
        1,
        "the design: unknown key 'servcies' (did you mean 'services'?)",
    ),
    (
        "wrong-type",
        HEAD + "services:\n  - id: a\n    replicas: three\n",
        5,
        15,
        "services[0].replicas: expected a whole number, got 'three'",
    ),
    ("wrong-type-section", HEAD + "services: nope\n", 3, 11, "services: expected a list"),
    (
        "bad-enum",
        HEAD + "discovery:\n  workload:\n    traffic: sometimes\n",
        5,
        14,
        "'sometimes' is not allowed; use one of 'steady', 'diurnal', 'spiky' or 'batch'",
    ),
    (
        "out-of-range",
        HEAD + "discovery:\n  requirements:\n    availability: 120\n",
        5,
        19,
        "discovery.requirements.availability: must be at most 100",
    ),
    (
        "duplicate-id",
        HEAD + "services:\n  - id: a\n  - id: a\n",
        5,
        9,
        "duplicate id 'a' in services",
    ),
    ("duplicate-key", HEAD + "name: y\n", 3, 1, 'duplicate key "name"'),
    (
        "dangling-ref",
        HEAD + "services:\n  - id: a\n    datastore: db1\ndatastores:\n  - id: db\n",
        5,
        16,
        "datastore 'db1' is not in datastores (did you mean 'db'?)",
    ),
    (
        "dangling-dependency",
        HEAD + "services:\n  - id: a\ndependencies:\n  - {from: a, to: b}\n",
        6,
        19,
        "dependency to 'b': no service, datastore or external has that id",
    ),
    (
        "malformed-id",
        HEAD + "services:\n  - id: 'my service'\n",
        4,
        9,
        "services[0].id: 'my service' is not a valid id",
    ),
    (
        "malformed-quantity",
        HEAD + "services:\n  - id: a\n    kubernetes: {cpu_request: 250x}\n",
        5,
        31,
        "services[0].kubernetes.cpu_request: '250x' is not a Kubernetes quantity: a number"
        " with an optional unit (m, k, Ki, M, Mi, G, Gi, T, Ti), e.g. 250m or 256Mi",
    ),
    (
        "malformed-metric-name",
        HEAD + "observability:\n  metrics: {requests: 1http}\n",
        4,
        23,
        "observability.metrics.requests: '1http' is not a Prometheus metric name: letters,"
        " digits, '_' and ':', not starting with a digit",
    ),
    (
        "malformed-label-name",
        HEAD + "observability:\n  metrics: {service_label: svc-id}\n",
        4,
        28,
        "observability.metrics.service_label: 'svc-id' is not a Prometheus label name:"
        " letters, digits and '_', not starting with a digit",
    ),
    (
        "newer-version",
        "stratus: 9\nname: x\n",
        1,
        10,
        "this file is version 9, but this program reads versions up to 1",
    ),
    (
        "version-not-number",
        "stratus: one\nname: x\n",
        1,
        10,
        "the version must be a whole number like 1",
    ),
    ("missing-version", "name: x\n", 1, 1, "missing 'stratus: 1'"),
    (
        "missing-name",
        "stratus: 1\nscope: s\n",
        1,
        1,
        "missing 'name': every design needs one, e.g. 'name: Checkout platform'",
    ),
    ("not-a-mapping", "- stratus\n- name\n", 1, 1, "a design must be a mapping of keys"),
    ("scalar-document", "just words\n", 1, 1, "a design must be a mapping of keys"),
    ("empty", "", 1, 1, "the file is empty"),
    ("only-comments", "# nothing\n\n", 1, 1, "the file is only comments"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, 1, "binary data"),
    ("not-utf8", b"stratus: 1\nname: caf\xe9\n", 2, 10, "not UTF-8 text (byte 0xe9)"),
    (
        "python-tag",
        HEAD + "scope: !!python/object/apply:os.system [echo hacked]\n",
        3,
        8,
        "Python object tag !!python/object/apply:os.system is not allowed",
    ),
    (
        "python-name-tag",
        "stratus: 1\nname: !!python/name:os.system ''\n",
        2,
        7,
        "Python object tag !!python/name:os.system is not allowed",
    ),
    ("custom-tag", HEAD + "scope: !secret abc\n", 3, 8, "unsupported tag !secret"),
    ("recursive-alias", HEAD + "scope: &a [*a]\n", 3, 12, "recursive alias *a"),
    ("json-syntax", '{"stratus": 1,\n "name": }', 2, 10, "JSON syntax error"),
    (
        "json-duplicate-key",
        '{"stratus": 1,\n "name": "a",\n "name": "b"}',
        3,
        2,
        'duplicate key "name"',
    ),
    (  # once a ValueError traceback from the YAML parser
        "impossible-date",
        HEAD + "decisions:\n  - {id: a, title: t, date: 2026-13-45}\n",
        4,
        29,
        "decisions[0].date: expected a date (YYYY-MM-DD), got '2026-13-45'",
    ),
    (
        "infinite-number",
        HEAD + "discovery:\n  workload:\n    peak_rps: .inf\n",
        5,
        15,
        "discovery.workload.peak_rps: input should be a finite number",
    ),
    (
        "not-a-number",
        HEAD + "services:\n  - id: a\n    monthly_cost_usd: .nan\n",
        5,
        23,
        "services[0].monthly_cost_usd: input should be a finite number",
    ),
    ("toml-syntax", "stratus = 1\nname = \n", 2, 8, "TOML syntax error"),
]


@pytest.mark.parametrize(
    ("content", "line", "column", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_bad_input_names_line_column_and_cause(
    tmp_path: Path,
    content: str | bytes,
    line: int,
    column: int,
    message: str,
    request: pytest.FixtureRequest,
) -> None:
    name = {"json-syntax": "d.json", "json-duplicate-key": "d.json", "toml-syntax": "d.toml"}.get(
        request.node.callspec.id, "d.yaml"
    )
    problem = _one(tmp_path, content, name)
    assert message in problem.message
    assert (problem.line, problem.column) == (line, column), problem.format()
    assert problem.format().startswith(f"{tmp_path / name}:{line}:{column}: ")


@pytest.mark.parametrize(("key", "said"), [("2", "key 2 is not a word"), ("~", "key null")])
def test_keys_that_are_not_words_are_located(tmp_path: Path, key: str, said: str) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + f"services:\n  - id: a\n    {key}: b\n", encoding="utf-8")
    for load in (load_design, open_document):  # the editing path calls it an unknown key
        with pytest.raises(DesignError) as info:
            load(path)
        (problem,) = info.value.problems
        assert (problem.line, problem.column) == (5, 5), problem.format()
    with pytest.raises(DesignError) as info:
        load_design(path)
    assert said in info.value.problems[0].message


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    content = (
        "name: x\n"  # 1: no stratus
        "services:\n"
        "  - id: a\n"
        "    replica: 3\n"  # 4: unknown key
        "    datastore: nodb\n"  # 5: dangling datastore, found despite pydantic errors
        "  - id: Bad id!\n"  # 6: malformed id
        "  - id: c\n"
        "    secrets: plaintext\n"  # 8: bad enum
        "dependencies:\n"
        "  - {from: a, to: zzz}\n"  # 10: dangling reference
        "  - {from: c, to: 'Bad id!'}\n"  # 11: malformed id (not also a dangling one)
        "  - {from: c, to: a}\n"
    )
    problems = _problems(tmp_path, content)
    where = [(p.line, p.column) for p in problems]
    assert where == [(1, 1), (4, 5), (5, 16), (6, 9), (8, 14), (10, 19), (11, 19)]
    assert "dependency to 'zzz'" in problems[5].message
    assert "not a valid id" in problems[6].message


def test_problems_in_toml_are_located(tmp_path: Path) -> None:
    content = (
        'stratus = 1\nname = "x"\n\n[[services]]\nid = "a"\n\n'
        '[[services]]\nid = "b"\nreplicaz = 2\n'
    )
    problem = _one(tmp_path, content, "d.toml")
    assert (problem.line, problem.column) == (9, 1)
    assert "services[1]: unknown key 'replicaz'" in problem.message


def test_alias_bomb_is_refused_quickly_and_in_little_memory(tmp_path: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    content = HEAD + "\n".join(levels) + "\n"  # expands to 9**9 (387 million) strings
    tracemalloc.start()
    started = time.perf_counter()
    problem = _one(tmp_path, content)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "aliases expand to more than 100,000 nodes" in problem.message
    assert problem.line == 8  # the alias that crossed the budget, on level f
    assert elapsed < 5 and peak < 50_000_000  # generous: a real expansion takes minutes/GBs


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        HEAD + "services:\n  - id: a\n    slo: &slo {availability: 99.9}\n"
        "  - id: b\n    slo: *slo\n"
    )
    design = load_design(path)
    assert design.services[0].slo == design.services[1].slo


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    started = time.perf_counter()
    problem = _one(tmp_path, HEAD + "scope: " + "[" * 5000 + "]" * 5000 + "\n")
    assert time.perf_counter() - started < 5  # the parser is quadratic in nesting: refused first
    assert "nested more than 100 levels deep" in problem.message
    assert (problem.line, problem.column) == (3, 108)


def test_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(DesignError) as info:
        load_design(tmp_path / "missing.yaml")
    assert "cannot read" in info.value.problems[0].format()
