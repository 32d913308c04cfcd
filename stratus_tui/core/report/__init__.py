"""The STRATUS report: `render_report(design)`, Markdown, from the analysis and lint.

Public API::

    from stratus_tui.core.report import render_report
"""

from __future__ import annotations

from .render import render_report

__all__ = ["render_report"]
