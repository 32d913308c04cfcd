"""Which YAML documents libyaml's emitter writes exactly as PyYAML's pure-Python one.

PyYAML's emitter is pure Python: writing thousands of generated files (OBSERVE, DEPLOY,
Backstage) spent most of an export in it. libyaml's is ~10x faster but differs on some
text (other scripts, keys over 128 bytes, text ending in kept blank lines, where libyaml
ends the stream with `...`). `tame` says when the two agree, measured with hypothesis
(tests/export/test_yaml_emitters.py); for anything else the exporters keep PyYAML's.
"""

from __future__ import annotations

import re
from typing import Any

_PLAIN_TEXT = re.compile(r"[\x20-\x7e\n\t]*")
_LONGEST_KEY = 100


def tame(value: Any, key: bool = False) -> bool:
    """Whether libyaml's emitter writes `value` byte for byte as PyYAML's does, with
    lines not folded (a width of 4096): printable ASCII text (newlines and tabs too) in
    keys of at most 100 characters, no text ending in a kept blank line (libyaml then
    ends the stream with `...`), and plain scalars. Measured with hypothesis over such
    documents (tests/export/test_yaml_emitters.py); anything else, a name in another
    script say, is PyYAML's."""
    kind = type(value)
    if kind is str:
        if key and (len(value) > _LONGEST_KEY or not value):
            return False
        return (
            _PLAIN_TEXT.fullmatch(value) is not None
            and not value.endswith("\n\n")
            and value != "\n"
        )
    if kind is dict:
        return all(tame(k, True) and tame(v) for k, v in value.items())
    if kind is list:
        return all(tame(v) for v in value)
    return kind in (int, float, bool) or value is None


_ONE_LINE = re.compile(r"[\x20-\x7e]*")
_FOLD_ROOM = 80
"""Most characters of key, value and indentation on one line, well under the fold width
of 100 (quotes, `- ` and `: ` stay within the rest)."""


def unfolded(value: Any, depth: int = 0, key: str = "") -> bool:
    """Whether no line of `value` can reach a fold width of 100 (the two emitters fold
    long quoted text differently): one-line printable ASCII text, each line's key, value
    and indentation within 80 characters, and plain scalars."""
    kind = type(value)
    if kind is str:
        return len(key) + len(value) + 2 * depth <= _FOLD_ROOM and (
            _ONE_LINE.fullmatch(value) is not None
        )
    if kind is dict:
        return all(
            type(k) is str
            and unfolded(k, depth)
            and unfolded(v, depth + 1, k if type(v) not in (dict, list) else "")
            for k, v in value.items()
        )
    if kind is list:
        return all(unfolded(v, depth + 1) for v in value)
    if len(key) + 2 * depth > _FOLD_ROOM - 30:  # room for any number or null
        return False
    return kind in (int, float, bool) or value is None
