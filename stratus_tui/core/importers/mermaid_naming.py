"""Reading back what our exporter wrote: ids, contexts and edge labels.

`stratus_tui.core.export.mermaid` draws component `x` as node `n_<x with unsafe characters
as _>` (plus a hash when two ids collide) labelled with the component's name or id, and
context `c` as subgraph `c_<c>` titled with its name. The id is exact when the label shows
it; otherwise the exporter writes `%% stratus-id <node id> <design id>`, read back by
`declared_ids`; without that line only the node id is left.
"""

from __future__ import annotations

import hashlib
import re

from ..model import ID_PATTERN

_PROTOCOL_WORDS = """http https rest grpc graphql kafka amqp sql jdbc tcp udp websocket
    websockets ws mqtt nats sqs sns redis soap smtp s3 cdc events webhook"""
PROTOCOLS = frozenset(_PROTOCOL_WORDS.split())
"""Edge labels that name a protocol rather than a purpose."""


_ID_RULE = re.compile(ID_PATTERN)
# One line each: `[ \t]`, never `\s`, which would read the next line as the design id.
_ID_COMMENT = re.compile(r"^[ \t]*%%[ \t]*stratus-id[ \t]+(\S+)[ \t]+(\S+)[ \t]*\r?$", re.MULTILINE)


def declared_ids(text: str, seen: set[str]) -> dict[str, str]:
    """Node or subgraph id -> design id, from the `%% stratus-id` lines of our export.

    Only lines naming a node or subgraph in `seen` with a valid design id count; the
    first line for a node wins.
    """
    out: dict[str, str] = {}
    for m in _ID_COMMENT.finditer(text):
        node, design_id = m.group(1), m.group(2)
        if node in seen and _ID_RULE.fullmatch(design_id):
            out.setdefault(node, design_id)
    return out


def safe(text: str) -> str:
    """The exporter's id body for `text`: letters, digits and `_`."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def our_id(node_id: str, label: str | None, prefix: str = "n_") -> str:
    """The design id behind our exporter's `n_<safe id>` (exact when the label is the id)."""
    body = node_id.removeprefix(prefix)
    label = label or ""
    if label:
        # Untruncated only: a longer id always has its `%% stratus-id` line, and a
        # 48-character id named `<id>-and-more` must stay the id, not become the name.
        if safe(label) == body:
            return label
        # Ids that collide once made safe carry a hash of the original id.
        m = re.fullmatch(r"(.+)_([0-9a-f]{8}|[0-9a-f]{64})", body)
        digest = hashlib.sha256(label.encode("utf-8")).hexdigest()
        if m and digest.startswith(m.group(2)):
            return label
    return body


def context_of(
    group: tuple[str, str | None] | None, ours: bool, exact: dict[str, str] | None = None
) -> str | None:
    """A service's bounded context from its subgraph (id, title); `exact` from
    `declared_ids` wins for our own export."""
    if group is None:
        return None
    sid, title = group
    if not ours:
        return title or sid
    if exact and sid in exact:
        return exact[sid]
    return our_id(sid, title, "c_")


def split_label(text: str | None, ours: bool) -> tuple[str | None, str | None]:
    """Our exporter writes `label (protocol)`; a lone protocol word is a protocol."""
    if not text:
        return None, None
    m = re.fullmatch(r"(.+) \(([^()\n]+)\)", text, re.DOTALL)
    if m and (ours or m.group(2).strip().lower() in PROTOCOLS):
        return m.group(1), m.group(2)
    if text.strip().lower() in PROTOCOLS:
        return None, text.strip()
    return text, None
