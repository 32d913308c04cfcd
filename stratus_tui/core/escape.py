"""Escaping for every exporter, in one place.

Designed from measurements against Mermaid 12.3.0 and Graphviz 2.43 (shared reference
ESCAPING.md) and checked by tests/export against the real Mermaid parser, real `dot` and
markdown-it. Rules of thumb:

- Mermaid: user text only ever goes inside `"..."` (labels, titles) with every special
  character written as a Mermaid entity code (`"` -> `#34;`); node ids are generated
  (`n_` + safe characters), never user text.
- Graphviz: labels pass through the `graphviz` package's quoting after `graphviz.escape`
  (backslashes, `<...>` HTML-like labels) and `&` -> `&amp;` (entities).
- Markdown: punctuation that starts a construct (emphasis, code, links, HTML, tables,
  headings, lists, math) is backslash-escaped; newlines become `<br>` inside one line.
- File names: ASCII slugs that cannot contain `/` or `..`, bounded in length.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

# ----------------------------------------------------------------------------- plain text

_NEWLINES = re.compile(r"\r\n?")
# Control characters other than tab and newline have no place in a diagram or document
# (SVG/XML cannot even hold most of them), and lone surrogates cannot be written as
# UTF-8: they become U+FFFD, visibly.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Normalise newlines to `\\n` and replace control characters by U+FFFD."""
    return _CONTROLS.sub("\ufffd", _NEWLINES.sub("\n", text))


# ----------------------------------------------------------------------------- Mermaid

# `#` (entity codes), `"` (ends the string), `<`/`>`/`&` (labels are HTML), backtick
# (Markdown strings), `%` (`%%{init}%%` directives work even inside quotes), `;`
# (statement end in sequence diagrams); U+2028/2029 are line terminators for JavaScript.
# `:` too: before parsing, Mermaid drops the last `;` of any line matching
# /style.*:\S*#.*;/ or /classDef.*:\S*#.*;/ (meant for style statements), which broke
# the last entity code of a label on a line that also held "style" (`n_style`, a name).
# With every user `:` coded, our only colons are in `:::class`, never followed by `#`.
# `$`: Mermaid 12 renders `$$...$$` in labels with KaTeX, and invalid TeX (`$$\frac{`)
# stops the whole diagram rendering in a browser although `mermaid.parse` accepts it.
_MERMAID_SPECIAL = re.compile('[#"<>&`%;:$\u2028\u2029]')


def mermaid_text(text: str) -> str:
    """Text for inside a Mermaid `"..."` string (or a C4 title): entity codes, `<br>`.

    `#34;` style codes are the only escape Mermaid has: it turns them into `&#34;` in
    the SVG, so the reader sees exactly `text`. Newlines become `<br>`.
    """
    text = clean_text(text)
    # Mermaid trims labels; entity-coded spaces survive the trim.
    body = text.strip(_JS_TRIMMED)
    if not body:
        return _code_all(text).replace("\n", "<br>")
    lead = text.index(body[0])
    trail = lead + len(body)
    escaped = _code_all(text[:lead]) + _code_special(body) + _code_all(text[trail:])
    return escaped.replace("\n", "<br>")


# What JavaScript's String.prototype.trim removes, except newlines (kept as `<br>`).
_JS_TRIMMED = (
    "\t\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def _code_special(text: str) -> str:
    return _MERMAID_SPECIAL.sub(lambda m: f"#{ord(m.group())};", text)


def _code_all(text: str) -> str:
    return "".join(ch if ch == "\n" else f"#{ord(ch)};" for ch in text)


def mermaid_string(text: str) -> str:
    """`text` as a complete quoted Mermaid string: `"..."`."""
    return f'"{mermaid_text(text)}"'


_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_]")
_ID_BODY_MAX = 48


def _short_hash(name: str, length: int = 8) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:length]


def safe_ids(names: Iterable[str], prefix: str = "n_") -> dict[str, str]:
    """Map each name to a diagram id: `prefix` + `[A-Za-z0-9_]`, unique and deterministic.

    The prefix keeps ids clear of every keyword (`end`, `graph`, `click` ...) and of the
    `o`/`x` edge-ending trap. Names that map to the same safe form (`a-b`, `a.b`, `a_b`)
    each get a short hash of the original name, so the result depends only on the set of
    names, never on their order.
    """
    unique = sorted(set(names))
    base = {n: prefix + _UNSAFE_ID_CHARS.sub("_", n)[:_ID_BODY_MAX] for n in unique}
    groups: dict[str, list[str]] = defaultdict(list)
    for name, b in base.items():
        groups[b].append(name)
    result = {n: b if len(groups[b]) == 1 else f"{b}_{_short_hash(n)}" for n, b in base.items()}
    # A hashed id could still equal another name's plain form (`a_b_<hash>` typed as an
    # id): give every name in such a clash the full hash, which cannot collide in practice.
    taken: dict[str, list[str]] = defaultdict(list)
    for name, ident in result.items():
        taken[ident].append(name)
    for owners in taken.values():
        if len(owners) > 1:
            for name in owners:
                result[name] = f"{base[name]}_{_short_hash(name, 64)}"
    return result


# ----------------------------------------------------------------------------- Graphviz


def dot_text(text: str) -> Any:
    """A label for the `graphviz` package: literal text, never HTML, entities or `\\N`.

    Returns a `graphviz.nohtml` string (a `str`), which the package quotes for DOT.
    """
    import graphviz

    escaped = graphviz.escape(clean_text(text).replace("&", "&amp;"))
    # `\n` is DOT's centred line break; escape() has already doubled user backslashes.
    return graphviz.nohtml(str(escaped).replace("\n", "\\n"))


