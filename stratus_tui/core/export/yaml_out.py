"""Which YAML documents libyaml's emitter writes exactly as PyYAML's pure-Python one, and a
writer giving libyaml's bytes for those documents without PyYAML at all.

PyYAML's emitter is pure Python: writing thousands of generated files (OBSERVE, DEPLOY,
Backstage) spent most of an export in it. libyaml's is ~10x faster but differs on some
text (other scripts, keys over 128 bytes, text ending in kept blank lines, where libyaml
ends the stream with `...`). `tame` says when the two agree, measured with hypothesis
(tests/export/test_yaml_emitters.py); for anything else the exporters keep PyYAML's.

Even on libyaml's emitter, PyYAML's Python representer and resolver (a node per value,
every text matched against the implicit types) were most of an export at 1,000 services:
`DirectWriter` writes tame documents straight from the values, byte for byte as libyaml
does with the OBSERVE/DEPLOY options (tests/export/test_yaml_direct.py), and raises
`Unsure` for anything it cannot promise, which then goes the old way whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
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


class Unsure(Exception):
    """A document whose bytes `DirectWriter` cannot promise are libyaml's."""


_LINE_ROOM = 4000
"""Longest line written directly: the emitters fold text at a space past the width (4096)."""
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
"""A text starting with one of these is never plain (emitter.analyze_scalar)."""
_FLOAT = "tag:yaml.org,2002:float"

Literal = tuple[str, list[str]]
"""A `|` block: its header (`|`, `|-`, `|2-`...) and its lines, unindented."""


