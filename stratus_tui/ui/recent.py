"""Recently opened designs: a small JSON list in the user's state folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..core.store.design_file import atomic_write

LIMIT = 10


def recent_file() -> Path:
    """Where the list lives (STRATUS_STATE_DIR overrides, for tests and portable use)."""
    override = os.environ.get("STRATUS_STATE_DIR")
    if override:
        return Path(override) / "recent.json"
    from platformdirs import user_state_dir

    return Path(user_state_dir("stratus", appauthor=False)) / "recent.json"


def load_recent() -> list[Path]:
    """Recent designs that still exist, newest first; a damaged list reads as empty."""
    try:
        data = json.loads(recent_file().read_text("utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [Path(p) for p in data if isinstance(p, str) and Path(p).is_file()]


def remember(path: Path) -> None:
    """Put `path` first in the list (best effort: a read-only home never stops the app)."""
    entries = [str(p) for p in load_recent() if p.resolve() != path.resolve()]
    entries.insert(0, str(path.resolve()))
    target = recent_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, json.dumps(entries[:LIMIT], indent=1).encode(), backup=False)
    except OSError:
        pass