# ----------------------------------------------------------------------------- Markdown

# Inline constructs: escapes, code, emphasis, links/images, HTML and autolinks, tables,
# strikethrough, entities, GitHub math, headings.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~&$])")
# Block constructs that only matter at the start of a line: quotes, bullet lists,
# thematic breaks and setext underlines, ordered lists.
_MD_LINE_START = re.compile(r"^(>|[-+=](?=\s|$|[-+=]))")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


# Text that needs no escaping at all: starts with a letter, no special characters.
_MD_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ,.:;'()/?!@%{}\"-]*[A-Za-z0-9.,:;'()/?!%}\"])?")


def _md_line(line: str) -> str:
    line = _MD_INLINE.sub(r"\\\1", line)
    line = _MD_LINE_START.sub(r"\\\1", line)
    return _MD_ORDERED.sub(r"\1\\\2", line)


def md_inline(value: object, empty: str = "") -> str:
    """Text for one line of Markdown (heading, list item, sentence): nothing it holds is
    read as Markdown or HTML; newlines become `<br>`."""
    if value is None:
        return empty
    text = str(value)
    done = _MD_DONE.get(text)
    if done is None:
        done = _md_escaped(text)
        if len(_MD_DONE) < _MD_DONE_MAX:
            _MD_DONE[text] = done
    return done or empty


# Each text escaped once: a design document writes the same labels, protocols and
# words in thousands of table cells (43,000 cells at 1,000 services).
_MD_DONE: dict[str, str] = {}
_MD_DONE_MAX = 100_000


def _md_escaped(text: str) -> str:
    if _MD_PLAIN.fullmatch(text):  # fast path: the escaping below would not change it
        return text
    text = clean_text(text).strip()
    if not text:
        return ""
    return "<br>".join(_md_line(part.strip()) for part in text.split("\n"))


def md_cell(value: object, empty: str = "—") -> str:
    """Text for a GFM table cell: like `md_inline`, pipes escaped, `empty` when blank."""
    return md_inline(value, empty)


def md_block(value: object, empty: str = "") -> str:
    """Multi-line text as Markdown paragraphs: lines kept, blank lines separate
    paragraphs, indentation dropped (it would turn a line into a code block)."""
    if value is None:
        return empty
    paragraphs: list[list[str]] = [[]]
    for raw in clean_text(str(value)).split("\n"):
        line = raw.strip()
        if line:
            paragraphs[-1].append(_md_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    text = "\n\n".join("\n".join(p) for p in paragraphs if p)
    return text or empty


_SAFE_URL = re.compile(r"https?://[^\s<>`\\]+")


def md_url(value: object) -> str:
    """An http(s) URL as a Markdown autolink; anything else as plain escaped text."""
    text = clean_text(str(value)).strip()
    return f"<{text}>" if _SAFE_URL.fullmatch(text) else md_inline(text)


def md_join(values: Iterable[object], sep: str = ", ", empty: str = "—") -> str:
    """Several values, each escaped for one line, joined by `sep`."""
    parts = [md_inline(v) for v in values]
    parts = [p for p in parts if p]
    return sep.join(parts) if parts else empty


# ----------------------------------------------------------------------------- YAML


# Front matter is shown as text by some viewers that let HTML in it run: `<`, `>`, `&`
# are written as YAML `\xNN` escapes, which read back as the same characters.
_YAML_HTML = {"<": "\\x3c", ">": "\\x3e", "&": "\\x26"}


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar that reads back as `text` (for front matter).

    Holds no raw `<`, `>` or `&`, so a viewer that renders front matter as HTML shows text.
    """
    out = ['"']
    for ch in clean_text(text):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _YAML_HTML:
            out.append(_YAML_HTML[ch])
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch) in ("Zl", "Zp", "Cf", "Cs") or ch == "\ufffd":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# ----------------------------------------------------------------------------- file names

SLUG_MAX = 50
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str, fallback: str = "decision", max_len: int = SLUG_MAX) -> str:
    """A file-name slug: lowercase ASCII letters, digits and single dashes, at most
    `max_len` characters, never empty, never containing `/`, `.` or `..`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = _SLUG_UNSAFE.sub("-", ascii_text.lower()).strip("-")
    if len(s) > max_len:
        # Whole words only (a cut word is cut mid-phrase), and never ending on a word
        # that leads into the rest ("...-coordinate-with-an"): drop trailing small words.
        # The last piece of the first max_len + 1 characters is a cut word, or empty
        # when the cut falls on a dash; one long word is cut anyway.
        words = s[: max_len + 1].split("-")
        words = words[:-1] or words
        while len(words) > 1 and words[-1] in _SLUG_TRAILING:
            words.pop()
        s = "-".join(words)[:max_len].strip("-")
    return s or fallback


_SLUG_TRAILING = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "with",
        "without",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "from",
        "into",
        "as",
        "than",
        "that",
        "which",
        "who",
        "when",
        "where",
        "while",
        "via",
        "per",
        "vs",
        "its",
        "their",
        "our",
        "your",
        "is",
        "are",
        "be",
    )
)


def adr_filename(number: int, title: str) -> str:
    """`NNNN-slug.md` for the decision at position `number` (1-based)."""
    return f"{number:04d}-{slug(title)}.md"
