"""The lint rules: `lint(design)` and the rule registry.

Public API::

    from stratus_tui.core.lint import lint, failing, Finding, LintRule, RULES

A rule is a function in one of the `rules_*` modules, decorated with `registry.rule`;
it reads the shared analyses of `core.analysis.context.LintContext`.
"""

from __future__ import annotations

from .findings import Finding, LintRule
from .registry import RULES
from .runner import failing, lint

__all__ = ["RULES", "Finding", "LintRule", "failing", "lint"]