class DirectWriter:
    """Tame documents (`tame`) as libyaml's emitter writes them through `names.dump_with`:
    block style, keys in order, width 4096, `---` before each of several documents, text
    with newlines as a `|` block when it can be one.

    Text is written plain, single-quoted or as a `|` block by the rules of PyYAML's and
    libyaml's emitters (`analyze_scalar`, `choose_scalar_style`), plain only when the
    dumper's own implicit resolvers read it as text; other text (double-quoted: tabs,
    blocks with trailing spaces) is asked of libyaml once (`ask`, the one-line value of
    `k: ...`). Each distinct text is classified once: the exports repeat them a lot."""

    def __init__(self, resolvers: dict[Any, list[tuple[str, Any]]], ask: Callable[[str], str]):
        self._resolvers = resolvers
        self._ask = ask
        self._texts: dict[str, str | Literal] = {}
        self._keys: dict[str, str] = {}

    def write(self, docs: tuple[Any, ...]) -> str:
        """`docs` as one YAML stream; raises Unsure (nothing else) when not sure."""
        if not docs:
            raise Unsure
        out: list[str] = []
        many = len(docs) > 1
        for doc in docs:
            kind = type(doc)
            if kind is not dict and kind is not list:
                raise Unsure  # a scalar root may end the stream with `...`
            if not doc:
                out.append(("--- " if many else "") + ("{}\n" if kind is dict else "[]\n"))
                continue
            if many:
                out.append("---\n")
            if kind is dict:
                self._mapping(doc, 0, "", out)
            else:
                self._sequence(doc, 0, "", out)
        return "".join(out)

    def _mapping(self, data: dict[Any, Any], indent: int, lead: str, out: list[str]) -> None:
        """Keys at column `indent`; the first one after `lead` (a sequence's `- `)."""
        pad = " " * indent
        keys = self._keys
        for key, value in data.items():
            head = keys.get(key)  # text keys only: no other type equals one
            if head is None:
                head = self._key(key)
            head = (lead or pad) + head
            lead = ""
            kind = type(value)
            if kind is str:
                self._text_line(head, " ", value, indent, out)
            elif kind is dict:
                if value:
                    out.append(head + "\n")
                    self._mapping(value, indent + 2, "", out)
                else:
                    out.append(head + " {}\n")
            elif kind is list:
                if value:
                    out.append(head + "\n")  # a sequence in a mapping is not indented
                    self._sequence(value, indent, "", out)
                else:
                    out.append(head + " []\n")
            else:
                out.append(f"{head} {self._other(value)}\n")

    def _text_line(self, head: str, gap: str, value: str, indent: int, out: list[str]) -> None:
        """`head`, `gap` and `value` on one line, or `value` as a block under them."""
        shown = self._texts.get(value)
        if shown is None:
            shown = self._text(value)
        if isinstance(shown, str):
            if len(head) + len(shown) >= _LINE_ROOM:
                raise Unsure
            out.append(f"{head}{gap}{shown}\n")
        else:
            self._literal(head + gap, shown, indent + 2, out)

    def _sequence(self, items: list[Any], indent: int, lead: str, out: list[str]) -> None:
        """Items `- ` at column `indent`; the first one after `lead`."""
        pad = " " * indent
        for value in items:
            head = (lead or pad) + "- "
            lead = ""
            kind = type(value)
            if kind is str:
                self._text_line(head, "", value, indent, out)
            elif kind is dict:
                if value:
                    self._mapping(value, indent + 2, head, out)
                else:
                    out.append(head + "{}\n")
            elif kind is list:
                if value:
                    self._sequence(value, indent + 2, head, out)
                else:
                    out.append(head + "[]\n")
            else:
                out.append(f"{head}{self._other(value)}\n")

    def _key(self, key: Any) -> str:
        """`key:` as written, remembered; raises Unsure unless tame and one line."""
        if type(key) is not str or not key or len(key) > _LONGEST_KEY:
            raise Unsure  # tame keys only, and always simple (one line, < 128)
        shown = self._texts.get(key)
        if shown is None:
            shown = self._text(key)
        if not isinstance(shown, str):
            raise Unsure  # a key over lines is not a simple key
        if len(self._keys) > 10_000:
            self._keys.clear()
        self._keys[key] = shown + ":"
        return shown + ":"

    @staticmethod
    def _literal(head: str, block: Literal, indent: int, out: list[str]) -> None:
        header, lines = block
        pad = " " * indent
        # blank lines carry no indentation
        body = "".join(pad + line + "\n" if line else "\n" for line in lines)
        out.append(f"{head}{header}\n{body}")

    def _other(self, value: Any) -> str:
        """A number, boolean or null as SafeRepresenter writes it."""
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        kind = type(value)
        if kind is int:
            return str(value)
        if kind is not float:
            raise Unsure
        if value != value:
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        shown = repr(value).lower()
        if "." not in shown and "e" in shown:
            shown = shown.replace("e", ".0e", 1)
        if self._resolved(shown) != _FLOAT:
            raise Unsure  # libyaml would tag it
        return shown

    def _resolved(self, text: str) -> str | None:
        """The tag the dumper's implicit resolvers give plain `text` (None: a string)."""
        resolvers = self._resolvers
        for tag, pattern in resolvers.get(text[:1], []) + resolvers.get(None, []):
            if pattern.match(text):
                return str(tag)
        return None

    def _text(self, value: str) -> str | Literal:
        """How `value` is written: one line, or a `|` block. Remembered (bounded)."""
        if _PLAIN_TEXT.fullmatch(value) is None or value.endswith("\n\n") or value == "\n":
            raise Unsure  # not tame: PyYAML's emitter writes it
        shown: str | Literal
        if "\n" in value:
            if "\t" in value or " \n" in value or value.endswith(" "):
                shown = self._asked(value)  # no block can hold it: double-quoted
            else:
                # `|` with an indentation hint for a leading blank, `-` to strip the end
                hints = ("2" if value[0] in " \n" else "") + ("" if value.endswith("\n") else "-")
                shown = ("|" + hints, value.removesuffix("\n").split("\n"))
        elif self._plain(value):
            shown = value
        elif "\t" in value:
            shown = self._asked(value)
        else:
            shown = "'" + value.replace("'", "''") + "'"
        if len(self._texts) > 200_000:  # a long-lived app exports many designs
            self._texts.clear()
        self._texts[value] = shown
        return shown

    def _plain(self, value: str) -> bool:
        """Whether one line of printable text is written plain in block context."""
        first = value[:1]
        return not (
            not value
            or first == " "
            or value[-1] == " "
            or "\t" in value
            or first in _FIRST_INDICATORS
            or (first in "?:-" and value[1:2] in ("", " "))
            or value.startswith(("---", "..."))
            or ": " in value
            or value[-1] == ":"
            or " #" in value
            or self._resolved(value) is not None
        )

    def _asked(self, value: str) -> str:
        shown = self._ask(value)
        if "\n" in shown:
            raise Unsure
        return shown
