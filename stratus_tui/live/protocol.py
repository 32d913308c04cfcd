"""What travels on a room's websocket, beyond the Yjs sync and awareness protocols.

Binary messages whose first byte is `YMessageType.SYNC` (0) or `AWARENESS` (1) are the
standard y-protocols (as y-websocket and pycrdt-websocket speak them). Byte `CONTROL`
(100) starts a JSON object: requests a client makes of the server (phase, timer, budget,
vote: the server checks the sender's role and budget, then writes the shared document
itself) and the server's notices to one client (welcome, refused, saved elsewhere).
"""

from __future__ import annotations

import json
from typing import Any

from pycrdt import Awareness, Decoder, Encoder, create_awareness_message

CONTROL = 100
MAX_CONTROL = 4096
ROOM_PATH = "/room/"
NAME_MAX = 40


def control_message(payload: dict[str, Any]) -> bytes:
    return bytes([CONTROL]) + json.dumps(payload, separators=(",", ":")).encode()


def read_control(message: bytes) -> dict[str, Any] | None:
    """The JSON object of a CONTROL message, or None when it is not one we can read."""
    if len(message) > MAX_CONTROL or not message or message[0] != CONTROL:
        return None
    try:
        value = json.loads(message[1:].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def awareness_client_ids(update: bytes) -> list[int]:
    """The client ids an awareness update speaks for (`update` without the type byte and
    length prefix, as `read_message` gives it)."""
    decoder = Decoder(update)
    ids: list[int] = []
    for _ in range(decoder.read_var_uint()):
        ids.append(decoder.read_var_uint())
        decoder.read_var_uint()  # clock
        decoder.read_var_string()  # state
    return ids


def awareness_gone(awareness: Awareness, client_ids: list[int]) -> bytes:
    """An awareness message saying these clients left (state null, clock one higher)."""
    encoder = Encoder()
    encoder.write_var_uint(len(client_ids))
    for client_id in client_ids:
        clock = int(awareness.meta.get(client_id, {}).get("clock", 0)) + 1
        encoder.write_var_uint(client_id)
        encoder.write_var_uint(clock)
        encoder.write_var_string("null")
    return create_awareness_message(encoder.to_bytes())


def clean_name(text: str | None) -> str:
    """A participant's name as shown to the room: printable, one line, at most 40 chars."""
    cleaned = "".join(ch for ch in (text or "") if ch.isprintable()).strip()
    return cleaned[:NAME_MAX] or "guest"
