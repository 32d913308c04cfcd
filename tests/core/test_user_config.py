"""A user's own files (patterns, prices, keymap) live in one folder, decided in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratus_tui.core.analysis.prices import user_prices_path
from stratus_tui.core.patterns import user_patterns_dir
from stratus_tui.core.problems import did_you_mean
from stratus_tui.core.resources import user_config_dir
from stratus_tui.ui.keymap import keymap_file


def test_stratus_config_dir_moves_all_three(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRATUS_CONFIG_DIR", str(tmp_path / "cfg"))
    assert user_config_dir() == tmp_path / "cfg"
    assert user_patterns_dir() == tmp_path / "cfg" / "patterns"
    assert user_prices_path() == tmp_path / "cfg" / "prices.yaml"
    assert keymap_file() == tmp_path / "cfg" / "keymap.toml"


def test_without_it_the_platform_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRATUS_CONFIG_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    folders = {user_patterns_dir().parent, user_prices_path().parent, keymap_file().parent}
    assert folders == {tmp_path / "xdg" / "stratus"}


def test_did_you_mean_names_the_closest_choice_or_nothing() -> None:
    assert did_you_mean("paymnets", ["payments", "orders"]) == " (did you mean 'payments'?)"
    assert did_you_mean("zzz", ["payments", "orders"]) == ""
