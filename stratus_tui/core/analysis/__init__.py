"""Analysis of a design: the graph and the numbers (lint: `core.lint`, the report:
`core.report`).

Public API::

    from stratus_tui.core.analysis import (
        build_graph, analyse, Analysis, achievable_availability, cost_summary,
    )
"""

from __future__ import annotations

from .analyse import Analysis, analyse
from .availability import achievable_availability
from .cost import cost_summary
from .graph import build_graph

__all__ = [
    "Analysis",
    "achievable_availability",
    "analyse",
    "build_graph",
    "cost_summary",
]
