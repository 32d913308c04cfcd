"""`stratus FILE` in a folder that does not exist fails clearly before the UI starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("form", [["open"], []])
def test_missing_folder_is_refused_with_a_message(tmp_path: Path, form: list[str]) -> None:
    target = tmp_path / "no-such-folder" / "design.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", *form, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 1
    assert "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not target.parent.exists()
