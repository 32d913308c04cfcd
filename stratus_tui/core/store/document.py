"""`Document`: a design opened for editing (its own module: the workbench unpickles the
reading child's Document with this and the model alone, not the YAML machinery)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Design


@dataclass(frozen=True)
class Document:
    """A design opened for editing: the model, the round-trip tree and what was on disk.

    `digest` is the SHA-256 of the bytes last read or written (None for a file not yet
    saved); `migrated_from` lists the versions the file was upgraded from on load.
    `source` is the YAML text `digest` was taken from while `tree` is not built yet (a
    lazy open): the tree is built from exactly those bytes, never from a later read.
    `stamp` is `file_stamp` of the file as this process last wrote it (None when read):
    a file with that stamp is ours, no need to read it to know.
    """

    path: Path
    design: Design
    tree: Any
    digest: str | None
    migrated_from: tuple[int, ...] = ()
    source: str | None = None
    stamp: tuple[int, int, int, int] | None = None
