"""Every lint rule is ranked in the report's Recommended Actions on purpose: a rule missing
from the table would fall to "low impact, low effort" whatever it says."""

from __future__ import annotations

from pathlib import Path

from stratus_tui.core.lint.registry import RULES
from stratus_tui.core.lint.runner import lint
from stratus_tui.core.report.actions import PRIORITY
from stratus_tui.core.store.design_file import load_design

SAMPLES = Path(__file__).resolve().parents[2] / "sample_designs"


def test_every_rule_has_an_impact_and_effort() -> None:
    lint(load_design(SAMPLES / "checkout.yaml"))  # registers every rule module
    assert sorted(set(RULES) - set(PRIORITY)) == []
    assert sorted(set(PRIORITY) - set(RULES)) == []


def test_a_flow_below_its_target_is_high_impact() -> None:
    assert PRIORITY["flow-availability"][0] == 3
    assert PRIORITY["flow-availability"] == PRIORITY["availability-budget"]
