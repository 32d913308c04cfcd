"""`stratus export --check` names the temp files interrupted saves left (issue 12, item 9)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import dead_pid, run_stratus

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_designs" / "checkout.yaml"


def _stratus(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_stratus(*args, cwd=cwd)


_dead_pid = dead_pid


def test_check_reports_strays_next_to_the_design_and_the_exports(tmp_path: Path) -> None:
    design = tmp_path / "checkout.yaml"
    shutil.copy(SAMPLE, design)
    assert (
        _stratus("export", "checkout.yaml", "-f", "all", "-o", "docs", cwd=tmp_path).returncode == 0
    )
    assert (
        _stratus("export", "checkout.yaml", "-f", "mermaid", "-o", "d.mmd", cwd=tmp_path).returncode
        == 0
    )
    pid = _dead_pid()
    by_design = tmp_path / f".checkout.yaml.{pid}.00c0ffee.tmp"
    in_folder = tmp_path / "docs" / f".design.md.{pid}.00c0ffee.tmp"
    by_mermaid = tmp_path / f".d.mmd.{pid}.00c0ffee.tmp"
    for stray in (by_design, in_folder, by_mermaid):
        stray.write_bytes(b"half a save")

    done = _stratus("export", "checkout.yaml", "-f", "all", "-o", "docs", "--check", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr  # still up to date
    assert f"stray: {by_design} (left by an interrupted save; safe to delete)" in done.stdout
    assert f"stray: {in_folder}" in done.stdout
    assert "Traceback" not in done.stderr

    done = _stratus(
        "export", "checkout.yaml", "-f", "mermaid", "-o", "d.mmd", "--check", cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"stray: {by_design}" in done.stdout
    assert f"stray: {by_mermaid}" in done.stdout
    # --check writes nothing, removes nothing.
    assert by_design.exists() and in_folder.exists() and by_mermaid.exists()


def test_check_is_quiet_without_strays(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "checkout.yaml")
    assert (
        _stratus("export", "checkout.yaml", "-f", "all", "-o", "docs", cwd=tmp_path).returncode == 0
    )
    done = _stratus("export", "checkout.yaml", "-f", "all", "-o", "docs", "--check", cwd=tmp_path)
    assert done.returncode == 0
    assert "stray" not in done.stdout
