"""Running STRATUS as a user does, in a fresh process, and a pid no process has."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_stratus(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m stratus_tui ARGS` (the `stratus` script's entry) in `cwd`; `env` None
    inherits the test's environment."""
    return subprocess.run(
        [sys.executable, "-m", "stratus_tui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(env) if env is not None else None,
    )


def last_line_of(code: str, *args: str, cwd: Path = ROOT) -> str:
    """The last line `python -c CODE ARGS` prints (run from the repository); the run
    must succeed (its stderr is the failure message)."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def plain_env(home: Path | None = None) -> dict[str, str]:
    """A minimal environment: the repository on the path, system tools, nothing else."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    if home is not None:
        env["HOME"] = str(home)
    return env


def dead_pid() -> int:
    """The pid of a process that has exited (what a killed writer leaves in a temp name)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)
