"""Turn names found in other files into valid, unique design ids.

A design id is 1-64 letters, digits, `_`, `-` or `.`, starting with a letter or digit
(`stratus_tui.core.model.ID_PATTERN`). Names from compose files, manifests and diagrams
can be anything, so they are sanitised here and made unique within one id space.
"""

from __future__ import annotations

import re
import unicodedata

from ..model import ID_PATTERN

MAX_ID = 64
_VALID = re.compile(ID_PATTERN)
_BAD_RUN = re.compile(r"[^A-Za-z0-9_.-]+")


def sanitise(raw: str, fallback: str = "item") -> str:
    """A valid id derived from `raw` (not necessarily unique); `fallback` when nothing is left."""
    if _VALID.fullmatch(raw):  # not .match: `$` also matches before a final newline
        return raw
    # Drop accents so "Zahlungsdienst für Ä" keeps its letters rather than becoming dashes.
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    text = _BAD_RUN.sub("-", ascii_text.strip())
    text = re.sub(r"-{2,}", "-", text)
    text = text.lstrip("_.-")[:MAX_ID].rstrip("-")
    if not text:
        return fallback if _VALID.fullmatch(fallback) else "item"
    return text


class IdAllocator:
    """Hands out ids that are valid and unique in one id space (services, stores, externals)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._counter = 0

    def taken(self, candidate: str) -> bool:
        """True when `candidate` has been handed out already."""
        return candidate in self._taken

    def allocate(self, raw: str, fallback: str = "item") -> str:
        """A new id for `raw`: sanitised, then suffixed `-2`, `-3` ... until unused."""
        if not raw.strip():
            self._counter += 1
            raw = f"{fallback}-{self._counter}"
        base = sanitise(raw, fallback)
        candidate = base
        n = 1
        while candidate in self._taken:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_ID - len(suffix)].rstrip("-") + suffix
        self._taken.add(candidate)
        return candidate
