"""Analysis of a design: the graph, the numbers, the lint rules and the STRATUS report.

Public API::

    from stratus_tui.core.analysis import (
        build_graph, lint, analyse, render_report, Finding, Analysis, RULES,
        achievable_availability, cost_summary,
    )
"""

from __future__ import annotations

from .analyse import Analysis, analyse
from .availability import achievable_availability
from .cost import cost_summary
from .findings import Finding, Rule
from .graph import build_graph
from .lint import failing, lint
from .registry import RULES
from .report import render_report

__all__ = [
    "RULES",
    "Analysis",
    "Finding",
    "Rule",
    "achievable_availability",
    "analyse",
    "build_graph",
    "cost_summary",
    "failing",
    "lint",
    "render_report",
]
