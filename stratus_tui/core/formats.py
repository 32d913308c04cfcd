"""Reading design files written as JSON or TOML, with positions for error messages.

YAML is the source format; JSON and TOML are accepted by extension (`.json`, `.toml`)
so exported files can be read back. JSON positions come from the round-trip YAML
parser (JSON is YAML); TOML positions from a small scan of table headers and keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .problems import DesignError, Loc, Problem


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys: a typo'd copy would silently win.
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(key)
        data[key] = value
    return data


def parse_json(text: str, file: str) -> Any:
    """Plain data from JSON text; DesignError with line and column on a syntax error
    or a duplicate key (as YAML files get)."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        from .yaml_io import parse_text

        parse_text(text, file, round_trip=True)  # JSON is YAML: it says where, and raises
        raise DesignError([Problem(f'duplicate key "{exc.args[0]}"', (), file, 1, 1)]) from None
    except json.JSONDecodeError as exc:
        raise DesignError(
            [Problem(f"JSON syntax error: {exc.msg}", (), file, exc.lineno, exc.colno)]
        ) from None
    except RecursionError:
        raise DesignError([Problem("the document is nested too deeply", (), file, 1, 1)]) from None


def parse_toml(text: str, file: str) -> Any:
    """Plain data from TOML text; DesignError with line and column on a syntax error."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
        raise DesignError([Problem(f"TOML syntax error: {msg}", (), file, line, col)]) from None
    return _dates_to_text(data)


def _dates_to_text(node: Any) -> Any:
    # TOML has native dates and times; the model reads dates from ISO strings too.
    import datetime as dt

    if isinstance(node, dict):
        return {k: _dates_to_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_dates_to_text(v) for v in node]
    if isinstance(node, dt.datetime | dt.time):
        return node.isoformat()
    return node


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|[A-Za-z0-9_\-]+)\s*=")


def toml_position(text: str, loc: Loc) -> tuple[int, int] | None:
    """Best-effort 1-based (line, column) of `loc` in TOML text written like our export.

    Finds the table (or the n-th array-of-tables entry) that holds the last key of `loc`,
    then the key inside it. Returns None when the layout is something else.
    """
    keys = [p for p in loc if isinstance(p, str)]
    if not keys:
        return None
    # Header path: every str part but the last, with array indices counted.
    table: list[str] = []
    index: dict[str, int] = {}
    for i, part in enumerate(loc[:-1]):
        if isinstance(part, str):
            table.append(part)
            nxt = loc[i + 1] if i + 1 < len(loc) else None
            if isinstance(nxt, int):
                index[".".join(table)] = nxt
    want = ".".join(table)
    seen: dict[str, int] = {}
    current = ""
    lines = text.splitlines()
    found_table = want == ""
    best: tuple[int, int] | None = None
    for n, line in enumerate(lines, start=1):
        m = _HEADER.match(line)
        if m:
            name = m.group(2).replace('"', "").replace(" ", "")
            if m.group(1) == "[[":
                seen[name] = seen.get(name, -1) + 1
                ok = seen[name] == index.get(name, seen[name])
            else:
                ok = True
            current = name if ok else f"!{name}"
            if current == want and not found_table:
                found_table, best = True, (n, line.index("[") + 1)
            elif found_table and want and current != want and not current.startswith(want + "."):
                return best
            continue
        if current == want and found_table:
            k = _KEY.match(line)
            if k and k.group(1).strip('"') == str(loc[-1]):
                return n, line.index(k.group(1)) + 1
    return best
