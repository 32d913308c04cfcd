"""Reading back what our exporter wrote: ids, contexts and edge labels.

`stratus_tui.core.export.mermaid` draws component `x` as node `n_<x with unsafe characters
as _>` (plus a hash when two ids collide) labelled with the component's name or id, and
context `c` as subgraph `c_<c>` titled with its name. The id is exact when the label shows
it; behind a name only the node id is left.
"""

from __future__ import annotations

import hashlib
import re

_PROTOCOL_WORDS = """http https rest grpc graphql kafka amqp sql jdbc tcp udp websocket
    websockets ws mqtt nats sqs sns redis soap smtp s3 cdc events webhook"""
PROTOCOLS = frozenset(_PROTOCOL_WORDS.split())
"""Edge labels that name a protocol rather than a purpose."""


def safe(text: str) -> str:
    """The exporter's id body for `text`: letters, digits and `_`."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def our_id(node_id: str, label: str | None, prefix: str = "n_") -> str:
    """The design id behind our exporter's `n_<safe id>` (exact when the label is the id)."""
    body = node_id.removeprefix(prefix)
    label = label or ""
    if label:
        if safe(label)[:48] == body:
            return label
        # Ids that collide once made safe carry a hash of the original id.
        m = re.fullmatch(r"(.+)_([0-9a-f]{8}|[0-9a-f]{64})", body)
        digest = hashlib.sha256(label.encode("utf-8")).hexdigest()
        if m and digest.startswith(m.group(2)):
            return label
    return body


def context_of(group: tuple[str, str | None] | None, ours: bool) -> str | None:
    """A service's bounded context from its subgraph (id, title)."""
    if group is None:
        return None
    sid, title = group
    if not ours:
        return title or sid
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
