"""User key remapping: `keymap.toml` in the user config folder maps binding ids to keys.

Example (`~/.config/stratus/keymap.toml`)::

    "app.undo" = "ctrl+u"
    "mode.discover" = "f1"
"""

from __future__ import annotations

from pathlib import Path


def keymap_file() -> Path:
    """Where the keymap lives: beside the user's patterns and prices."""
    from ..core.resources import user_config_dir

    return user_config_dir() / "keymap.toml"


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """Binding id -> keys; a missing or damaged file gives an empty map (defaults apply)."""
    try:
        text = (path or keymap_file()).read_text("utf-8")
    except OSError:
        return {}
    import tomllib  # only when there is a keymap: compiling its regexes costs start-up

    try:
        data = tomllib.loads(text)
    except ValueError:
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}
