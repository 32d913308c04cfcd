"""`stratus new`, `validate`, `schema`: exit codes, messages and help, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design

ROOT = Path(__file__).resolve().parents[2]


def stratus(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stratus_tui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_new_writes_the_minimal_design(tmp_path: Path) -> None:
    result = stratus("new", "my-shop.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "my-shop.yaml").read_text()
    assert text.startswith("# ")
    assert [line for line in text.splitlines() if not line.startswith("#")] == [
        "stratus: 1",
        "name: My shop",
    ]
    assert stratus("validate", "my-shop.yaml", cwd=tmp_path).returncode == 0


def test_new_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "d.yaml"
    target.write_text("precious")
    result = stratus("new", "d.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert target.read_text() == "precious"


@pytest.mark.parametrize("name", sample_names())
def test_new_from_each_sample_copies_it_verbatim(tmp_path: Path, name: str) -> None:
    result = stratus("new", "d.yaml", "--sample", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d.yaml").read_text() == sample_path(name).read_text()


def test_new_writes_json_and_toml_by_extension(tmp_path: Path) -> None:
    for out in ("d.json", "d.toml"):
        assert stratus("new", out, "--sample", "checkout", cwd=tmp_path).returncode == 0
        assert load_design(tmp_path / out) == load_design(sample_path("checkout"))
    assert json.loads((tmp_path / "d.json").read_text())["stratus"] == 1


def test_bad_sample_is_a_usage_error_listing_the_samples(tmp_path: Path) -> None:
    result = stratus("new", "d.yaml", "--sample", "nope", cwd=tmp_path)
    assert result.returncode == 2
    for name in sample_names():
        assert name in result.stderr
    assert not (tmp_path / "d.yaml").exists()


def test_validate_valid_and_invalid(tmp_path: Path) -> None:
    ok = stratus("validate", str(sample_path("checkout")), cwd=tmp_path)
    assert ok.returncode == 0 and "valid" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "stratus: 1\nname: x\nservices:\n  - id: a\n    replica: 2\n"
        "dependencies:\n  - {from: a, to: b}\n"
    )
    result = stratus("validate", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "bad.yaml:5:5: services[0]: unknown key 'replica' (did you mean 'replicas'?)",
        "bad.yaml:7:19: dependency to 'b': no service, datastore or external has that id",
    ]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_validate_missing_file_and_garbage_never_trace(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_bytes(bytes(range(256)))
    for args in (("validate", "missing.yaml"), ("validate", "g.yaml")):
        result = stratus(*args, cwd=tmp_path)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and result.stderr.startswith(args[1] + ":")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert stratus("validate", cwd=tmp_path).returncode == 2
    assert stratus("new", cwd=tmp_path).returncode == 2
    assert stratus("schema", "--bogus", cwd=tmp_path).returncode == 2


def test_schema_prints_json_schema(tmp_path: Path) -> None:
    result = stratus("schema", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "STRATUS design file"
    assert stratus("schema", "-o", "s.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "s.json").read_text()) == schema


@pytest.mark.parametrize("command", ["new", "validate", "schema"])
def test_help_has_an_example(tmp_path: Path, command: str) -> None:
    result = stratus(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Example" in result.stdout and f"stratus {command}" in result.stdout
    if command == "new":
        for name in sample_names():
            assert name in result.stdout


def test_new_names_that_yaml_would_misread_stay_text(tmp_path: Path) -> None:
    """`stratus new null.yaml` once wrote `name: Null` (YAML null): an invalid design."""
    stems = ["null", "true", "Yes", "off", "nan", "123", "my shop", "~", 'say "hi" #1', "[x]"]
    for stem in stems:
        result = stratus("new", f"{stem}.yaml", cwd=tmp_path)
        assert result.returncode == 0, (stem, result.stderr)
    for stem in stems:
        design = load_design(tmp_path / f"{stem}.yaml")
        assert design.name.lower() == stem.lower(), stem
