"""The pattern decision table: pattern files, facts, operators and the engine.

Public API::

    from stratus_tui.core.patterns import facts_of, load_library, recommend
    verdicts = recommend(design)            # list[Verdict], best first
"""

from __future__ import annotations

from .engine import decide, describe, evaluate, evaluate_all, evaluate_condition, recommend
from .facts import FACTS, FactSpec, facts_of
from .library import PatternLibrary, library_dirs, load_library, user_patterns_dir
from .operators import OPERATORS
from .results import Missing, Reason, Verdict
from .schema import Criterion, Pattern

__all__ = [
    "FACTS",
    "OPERATORS",
    "Criterion",
    "FactSpec",
    "Missing",
    "Pattern",
    "PatternLibrary",
    "Reason",
    "Verdict",
    "decide",
    "describe",
    "evaluate",
    "evaluate_all",
    "evaluate_condition",
    "facts_of",
    "library_dirs",
    "load_library",
    "recommend",
    "user_patterns_dir",
]
