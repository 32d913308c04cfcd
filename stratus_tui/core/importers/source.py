"""Reading an import source safely: bounded size, text only, clear problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..problems import DesignError, Problem

MAX_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused: nobody's topology needs ten megabytes."""
MAX_COMPONENTS = 5000
"""More services, datastores or externals than this are refused."""
MAX_DEPENDENCIES = 50_000
"""More dependencies than this are refused."""


def fail(
    file: str, message: str, line: int | None = None, column: int | None = None
) -> DesignError:
    """A DesignError with one problem, ready to raise."""
    return DesignError([Problem(message, (), file, line, column)])


def kind_of(value: Any) -> str:
    """What a YAML value is, in words with its article: 'a list', 'an empty value' ..."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "a tagged value" if hasattr(value, "tag") else f"a {type(value).__name__}"


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `offset`."""
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def read_text(path: Path) -> str:
    """The file's text; DesignError when it is missing, huge, binary, not UTF-8 or empty."""
    file = str(path)
    from ..yaml_io import ReadRefused, read_bounded

    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail(file, "is a folder; give the compose file, manifest or diagram itself")
        if size > MAX_BYTES:
            raise fail(
                file,
                f"too large to import ({size:,} bytes; the limit is {MAX_BYTES:,} bytes)",
            )
        raw = read_bounded(path, MAX_BYTES)  # a FIFO hung; /dev/zero's size says 0
    except ReadRefused as exc:
        raise fail(file, str(exc)) from None
    except OSError as exc:
        raise fail(file, f"cannot read: {exc.strerror or exc}") from None
    nul = raw.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise fail(file, "is a binary file, not YAML or Mermaid text", *_position(raw, nul))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        byte = raw[exc.start]
        raise fail(file, f"is not UTF-8 text (byte 0x{byte:02x})", line, column) from None
    if not text.strip():
        raise fail(file, "is empty: nothing to import", 1, 1)
    return text
