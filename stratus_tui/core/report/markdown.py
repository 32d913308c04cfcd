"""Small Markdown builders for the report. User text is escaped with the shared
helpers in `stratus_tui.core.escape`; ids are shown as code spans (an id cannot
hold a backtick or a pipe, so a code span is always safe)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from ..escape import md_block, md_cell, md_inline

T = TypeVar("T")

MAX_ROWS = 40
"""Tables longer than this are cut, with a line saying how many rows were left out."""

__all__ = [
    "MAX_ROWS",
    "code",
    "codes",
    "flag",
    "md_block",
    "md_cell",
    "md_inline",
    "path_text",
    "shown",
    "table",
]


def code(component_id: str | None) -> str:
    """An id as a code span; an em dash for None."""
    return f"`{component_id}`" if component_id else "—"


def codes(ids: Iterable[str], limit: int = 8) -> str:
    """Several ids as code spans, 'and N more' past `limit`; an em dash when empty."""
    items = list(ids)
    if not items:
        return "—"
    shown = ", ".join(code(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    noun: str = "rows",
    total: int | None = None,
) -> str:
    """A GFM table of already-escaped cells, cut at MAX_ROWS.

    Callers with long inputs render only `shown(items)` and pass `total=len(items)`, so
    a 5,000-service design does not escape 5,000 rows to show 40.
    """
    count = len(rows) if total is None else total
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if count > MAX_ROWS:
        lines.append("")
        lines.append(f"*{count - MAX_ROWS} more {noun} not shown.*")
    return "\n".join(lines)


def shown(items: Sequence[T]) -> Sequence[T]:
    """The part of `items` a table shows."""
    return items[:MAX_ROWS]


def flag(value: bool | None) -> str:
    """yes / no / undeclared."""
    if value is None:
        return "undeclared"
    return "yes" if value else "no"


def path_text(path: Sequence[str], limit: int = 12, close: bool = False) -> str:
    """Ids joined by arrows, the middle elided past `limit`; `close` repeats the first id."""
    items = [*path, path[0]] if close and path else list(path)
    if len(items) > limit:
        hidden = len(items) - (limit - 1)
        return (
            " → ".join(code(n) for n in items[: limit - 2])
            + f" → … {hidden} more … → {code(items[-1])}"
        )
    return " → ".join(code(n) for n in items)
