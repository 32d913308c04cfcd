"""Escaping for the LikeC4 and Structurizr DSL grammars, and Backstage entity names.

Measured, not guessed:

- LikeC4 (1.59, Langium): a string is `"(?:[^"\\\\]|\\\\.)*"`; the value converter
  turns `\\X` into X, except `\\n`, `\\t` (and b, f, r, v, 0) into control characters.
  So `\\` and `"` are backslash-escaped and a newline is written `\\n`: every text comes
  back exactly (tests/interop reads it back through the real CLI). Names
  (identifiers) are `([a-zA-Z]|_+[a-zA-Z0-9])[-\\w]*`: ours are generated (`s_` +
  `[A-Za-z0-9_]`), never user text.
- Structurizr DSL (structurizr-java 5): lines are statements; inside `"..."` only
  `\\"` (a quote) and `\\n` (a newline) are escapes; any other backslash is kept and
  consumes only itself, so a backslash just before `n` or at the very end of the text
  cannot be written and becomes U+29F5 (a look-alike). `${NAME}` is substituted on
  every line, so its `$` becomes U+FF04 (full-width); a token that is exactly `{` or
  `}` would open or close a block, so such a text uses full-width braces. Identifiers
  are generated.
- Backstage: entity names are `[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*`, at most 63
  characters; the design's text goes into `title`/`description`, which take anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...escape import _short_hash, clean_text, safe_ids

# ----------------------------------------------------------------------------- LikeC4


def likec4_string(text: str) -> str:
    """`text` as a LikeC4 double-quoted string that reads back as exactly `text`."""
    out = ['"']
    for ch in clean_text(text):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


LIKEC4_NAME = re.compile(r"([a-zA-Z]|_+[a-zA-Z0-9])[-\w]*", re.ASCII)
"""What LikeC4 accepts as an element or view name."""


def likec4_names(ids: Iterable[str], prefix: str) -> dict[str, str]:
    """Deterministic, unique LikeC4 names for `ids` (`prefix` + `[A-Za-z0-9_]`)."""
    return safe_ids(ids, prefix)


# ----------------------------------------------------------------------------- Structurizr

LOOKALIKE_BACKSLASH = "\u29f5"
"""REVERSE SOLIDUS OPERATOR: stands for a backslash the DSL cannot hold."""


def structurizr_string(text: str) -> str:
    """`text` as a Structurizr DSL quoted token (see the module docstring for the rules)."""
    body = clean_text(text).replace("${", "\uff04{")
    if body.strip() in ("{", "}"):
        body = body.replace("{", "\uff5b").replace("}", "\uff5d")
    out = ['"']
    for i, ch in enumerate(body):
        if ch == "\\":
            nxt = body[i + 1] if i + 1 < len(body) else ""
            out.append(LOOKALIKE_BACKSLASH if nxt in ("", "n") else "\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def structurizr_read(token: str) -> str:
    """What Structurizr stores for a quoted token (its tokenizer's rules, for tests and
    the importer): `\\"` is a quote, `\\n` a newline, any other backslash itself."""
    assert token.startswith('"') and token.endswith('"') and len(token) >= 2
    body = token[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in '"n':
            out.append('"' if body[i + 1] == '"' else "\n")
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def unique_names(labels: dict[str, str]) -> dict[str, str]:
    """Names that are unique (Structurizr refuses two containers, or two software
    systems, of one name): a repeated label gets its id in brackets."""
    count: dict[str, int] = {}
    for label in labels.values():
        key = clean_text(label).strip().lower()
        count[key] = count.get(key, 0) + 1
    return {
        cid: label if count[clean_text(label).strip().lower()] == 1 else f"{label} [{cid}]"
        for cid, label in labels.items()
    }


# ----------------------------------------------------------------------------- Backstage

BACKSTAGE_NAME = re.compile(r"^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$")
"""Backstage's rule for `metadata.name` (with at most 63 characters)."""
BACKSTAGE_NAME_MAX = 63
_NAME_UNSAFE = re.compile(r"[^a-zA-Z0-9]+")


def backstage_name(text: str, fallback: str = "unnamed") -> str:
    """A valid Backstage entity name derived from `text` (lowercase, dashes)."""
    s = _NAME_UNSAFE.sub("-", text).strip("-").lower()
    if len(s) > BACKSTAGE_NAME_MAX:
        s = f"{s[: BACKSTAGE_NAME_MAX - 9].strip('-')}-{_short_hash(text)}"
    return s or fallback


def backstage_names(ids: Iterable[str], fallback: str = "unnamed") -> dict[str, str]:
    """Unique valid names for `ids`, whatever their order: clashing ones get a hash."""
    unique = sorted(set(ids))
    base = {i: backstage_name(i, fallback) for i in unique}
    seen: dict[str, int] = {}
    for b in base.values():
        seen[b] = seen.get(b, 0) + 1
    out: dict[str, str] = {}
    for i, b in base.items():
        if seen[b] > 1:
            b = f"{b[: BACKSTAGE_NAME_MAX - 9].strip('-')}-{_short_hash(i)}"
        out[i] = b
    return out
