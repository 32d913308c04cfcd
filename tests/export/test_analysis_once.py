"""The design document and the full export compute the analysis once (issue 21): lint, the
figures and the report share one LintContext instead of rebuilding the graph, the SPOFs
and every flow's budget for each."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratus_tui.core.analysis import context
from stratus_tui.core.export.bundle import plan_all
from stratus_tui.core.export.document import to_markdown
from stratus_tui.core.store.design_file import load_design

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "payments-ledger.yaml"


@pytest.fixture
def contexts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    made: list[object] = []
    original = context.LintContext.__init__

    def counting(self: context.LintContext, design: object) -> None:
        made.append(self)
        original(self, design)  # type: ignore[arg-type]

    monkeypatch.setattr(context.LintContext, "__init__", counting)
    return made


def test_the_design_document_builds_one_analysis(contexts: list[object]) -> None:
    to_markdown(load_design(SAMPLE))
    assert len(contexts) == 1


def test_the_full_export_builds_one_analysis(contexts: list[object]) -> None:
    plan_all(load_design(SAMPLE))
    assert len(contexts) == 1
