"""Design ids made from free text, and made unique: one way for every part of STRATUS.

A design id is 1-64 letters, digits, `_`, `-` or `.`, starting with a letter or digit
(`core.model.ID_PATTERN`). Importers (names from compose files, manifests, diagrams), the
event-storming board (context names), derived services and the workbench's "new item"
all turn text into ids here, so the same name gives the same id everywhere and a suffix
never pushes an id past 64 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from .model import ID_PATTERN

MAX_ID = 64
_VALID = re.compile(ID_PATTERN)
_BAD_RUN = re.compile(r"[^A-Za-z0-9_.-]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    # Drop accents so "Zahlungsdienst für Ä" keeps its letters rather than becoming dashes.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def id_from_text(raw: str, fallback: str = "item") -> str:
    """A valid id from `raw`, kept as close to it as ids allow (case, `_` and `.` kept);
    `raw` itself when it is already valid; `fallback` when nothing is left."""
    if _VALID.fullmatch(raw):  # not .match: `$` also matches before a final newline
        return raw
    text = _BAD_RUN.sub("-", _ascii(raw).strip())
    text = re.sub(r"-{2,}", "-", text)
    text = text.lstrip("_.-")[:MAX_ID].rstrip("-")
    if not text:
        return fallback if _VALID.fullmatch(fallback) else "item"
    return text


def slug_id(text: str, fallback: str = "item") -> str:
    """A lowercase id of `text`'s words joined by `-` ("Order Fulfilment" ->
    "order-fulfilment"): what people expect when they name a thing in prose."""
    words = _NOT_WORD.sub("-", _ascii(text).lower()).strip("-")
    return words[:MAX_ID].strip("-") or fallback


def unique_id(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3` ... whichever is not taken, cut so that it stays
    within 64 characters."""
    candidate = base
    n = 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_ID - len(suffix)].rstrip("-") + suffix
    return candidate
