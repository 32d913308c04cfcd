"""Reading an import source safely: bounded size, text only, clear problems."""

from __future__ import annotations

from pathlib import Path

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


def read_text(path: Path) -> str:
    """The file's text; DesignError when it is missing, huge, binary, not UTF-8 or empty."""
    file = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail(file, "is a folder; give the compose file, manifest or diagram itself")
        if size > MAX_BYTES:
            raise fail(
                file,
                f"too large to import ({size:,} bytes; the limit is {MAX_BYTES:,} bytes)",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(file, f"cannot read: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise fail(file, "is a binary file, not YAML or Mermaid text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(file, f"is not UTF-8 text (bad byte at offset {exc.start})", line) from None
    if not text.strip():
        raise fail(file, "is empty: nothing to import", 1, 1)
    return text
