"""The suite-wide CI rule (tests/conftest.py), run for real: a skip because a tool is missing
passes on a laptop but fails when `CI` is set, while a skip for any other reason stays a skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"

PROBES = """
import pytest

def test_tool_missing_in_body():
    pytest.skip("Graphviz `dot` missing")

@pytest.mark.skipif(True, reason="node is not installed (needs Node.js)")
def test_tool_missing_by_mark():
    pass

@pytest.mark.skipif(True, reason="giving a file to another user needs root")
def test_other_reason():
    pass
"""


def run_probes(tmp_path: Path, ci: str | None) -> dict[str, str]:
    """Outcome per probe test, from a real pytest run with the suite's conftest."""
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_probes.py").write_text(PROBES, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "STRATUS_REQUIRE_TOOLS")}
    if ci is not None:
        env["CI"] = ci
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:randomly", "-p", "no:cacheprovider",
         "-n", "0", "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False,
    )  # fmt: skip
    # -v prints one "test_probes.py::NAME OUTCOME" line per test and phase.
    outcomes: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0].startswith("test_probes.py::"):
            name = words[0].split("::")[1]
            if outcomes.get(name) not in ("FAILED", "ERROR"):
                outcomes[name] = words[1]
    assert len(outcomes) == 3, proc.stdout + proc.stderr
    return outcomes


@pytest.mark.parametrize("ci", [None, "0", "false"])
def test_missing_tool_skips_outside_ci(tmp_path: Path, ci: str | None) -> None:
    assert run_probes(tmp_path, ci) == {
        "test_tool_missing_in_body": "SKIPPED",
        "test_tool_missing_by_mark": "SKIPPED",
        "test_other_reason": "SKIPPED",
    }


@pytest.mark.parametrize("ci", ["1", "true"])
def test_missing_tool_fails_in_ci(tmp_path: Path, ci: str) -> None:
    outcomes = run_probes(tmp_path, ci)
    assert outcomes["test_tool_missing_in_body"] == "FAILED"
    # A skipif mark skips during setup: the failure shows as an error there.
    assert outcomes["test_tool_missing_by_mark"] in ("FAILED", "ERROR")
    assert outcomes["test_other_reason"] == "SKIPPED"
