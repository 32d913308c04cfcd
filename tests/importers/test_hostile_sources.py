"""Input that is not an architecture: refused with a clear, located problem, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.importers import MAX_BYTES, import_source
from stratus_tui.core.importers.yaml_docs import (
    MAX_EXPANDED_NODES,
    MAX_YAML_BYTES,
    expanded_size,
)
from stratus_tui.core.problems import DesignError


def _error(path: Path, **kw: object) -> str:
    with pytest.raises(DesignError) as err:
        import_source(path, **kw)  # type: ignore[arg-type]
    text = str(err.value)
    assert text.startswith(str(path))
    return text


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "image.yml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    # FILE:LINE:COL of the first NUL byte (line 3, after \r\n and \n).
    assert _error(path).startswith(f"{path}:3:1: is a binary file")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yml"
    path.write_bytes("services:\n  caf\xe9: {image: x}\n".encode("latin-1"))
    assert _error(path).startswith(f"{path}:2:6: is not UTF-8 text (byte 0xe9)")


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n", "---\n...\n"])
def test_empty_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "docker-compose.yml"
    path.write_text(content, encoding="utf-8")
    assert "nothing to import" in _error(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "cannot read" in _error(tmp_path / "nope.yml")
    assert "is a folder" in _error(tmp_path)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("- a\n- b\n", "it holds a list"),
        ("just words\n", "it holds a string"),
        ("42\n", "a number"),
    ],
)
def test_unknown_shapes_are_named_in_words(tmp_path: Path, content: str, said: str) -> None:
    path = tmp_path / "thing.yml"
    path.write_text(content, encoding="utf-8")
    message = _error(path)
    assert said in message and "Commented" not in message


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yml"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: size without writing 10 MB
    assert "too large to import" in _error(path)


def test_large_yaml_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_text("# padding\n" * (MAX_YAML_BYTES // 10 + 1) + "a: 1\n", encoding="utf-8")
    message = _error(path)
    assert "too large to import" in message and "kubectl get" in message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines.append("services: {web: {image: nginx, environment: *i}}")
    path = tmp_path / "bomb.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _error(path)
    assert "alias bomb" in message
    assert message.startswith(f"{path}:2:8: ")  # the first alias: where to look


def test_expanded_size_counts_shared_nodes() -> None:
    leaf = ["x"] * 10
    doc = {"a": [leaf] * 10}
    assert expanded_size(doc) == 1 + 1 + 1 + 10 * 11  # dict, key, list, 10 x (list + 10)
    loop: list[object] = []
    loop.append(loop)
    assert expanded_size(loop) > MAX_EXPANDED_NODES


@pytest.mark.parametrize(
    "content",
    ["services: " + "[" * 5000 + "]" * 5000 + "\n", "services:\n" + "- " * 3000 + "x\n"],
)
def test_deep_nesting(tmp_path: Path, content: str) -> None:
    path = tmp_path / "deep.yml"
    path.write_text(content, encoding="utf-8")
    assert "nested more than 100 levels deep" in _error(path)


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("services:\n  web:\n    image: nginx\n   bad: [\n", encoding="utf-8")
    with pytest.raises(DesignError) as err:
        import_source(path)
    problem = err.value.problems[0]
    assert problem.line is not None and problem.column is not None
    assert "YAML syntax error" in problem.message


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.yml"
    path.write_text("services:\n  web: {image: a}\n  web: {image: b}\n", encoding="utf-8")
    assert "duplicate key" in _error(path)


@pytest.mark.parametrize(
    "content",
    [
        "just a sentence\n",
        "- a\n- b\n",
        "name: thing\nsettings: {a: 1}\n",
        "42\n",
        "version: '3.8'\nnetworks: {}\n",
    ],
)
def test_neither_compose_nor_kubernetes(tmp_path: Path, content: str) -> None:
    path = tmp_path / "thing.yml"
    path.write_text(content, encoding="utf-8")
    assert "is neither a docker-compose file" in _error(path)


def test_a_stratus_design_is_not_imported(tmp_path: Path) -> None:
    path = tmp_path / "design.yaml"
    path.write_text("stratus: 1\nname: x\n", encoding="utf-8")
    assert "already a STRATUS design" in _error(path)


def test_forced_kind_that_does_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "k8s.yaml"
    path.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n", encoding="utf-8")
    assert "not a docker-compose file" in _error(path, kind="compose")
    assert "only flowcharts" in _error(path, kind="mermaid") or "not Mermaid" in _error(
        path, kind="mermaid"
    )
    assert "unknown kind" in _error(path, kind="helm")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_import_or_fail_cleanly(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.yml"
        path.write_bytes(data)
        try:
            result = import_source(path)
        except DesignError as exc:
            assert exc.problems and all(p.file == str(path) for p in exc.problems)
        else:
            from stratus_tui.core.store.validation import check_references

            assert check_references(result.design) == []
