"""Reading one Mermaid flowchart statement: nodes with shapes and labels, and links.

Covers what people write by hand and what our exporter writes: `A[Label]`, `B[(DB)]`,
`C((x))`, `D{{x}}`, `E>x]`, `F@{ shape: cyl, label: "x" }`, `:::class`, `-->`, `---`,
`-.->`, `==>`, `--o`, `--x`, `<-->`, `~~~`, `-->|label|`, `-- text -->`, chains
`A --> B --> C` and `A & B --> C`. Labels are decoded: `#34;`/`#quot;` entity codes,
`<br>` line breaks, Markdown-string backticks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

ShapeKind = Literal["service", "datastore", "external"]


@dataclass
class NodeRef:
    """A node as written in a statement (shape and label only when given here)."""

    id: str
    label: str | None = None
    shape: ShapeKind | None = None
    classes: list[str] = field(default_factory=list)


@dataclass
class Link:
    """A link between two node groups."""

    mode: Literal["sync", "async"]
    label: str | None
    both_ways: bool
    invisible: bool
    arrow: bool = True
    """False for an open link (`---`, no head): our export's own-store line."""


@dataclass
class Chain:
    """`A & B --> C --> D`: node groups joined by links."""

    groups: list[list[NodeRef]]
    links: list[Link]


class SyntaxProblem(ValueError):
    """The statement is not a node or link statement this reader understands."""


