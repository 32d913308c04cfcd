"""Shared fixtures for the workbench tests: a private state/config folder and a design."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recent list and keymap live in the test's folder, never in the user's home."""
    monkeypatch.setenv("STRATUS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("STRATUS_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def design_file(tmp_path: Path) -> Path:
    """A writable copy of the checkout sample."""
    target = tmp_path / "checkout.yaml"
    shutil.copy(SAMPLE, target)
    return target
