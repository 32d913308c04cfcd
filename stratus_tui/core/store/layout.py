"""Keep the author's line layout where the YAML emitter only re-wrapped it.

The round-trip emitter keeps comments, key order and quoting, but not where the author
wrapped a flow collection: `{from: a, to: b,\\n   label: read}` comes back on one line,
so an edit anywhere would rewrite lines the edit never touched. After rendering, each
flow collection the author wrapped over several lines is looked up in the rendered text
(the same words on one line, at the same indentation); where found, the author's lines
are put back. The whole result is checked to mean exactly what the rendered text means
before it is used; on any doubt the rendered text stands. Linear in the file's size.
"""

from __future__ import annotations

import re
from typing import Any

_SPACE = re.compile(r"\s+")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')
MAX_LINES = 40
"""Lines one wrapped flow collection may span (a longer run is left to the emitter)."""


def keep_layout(written: str, rendered: str) -> str:
    """`rendered`, with the flow collections `written` wrapped kept as written."""
    old = written.splitlines(keepends=True)
    regions = list(_wrapped_regions(old))
    if not regions:
        return rendered
    new = rendered.splitlines(keepends=True)
    at: dict[tuple[int, str], list[int]] = {}
    for j, line in enumerate(new):
        if "{" in line or "[" in line:
            at.setdefault((_indent(line), _squeezed([line])), []).append(j)
    swaps: dict[int, list[str]] = {}
    for start, end in regions:
        lines = old[start:end]
        found = at.get((_indent(lines[0]), _squeezed(lines)))
        if found:
            # the nearest occurrence to where it was (equal lines elsewhere stay theirs)
            j = min(found, key=lambda j: abs(j - start))
            found.remove(j)
            swaps[j] = lines
    if not swaps:
        return rendered
    text = "".join("".join(swaps[j]) if j in swaps else line for j, line in enumerate(new))
    return text if _same_data(text, rendered) else rendered


def _wrapped_regions(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of lines holding one flow collection opened but not closed
    on its first line."""
    regions: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        depth = _depth(lines[i])
        if depth <= 0:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and j - i < MAX_LINES and depth > 0:
            depth += _depth(lines[j])
            j += 1
        if depth == 0:
            regions.append((i, j))
        i = j
    return regions


def _depth(line: str) -> int:
    """Openers minus closers of flow collections on `line`, outside quotes and comments."""
    if "{" not in line and "[" not in line and "}" not in line and "]" not in line:
        return 0
    bare = _QUOTED.sub("", line).split(" #", 1)[0]
    return bare.count("{") + bare.count("[") - bare.count("}") - bare.count("]")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _squeezed(lines: list[str]) -> str:
    return _SPACE.sub(" ", "".join(lines)).strip()


def _parse(text: str) -> Any:
    from ..problems import DesignError
    from ..yaml_io import parse_text

    try:
        return parse_text(text, "-")
    except DesignError:
        return _Unparsable


class _Unparsable:
    """Text that does not parse: never the same data as anything."""


def _same_data(text: str, rendered: str) -> bool:
    a = _parse(text)
    return a is not _Unparsable and a == _parse(rendered)
