"""Keep writes inside one folder: under `stratus serve` exports stay in the design's folder.

A served workbench is driven by people in a browser, so its EXPORT folder field must not be
a way to write into any folder the server's user can write. `stratus serve` sets
`STRATUS_EXPORT_ROOT` for every app it starts; the export screen confines to it.
"""

from __future__ import annotations

import os
from pathlib import Path

EXPORT_ROOT_ENV = "STRATUS_EXPORT_ROOT"


class OutsideRootError(ValueError):
    """A path that leaves the folder it is confined to."""


def export_root() -> Path | None:
    """The folder exports are confined to, or None when they may go anywhere."""
    value = os.environ.get(EXPORT_ROOT_ENV, "").strip()
    return Path(value) if value else None


def confine(folder: Path, root: Path | None) -> Path:
    """`folder` resolved (symlinks and `..` followed) if it lies inside `root`; else raise.

    Resolving first means a symlink inside the root that points out of it is refused too.
    """
    if root is None:
        return folder
    real_root = root.resolve()
    target = folder.expanduser().resolve()
    if target != real_root and real_root not in target.parents:
        raise OutsideRootError(
            f"{folder} is outside {real_root}: under `stratus serve`, "
            "exports stay inside the design's folder"
        )
    return target
