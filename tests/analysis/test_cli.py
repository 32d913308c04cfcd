"""`stratus lint` and `stratus report`: exit codes, JSON shape, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stratus_tui.cli import cli
from stratus_tui.core.lint import lint
from stratus_tui.core.store.design_file import load_design

from .designs import Data, clean, svc

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"


def _write(tmp_path: Path, data: Data, name: str = "design.yaml") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is valid YAML
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_lint_clean_design_exits_0(tmp_path: Path) -> None:
    code, out, _ = _run("lint", str(_write(tmp_path, clean())))
    assert code == 0
    assert "0 errors" in out


def test_lint_error_exits_1_and_accepting_it_exits_0(tmp_path: Path) -> None:
    data = clean()
    svc(data, "api")["replicas"] = 1
    svc(data, "api")["slo"]["availability"] = 99.0  # one copy reaches 99.49 %: only the spof
    code, out, _ = _run("lint", str(_write(tmp_path, data)))
    assert code == 1
    assert "error [spof] api" in out
    data["accepted_risks"] = [{"rule": "spof", "component": "api", "reason": "Q3 | plan"}]
    code, out, _ = _run("lint", str(_write(tmp_path, data)))
    assert code == 0
    assert "accepted: Q3 | plan" in out


def test_warnings_alone_do_not_fail(tmp_path: Path) -> None:
    data = clean()
    svc(data, "api")["secrets"] = "env"
    code, out, _ = _run("lint", str(_write(tmp_path, data)))
    assert code == 0 and "warning [unmanaged-secret] api" in out


def test_lint_json_shape(tmp_path: Path) -> None:
    code, out, _ = _run("lint", str(SAMPLE), "--format", "json")
    findings = json.loads(out)
    expected = lint(load_design(SAMPLE))
    assert code == (1 if any(f.fails for f in expected) else 0)
    assert isinstance(findings, list) and len(findings) == len(expected)
    for item, f in zip(findings, expected, strict=True):
        assert {"rule", "severity", "component", "message"} <= set(item)
        assert item["severity"] in ("error", "warning", "info")
        assert item["rule"] == f.rule and item["component"] == f.component
        assert isinstance(item["accepted"], bool)


def test_lint_bad_file_names_the_place_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices:\n  - id: a\n    replicaz: 2\n")
    code, _, err = _run("lint", str(bad))
    assert code == 1
    assert f"{bad}:5:" in err
    assert "Traceback" not in err


def test_report_to_stdout_and_to_file(tmp_path: Path) -> None:
    code, out, _ = _run("report", str(SAMPLE))
    assert code == 0 and "## STRATUS Architecture Report" in out
    target = tmp_path / "docs" / "report.md"
    code, _, _ = _run("report", str(SAMPLE), "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8") == out


def test_report_refuses_to_overwrite_the_design(tmp_path: Path) -> None:
    path = _write(tmp_path, clean())
    before = path.read_bytes()
    code, _, err = _run("report", str(path), "-o", str(path))
    assert code == 2 and "refusing" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", ["lint", "report"])
def test_real_console_entry_point(command: str, tmp_path: Path) -> None:
    path = _write(tmp_path, clean())
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", command, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_text_output_keeps_user_text_on_one_line(tmp_path: Path) -> None:
    data = clean()
    svc(data, "api")["replicas"] = 1
    svc(data, "api")["slo"]["availability"] = 99.0  # one copy reaches 99.49 %: only the spof
    data["accepted_risks"] = [
        {"rule": "spof", "component": "api", "reason": "line one\nerror [fake] \x1b[31mred"}
    ]
    code, out, _ = _run("lint", str(_write(tmp_path, data)))
    assert code == 0
    assert "\x1b" not in out
    assert not [line for line in out.splitlines() if line.startswith("error [fake]")]
