"""The engine's batch entry points run without the cyclic collector and give it back
(issue 21): its full passes over a loaded design were ~30 % of lint, the report and the
design document at 5,000 services, and made them grow faster than the design. Speed is
measured by `python -m benchmarks`; this checks the collector state the work sees."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import pytest

from stratus_tui.core.export import document, dot, mermaid
from stratus_tui.core.lint import runner
from stratus_tui.core.patterns import engine
from stratus_tui.core.report import render
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design

# (module holding the inner step, its name, the entry point that runs it)
CASES: list[tuple[Any, str, Callable[[Any], Any]]] = [
    (runner, "run_rules", runner.lint),
    (render, "analysis_from", render.render_report),
    (document, "render_design_doc", document.to_markdown),
    (engine, "evaluate_all", engine.recommend),
    (mermaid, "build_topology", mermaid.to_mermaid),
    (mermaid, "build_topology", mermaid.to_mermaid_c4),
    (dot, "build_topology", dot.to_dot),
]


@pytest.mark.parametrize(("module", "inner", "entry"), CASES)
def test_entry_points_pause_the_collector_and_give_it_back(
    module: Any, inner: str, entry: Callable[[Any], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    original = getattr(module, inner)

    def watching(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, inner, watching)
    design = load_design(sample_path("checkout"))
    assert gc.isenabled()
    entry(design)
    assert seen and not any(seen)
    assert gc.isenabled()
