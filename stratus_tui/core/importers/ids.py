"""Turn names found in other files into valid, unique design ids.

A design id is 1-64 letters, digits, `_`, `-` or `.`, starting with a letter or digit
(`stratus_tui.core.model.ID_PATTERN`). Names from compose files, manifests and diagrams
can be anything, so they are made ids (`core.ids`) and unique within one id space.
"""

from __future__ import annotations

from ..ids import MAX_ID, id_from_text, unique_id

sanitise = id_from_text
"""A valid id derived from a name found in another file (not necessarily unique)."""

__all__ = ["MAX_ID", "IdAllocator", "sanitise"]


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
        candidate = unique_id(id_from_text(raw, fallback), self._taken)
        self._taken.add(candidate)
        return candidate
