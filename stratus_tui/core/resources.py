"""Data shipped with the program: the pattern library and the sample designs.

In an installed wheel they live in `stratus_tui/_data/`; in a checkout they are the
top-level `patterns/` and `sample_designs/` folders next to the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    packaged = resources.files("stratus_tui").joinpath("_data", name)
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / name
    return checkout


def patterns_dir() -> Path:
    """Folder of the built-in pattern files."""
    return _data_dir("patterns")


def samples_dir() -> Path:
    """Folder of the bundled sample designs."""
    return _data_dir("sample_designs")


def sample_names() -> list[str]:
    """Names of the bundled samples (file stems), sorted."""
    return sorted(p.stem for p in samples_dir().glob("*.yaml"))


def sample_path(name: str) -> Path:
    """Path of the sample called `name` (a stem from `sample_names`)."""
    path = samples_dir() / f"{name}.yaml"
    if not path.is_file():
        raise KeyError(name)
    return path


def user_cache_dir() -> Path:
    """The folder STRATUS may keep derived files in (the compiled design-document
    template): `STRATUS_CACHE_DIR` when set, else platformdirs' cache folder for
    "stratus" (`~/.cache/stratus` on Linux). Anything in it may be deleted at any time."""
    import os

    override = os.environ.get("STRATUS_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_path("stratus"))


def user_config_dir() -> Path:
    """The folder of a user's own STRATUS files: `patterns/`, `prices.yaml`, `keymap.toml`.

    `STRATUS_CONFIG_DIR` when set (tests, portable setups), else platformdirs' config folder
    for "stratus" (`~/.config/stratus` on Linux, honouring XDG_CONFIG_HOME). The one place
    that decides it, so the three files are always found side by side. May not exist.
    """
    import os

    override = os.environ.get("STRATUS_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_path("stratus"))
