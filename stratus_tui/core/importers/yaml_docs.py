"""Bounded YAML loading for compose files and manifests, keeping positions.

libyaml (`located_yaml`; ruamel's round-trip loader where libyaml is missing) keeps line
and column of every key, so a skipped key can be reported as `FILE:LINE:COL`. Aliases are
shared, not copied, so an alias bomb loads in microseconds; its expanded size is still
measured (linear time, memoised) and refused over a budget, so no later walk can explode.
"""

from __future__ import annotations

import re
from typing import Any

from .source import fail

# `{{ .Values.x }}`, `{{- if ... }}`: Helm/Go templates (not Mermaid's `{{"hexagon"}}`).
_GO_TEMPLATE = re.compile(
    r"\{\{-?\s*(?:[.$]|(?:if|else|end|range|with|include|template|define|toYaml|tpl)\b)"
)
MAX_EXPANDED_NODES = 1_000_000
"""Nodes after expanding every alias; more is an alias bomb or not an architecture."""


MAX_YAML_BYTES = 2 * 1024 * 1024
"""YAML larger than this is refused: an architecture is not 2 MB of manifests (and without
libyaml the pure-Python parser that places every key reads about 60 KB a second)."""
MAX_DEPTH = 100
_BLOCK_PREFIX = re.compile(r"[ ]*(?:-[ ]+)*")
"""Deepest `[`/`{` or indentation nesting accepted; manifests need about fifteen."""
_FLOW_CHARS = re.compile("[\\[\\]{}'\"#\\n]")
_DEEP_BLOCK = re.compile(rf"^[ -]{{{4 * MAX_DEPTH + 1}}}", re.MULTILINE)
# An anchor (`&name`) starts a token: at a line's start or after a space or flow
# punctuation. Without one there is no alias, so nothing to expand.
_ANCHOR = re.compile(r"(?:^|[\s\[{,\ufeff])&", re.MULTILINE)
_SURROGATE_PAIR = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
_LONE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _join_surrogates(text: str) -> str:
    """JSON writes astral characters as escaped UTF-16 pairs; YAML parsers keep the halves
    as two lone surrogates, which no UTF-8 file can hold. Join pairs, replace strays."""
    if "\\u" not in text:
        return text

    def pair(m: re.Match[str]) -> str:
        hi, lo = int(m.group(1), 16), int(m.group(2), 16)
        return chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))

    return _LONE_SURROGATE.sub(r"\\uFFFD", _SURROGATE_PAIR.sub(pair, text))


