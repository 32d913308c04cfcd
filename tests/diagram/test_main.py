"""`python -m stratus_tui.core.diagram FILE` prints the topology or a clear error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stratus_tui.core.diagram", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_prints_the_sample_with_the_built_in_layout() -> None:
    out = run(str(SAMPLE), "layered")
    assert out.returncode == 0, out.stderr
    assert "API Gateway" in out.stdout and "layout: built-in" in out.stdout
    assert "Traceback" not in out.stderr


def test_bad_file_names_the_problem_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices:\n  - {id: a, colour: red}\n")
    out = run(str(bad))
    assert out.returncode == 1 and "bad.yaml" in out.stderr and "Traceback" not in out.stderr
    missing = run(str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert run().returncode == 2
