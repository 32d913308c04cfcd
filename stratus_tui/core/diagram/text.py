"""Terminal-safe text: sanitise user strings and measure them in character cells.

The diagram grid must keep an exact width whatever a user types, so labels lose
control characters, newlines and zero-width marks (whose width terminals disagree
on) and wide East Asian characters count as two cells.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"


def char_width(ch: str) -> int:
    """Cells taken by one character after `sanitise` (1 or 2)."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def sanitise(text: str) -> str:
    """One line of printable text: whitespace runs become one space, and control,
    format and combining characters (zero width, or of disputed width) are dropped."""
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        elif cat[0] == "C" or cat in ("Mn", "Me", "Zl", "Zp"):
            continue
        else:
            out.append(ch)
    return "".join(out).strip()


@lru_cache(maxsize=8192)  # the same titles are measured again on every edit
def cell_width(text: str) -> int:
    """Width of sanitised `text` in terminal cells."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


@lru_cache(maxsize=8192)
def fit(text: str, width: int) -> str:
    """Sanitised `text` cut to at most `width` cells, ending in '…' when cut."""
    if text.isascii() and text.isprintable() and "  " not in text and text.strip() == text:
        return clip(text, width)  # already clean: the common case, kept fast
    return clip(sanitise(text), width)


def clip(clean: str, width: int) -> str:
    """Already-clean text cut to at most `width` cells, ending in '…' when cut."""
    if width <= 0:
        return ""
    if cell_width(clean) <= width:
        return clean
    out: list[str] = []
    used = 0
    for ch in clean:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def to_cells(text: str) -> list[str]:
    """One entry per cell: a wide character fills its first cell, '' the second."""
    if text.isascii():
        return list(text)
    cells: list[str] = []
    for ch in text:
        cells.append(ch)
        if char_width(ch) == 2:
            cells.append("")
    return cells