def load_documents(text: str, file: str) -> list[Any]:
    """Every YAML document in `text` (empty documents dropped); DesignError with position."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from . import located_yaml

    marked: tuple[type[BaseException], ...] = (MarkedYAMLError,)
    errors: tuple[type[BaseException], ...] = (YAMLError, ValueError, TypeError)
    if located_yaml.LOADER is not None:
        import yaml

        marked += (yaml.MarkedYAMLError,)
        errors += (yaml.YAMLError,)
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise fail(
            file,
            f"too large to import ({size:,} bytes of YAML; the limit is {MAX_YAML_BYTES:,}): "
            "import only the workloads, e.g. kubectl get deploy,sts,svc -o yaml",
        )
    _check_depth(text, file)
    text = _join_surrogates(text)
    try:
        if located_yaml.LOADER is not None:
            docs = [d for d in located_yaml.load_all(text) if d is not None]
        else:
            docs = [d for d in YAML(typ="rt").load_all(text) if d is not None]
    except marked as exc:
        # ruamel's and PyYAML's marked errors have the same fields
        found: Any = exc
        mark = found.problem_mark or found.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        msg = " ".join(str(x) for x in (found.context, found.problem) if x)
        hint = ""
        if _GO_TEMPLATE.search(text):
            hint = " (this looks like a Helm or Go template: render it first, e.g. helm template)"
        raise fail(file, f"YAML syntax error: {msg}{hint}", line, col) from None
    except RecursionError:
        raise fail(file, "YAML nested too deeply to import") from None
    except errors as exc:
        raise fail(file, f"YAML error: {exc}") from None
    if not docs:
        raise fail(file, "contains no YAML document: nothing to import", 1, 1)
    if _ANCHOR.search(text) is None:
        return docs  # no anchor, no alias: the tree is no bigger than the text
    size = expanded_size(docs)
    if size > MAX_EXPANDED_NODES:
        raise fail(
            file,
            f"YAML expands to more than {MAX_EXPANDED_NODES:,} nodes through aliases "
            "(an alias bomb?); refusing to import it",
            *_first_alias(text),
        )
    return docs


def _first_alias(text: str) -> tuple[int, int]:
    """Line and column of the first `*alias` (1, 1 if none is found): where to look."""
    import re

    found = re.search(r"(?:^|[\s\[{,:-])(\*[^\s\[\]{},]+)", text)
    if found is None:
        return 1, 1
    start = found.start(1)
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def _check_depth(text: str, file: str) -> None:
    """Refuse absurd nesting up front: ruamel's parser is slow on it, then recurses out."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        # Only brackets, quotes, comment marks and line ends matter: jump between them
        # (a character-by-character walk was a tenth of a 1,000-service import).
        depth, quote, line, line_start, skip_to = 0, "", 1, 0, -1
        for m in _FLOW_CHARS.finditer(text):
            at, ch = m.start(), m.group()
            if ch == "\n":
                line, line_start = line + 1, at + 1
            elif at < skip_to:
                continue  # inside a comment
            elif quote:
                quote = "" if ch == quote else quote
            elif ch == "#":
                if at == line_start or text[at - 1] in " \t":
                    skip_to = text.find("\n", at)
                    skip_to = len(text) if skip_to < 0 else skip_to
            elif ch in "'\"":
                quote = ch
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(
                        file,
                        f"YAML nested more than {MAX_DEPTH} levels deep",
                        line,
                        at - line_start + 1,
                    )
            else:
                depth = max(0, depth - 1)
    # Block nesting: `- - - - x` or ever deeper indentation.
    if _DEEP_BLOCK.search(text) is None:
        return  # no line even starts with that many spaces and dashes
    for n, line_text in enumerate(text.split("\n"), 1):
        prefix = _BLOCK_PREFIX.match(line_text)
        if prefix is not None and len(prefix.group(0)) > 4 * MAX_DEPTH:
            raise fail(file, f"YAML nested more than {MAX_DEPTH} levels deep", n, 1)


def expanded_size(root: Any, limit: int = MAX_EXPANDED_NODES) -> int:
    """Number of nodes with aliases expanded, counted without expanding (stops past limit).

    A structure that contains itself (a recursive alias) counts as over the limit.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    # Iterative post-order walk: deep nesting must not hit Python's recursion limit.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if not done:
            if key in open_nodes:
                return limit + 1
            open_nodes.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    return limit + 1
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        open_nodes.discard(key)
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        sizes[key] = min(total, limit + 1)
    return sizes.get(id(root), 1)


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [*node.keys(), *node.values()]
    if isinstance(node, list):
        return list(node)
    return []


def position(node: Any, key: str | int | None = None) -> tuple[int | None, int | None]:
    """1-based (line, column) of `key` inside `node`, or of `node` itself; Nones if unknown."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None, None
    try:
        if key is None:
            return lc.line + 1, lc.col + 1
        if isinstance(key, int) and isinstance(node, list):
            line, col = lc.item(key)
        else:
            line, col = lc.key(key)
        return int(line) + 1, int(col) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        # Keys merged in with `<<: *anchor` have no position of their own.
        return lc.line + 1, lc.col + 1


def where(file: str, node: Any, key: str | int | None = None) -> str:
    """`FILE:LINE:COL` (or less when unknown) for messages."""
    line, col = position(node, key)
    parts = [file]
    if line is not None:
        parts.append(str(line))
        if col is not None:
            parts.append(str(col))
    return ":".join(parts)
