"""Real git repositories in tmp_path and a real `stratus diff` subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_designs" / "checkout.yaml"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user patterns or git configuration from the machine leak into a test."""
    monkeypatch.setenv("STRATUS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("STRATUS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` (a test's own repository), failing the test if it fails."""
    proc = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def commit(repo: Path, message: str) -> str:
    """Commit everything in `repo`; the new commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """A git repository holding `design.yaml` (the checkout sample), committed once."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.email", "test@example.com")
    git(folder, "config", "user.name", "Test")
    git(folder, "config", "commit.gpgsign", "false")
    shutil.copy(SAMPLE, folder / "design.yaml")
    commit(folder, "the checkout design")
    yield folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the file by `new` (as a person would)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def stratus(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`stratus ARGS` as a user runs it, in `cwd`."""
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ["HOME"],
        "GIT_CONFIG_NOSYSTEM": "1",
        "STRATUS_CONFIG_DIR": os.environ["STRATUS_CONFIG_DIR"],
        "STRATUS_STATE_DIR": os.environ["STRATUS_STATE_DIR"],
    }
    return subprocess.run(
        [sys.executable, "-m", "stratus_tui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
