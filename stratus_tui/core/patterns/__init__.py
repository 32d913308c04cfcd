"""The pattern decision table: pattern files, facts, operators and the engine.

Public API::

    from stratus_tui.core.patterns import facts_of, load_library, recommend
    verdicts = recommend(design)            # list[Verdict], best first

Names are imported from their modules on first use (PEP 562), so a module that needs
one small piece, such as `patterns.results` to unpickle verdicts, does not build the
pattern-file schema and the engine with it (~60 ms of the workbench's start-up).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import decide, describe, evaluate, evaluate_all, evaluate_condition, recommend
    from .facts import FACTS, FactSpec, facts_of
    from .library import PatternLibrary, library_dirs, load_library, user_patterns_dir
    from .operators import OPERATORS
    from .results import Missing, Reason, Verdict
    from .schema import Criterion, Pattern

_WHERE = {
    **dict.fromkeys(
        ("decide", "describe", "evaluate", "evaluate_all", "evaluate_condition", "recommend"),
        "engine",
    ),
    **dict.fromkeys(("FACTS", "FactSpec", "facts_of"), "facts"),
    **dict.fromkeys(
        ("PatternLibrary", "library_dirs", "load_library", "user_patterns_dir"), "library"
    ),
    "OPERATORS": "operators",
    **dict.fromkeys(("Missing", "Reason", "Verdict"), "results"),
    **dict.fromkeys(("Criterion", "Pattern"), "schema"),
}

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


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value  # once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
