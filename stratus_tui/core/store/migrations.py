"""Upgrades of older design files, one registered step per version.

A step takes the file-shaped data of version N and returns the data of version N+1.
`migrate` runs the steps in order up to `SCHEMA_VERSION`; a file newer than this program
is refused with a message saying so rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import SCHEMA_VERSION
from ..problems import DesignError, Problem

Step = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Step] = {}
"""from-version -> step producing the next version's data."""


def register_migration(from_version: int) -> Callable[[Step], Step]:
    """Register the step that upgrades `from_version` data to `from_version + 1`."""

    def wrap(step: Step) -> Step:
        MIGRATIONS[from_version] = step
        return step

    return wrap


def file_version(data: dict[str, Any], file: str | None = None) -> int:
    """The `stratus:` version of file-shaped data; DesignError if absent or not a number."""
    version = data.get("stratus")
    if "stratus" not in data:
        raise DesignError(
            [
                Problem(
                    "missing 'stratus: 1' (the version of the design-file format); put it on the "
                    "first line",
                    ("stratus",),
                    file,
                )
            ]
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise DesignError(
            [
                Problem(
                    f"stratus: the version must be a whole number like 1, got {version!r}",
                    ("stratus",),
                    file,
                )
            ]
        )
    return version


def migrate(data: dict[str, Any], file: str | None = None) -> tuple[dict[str, Any], list[int]]:
    """Upgrade `data` to `SCHEMA_VERSION`; returns the new data and the versions passed.

    Raises DesignError for a version newer than this program or one with no upgrade path.
    """
    version = file_version(data, file)
    if version > SCHEMA_VERSION:
        raise DesignError(
            [
                Problem(
                    f"stratus: this file is version {version}, but this program reads versions "
                    f"up to {SCHEMA_VERSION}; upgrade stratus to open it",
                    ("stratus",),
                    file,
                )
            ]
        )
    passed: list[int] = []
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DesignError(
                [
                    Problem(
                        f"stratus: version {version} is not supported (no upgrade from it to "
                        f"{version + 1})",
                        ("stratus",),
                        file,
                    )
                ]
            )
        data = step(dict(data))
        passed.append(version)
        version += 1
        data["stratus"] = version
    return data, passed
