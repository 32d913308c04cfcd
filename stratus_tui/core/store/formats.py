"""Reading design files written as JSON or TOML, with positions for error messages.

YAML is the source format; JSON and TOML are accepted by extension (`.json`, `.toml`)
so exported files can be read back. JSON positions come from the round-trip YAML
parser (JSON is YAML); TOML positions from a small scan of table headers and keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..problems import DesignError, Loc, Problem


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
    from ..yaml_io import check_depth, depth_problem, value_problem

    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        from ..yaml_io import parse_text

        parse_text(text, file, round_trip=True)  # JSON is YAML: it says where, and raises
        raise DesignError([Problem(f'duplicate key "{exc.args[0]}"', (), file, 1, 1)]) from None
    except json.JSONDecodeError as exc:
        raise DesignError(
            [Problem(f"JSON syntax error: {exc.msg}", (), file, exc.lineno, exc.colno)]
        ) from None
    except RecursionError:
        raise DesignError([depth_problem(text, file)]) from None
    except ValueError as exc:  # an integer past Python's digit limit
        raise DesignError([value_problem(exc, text, file)]) from None
    check_depth(data, text, file)
    _check_strings(data, text, file)
    return data


# `\ud800`-`\udfff` escapes: JSON allows a lone one, which no UTF-8 file can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _check_strings(data: Any, text: str, file: str) -> None:
    """Refuse lone surrogates (`"\\ud800"`): every export and save would crash on them."""
    if "\\u" not in text or not _has_surrogate(data):
        return
    line, col = 1, 1
    pending: re.Match[str] | None = None
    for m in _SURROGATE_ESCAPE.finditer(text):
        high = m.group()[3].lower() in "89ab"
        if pending is not None and not high and m.start() == pending.end():
            pending = None  # a valid pair
            continue
        if pending is not None or not high:
            m = pending or m
            break
        pending = m
    else:
        m = pending  # type: ignore[assignment]
    if m is not None:
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    raise DesignError(
        [
            Problem(
                "a lone surrogate escape (\\ud800-\\udfff) is not a character: use the "
                "character itself, or a valid surrogate pair",
                (),
                file,
                line,
                col,
            )
        ]
    )


def _has_surrogate(data: Any) -> bool:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_toml(text: str, file: str) -> Any:
    """Plain data from TOML text; DesignError with line and column on a syntax error."""
    import tomllib

    from ..yaml_io import too_deep, value_problem

    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise DesignError([_toml_depth_problem(text, file)]) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", msg)
        raise DesignError([Problem(f"TOML syntax error: {msg}", (), file, line, col)]) from None
    except ValueError as exc:  # an integer past Python's digit limit
        raise DesignError([value_problem(exc, text, file)]) from None
    if too_deep(data):
        raise DesignError([_toml_depth_problem(text, file)])
    # Dates and times stay TOML values, as YAML's do: `name = 1979-05-27T07:32:00Z` is a
    # located "expected text" error, never silently the text "1979-05-27T07:32:00+00:00".
    return data


def _toml_depth_problem(text: str, file: str) -> Problem:
    """'nested too deeply' at the first `[`/`{` past MAX_DEPTH, outside strings and
    comments (TOML nests by inline arrays and tables; headers close on their line)."""
    from ..yaml_io import MAX_DEPTH

    message = f"nested more than {MAX_DEPTH} levels deep (a design needs about five)"
    depth, quote = 0, ""
    for n, line in enumerate(text.splitlines(), start=1):
        if not quote and re.match(r"\s*\[", line) and "=" not in line.split("]", 1)[0]:
            continue  # a table header
        for col, ch in enumerate(line, start=1):
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(message, (), file, n, col)
            elif ch in "]}":
                depth = max(0, depth - 1)
        quote = ""  # one-line strings end with their line
    return Problem(message, (), file, 1, 1)


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