_ID = re.compile(r"\w+(?:[.-]\w+)*")
# Openers, longest first, with their closers and what the shape means.
_SHAPES: list[tuple[str, tuple[str, ...], ShapeKind]] = [
    ("(((", (")))",), "service"),
    ("((", ("))",), "service"),
    ("([", ("])",), "service"),
    ("[(", (")]",), "datastore"),
    ("[[", ("]]",), "service"),
    ("[/", ("/]", "\\]"), "service"),
    ("[\\", ("\\]", "/]"), "service"),
    ("{{", ("}}",), "service"),
    ("(", (")",), "service"),
    ("[", ("]",), "service"),
    ("{", ("}",), "service"),
    (">", ("]",), "service"),
]
_NEW_SHAPES_STORE = frozenset(
    {
        "cyl",
        "cylinder",
        "db",
        "database",
        "das",
        "h-cyl",
        "horizontal-cylinder",
        "lin-cyl",
        "disk",
        "lined-cylinder",
        "stored-data",
        "bow-rect",
        "direct-access-storage",
    }
)
_LINK = re.compile(
    r"(?P<both><)?(?:(?P<dot>-\.+-)|(?P<thick>={2,})|(?P<solid>-{2,})|(?P<inv>~{3,}))"
    r"(?P<head>>|o(?![\w])|x(?![\w]))?"
)
_TEXT_LINK = re.compile(
    r"(?P<both><)?(?P<open>--|==|-\.)(?![->.=])\s*(?P<text>.+?)\s*"
    r"(?P<close>-{2,}>|-{3,}|={2,}>|={3,}|\.-+>|\.-+|-{2,}[ox](?!\w)|={2,}[ox](?!\w))"
)
_ENTITY = re.compile(r"#(\d{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def decode(text: str) -> str:
    """Label text as a reader sees it: entity codes, `<br>` and quotes resolved."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == "`":
        text = text[1:-1]

    def entity(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.isdigit():
            n = int(code)
            return chr(n) if 0 < n < 0x110000 and not 0xD800 <= n <= 0xDFFF else m.group(0)
        decoded = html.unescape(f"&{code};")
        return m.group(0) if decoded == f"&{code};" else decoded

    return _ENTITY.sub(entity, _BR.sub("\n", text))


class _Cursor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def rest(self) -> str:
        return self.text[self.pos :]

    def done(self) -> bool:
        self.ws()
        return self.pos >= len(self.text)


def parse_chain(statement: str) -> Chain:
    """Parse `statement` as nodes and links; SyntaxProblem says where it stopped."""
    cur = _Cursor(statement)
    groups = [_group(cur)]
    links: list[Link] = []
    while not cur.done():
        links.append(_link(cur))
        groups.append(_group(cur))
    return Chain(groups, links)


def _group(cur: _Cursor) -> list[NodeRef]:
    nodes = [_node(cur)]
    while True:
        cur.ws()
        if cur.rest().startswith("&"):
            cur.pos += 1
            nodes.append(_node(cur))
        else:
            return nodes


def _node(cur: _Cursor) -> NodeRef:
    cur.ws()
    m = _ID.match(cur.text, cur.pos)
    if not m:
        raise SyntaxProblem(f"expected a node id at column {cur.pos + 1}")
    node = NodeRef(m.group(0))
    cur.pos = m.end()
    rest = cur.rest()
    if rest.startswith("@{"):
        _new_syntax(cur, node)
    else:
        for opener, closers, kind in _SHAPES:
            if rest.startswith(opener):
                cur.pos += len(opener)
                node.label = _label(cur, closers)
                node.shape = kind
                break
    while cur.rest().startswith(":::"):
        cur.pos += 3
        m = re.compile(r"[\w-]+").match(cur.text, cur.pos)
        if not m:
            raise SyntaxProblem(f"expected a class name at column {cur.pos + 1}")
        node.classes.append(m.group(0))
        cur.pos = m.end()
    return node


def _label(cur: _Cursor, closers: tuple[str, ...]) -> str:
    text = cur.text
    start = cur.pos
    inner = text[start:].lstrip(" ")
    if inner.startswith('"'):
        q_open = text.index('"', start)
        q_close = text.find('"', q_open + 1)
        if q_close < 0:
            raise SyntaxProblem(f"unclosed quote at column {q_open + 1}")
        cur.pos = q_close + 1
        cur.ws()
        for closer in closers:
            if text.startswith(closer, cur.pos):
                cur.pos += len(closer)
                return decode(text[q_open : q_close + 1])
        raise SyntaxProblem(f"expected {closers[0]!r} at column {cur.pos + 1}")
    ends = [(text.find(c, start), c) for c in closers]
    found = [(i, c) for i, c in ends if i >= 0]
    if not found:
        raise SyntaxProblem(f"unclosed shape: expected {closers[0]!r}")
    i, closer = min(found)
    cur.pos = i + len(closer)
    return decode(text[start:i])


def _new_syntax(cur: _Cursor, node: NodeRef) -> None:
    end = cur.text.find("}", cur.pos)
    if end < 0:
        raise SyntaxProblem("unclosed @{ ... }")
    body = cur.text[cur.pos + 2 : end]
    cur.pos = end + 1
    for key, value in re.findall(r"(\w+)\s*:\s*(\"[^\"]*\"|[^,]+)", body):
        value = value.strip()
        if key == "label":
            node.label = decode(value)
        elif key == "shape":
            shape = value.strip("\"' ").lower()
            node.shape = (
                "datastore"
                if shape in _NEW_SHAPES_STORE
                else "external"
                if shape == "cloud"
                else "service"
            )


def _link(cur: _Cursor) -> Link:
    cur.ws()
    m = _LINK.match(cur.text, cur.pos)
    complete = m is not None and (
        m.group("dot")
        or m.group("inv")
        or m.group("head")
        or len(m.group("thick") or m.group("solid") or "") >= 3
    )
    if m is not None and complete:
        cur.pos = m.end()
        label = None
        cur.ws()
        if cur.rest().startswith("|"):
            search_from = cur.pos + 1
            if cur.text[search_from:].lstrip(" ").startswith('"'):
                # A quoted label may hold `|`: look for the bar after the closing quote.
                q_open = cur.text.index('"', search_from)
                q_close = cur.text.find('"', q_open + 1)
                search_from = q_close + 1 if q_close > 0 else search_from
            end = cur.text.find("|", search_from)
            if end < 0:
                raise SyntaxProblem(f"unclosed |label| at column {cur.pos + 1}")
            label = decode(cur.text[cur.pos + 1 : end]) or None
            cur.pos = end + 1
        mode: Literal["sync", "async"] = "async" if m.group("dot") else "sync"
        both = bool(m.group("both")) and m.group("head") == ">"
        return Link(mode, label, both, bool(m.group("inv")), m.group("head") is not None)
    t = _TEXT_LINK.match(cur.text, cur.pos)
    if t is not None:
        cur.pos = t.end()
        mode = "async" if t.group("open") == "-." else "sync"
        both = bool(t.group("both")) and t.group("close").endswith(">")
        close = t.group("close")
        arrow = close.endswith((">", "o", "x"))
        return Link(mode, decode(t.group("text")) or None, both, False, arrow)
    raise SyntaxProblem(f"expected a link such as --> at column {cur.pos + 1}")


def split_statements(line: str) -> list[str]:
    """A line split at `;` outside quotes, brackets and |labels|."""
    parts: list[str] = []
    depth = 0
    quoted = False
    in_bar = False
    start = 0
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "|" and depth == 0:
            in_bar = not in_bar
        elif ch == ";" and depth == 0 and not in_bar:
            parts.append(line[start:i])
            start = i + 1
    parts.append(line[start:])
    return [p.strip() for p in parts if p.strip()]
