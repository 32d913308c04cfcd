"""Fixtures for the event-storming core tests: real designs loaded from disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design


@pytest.fixture
def checkout(tmp_path: Path) -> Design:
    """The checkout sample, loaded from a copy on disk."""
    target = tmp_path / "checkout.yaml"
    shutil.copy(sample_path("checkout"), target)
    return load_design(target)


@pytest.fixture
def blank() -> Design:
    return Design(name="Workshop")
