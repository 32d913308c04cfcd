"""Loading the pattern library: built-ins, the user's config folder, then extra folders.

Files are parsed with ruamel.yaml round-trip so every problem can name its line; a bad
file raises `DesignError` with one `FILE:LINE:COL: message` problem per mistake. A later
folder replaces an earlier pattern with the same id. Results are cached by the files'
names, sizes and modification times, so repeated calls are cheap and edits are seen.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..problems import DesignError, Problem, did_you_mean
from ..resources import patterns_dir, user_config_dir
from ..yaml_io import plain
from .schema import CONDITION_TAGS, FIELD_NAMES, Pattern

PATTERN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PatternLibrary:
    """Patterns by id (treat as read-only) and the file each one came from."""

    patterns: dict[str, Pattern] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)

    def ids(self) -> list[str]:
        """Pattern ids, sorted."""
        return sorted(self.patterns)

    def __contains__(self, pattern_id: object) -> bool:
        return pattern_id in self.patterns


def user_patterns_dir() -> Path:
    """The user's own pattern folder: `<config dir>/patterns` (may not exist)."""
    return user_config_dir() / "patterns"


def library_dirs(extra_dirs: Iterable[str | Path] = ()) -> list[Path]:
    """Folders searched, in order: built-ins, user config folder, then `extra_dirs`."""
    return [patterns_dir(), user_patterns_dir(), *(Path(d) for d in extra_dirs)]


def _problems(exc: ValidationError, tree: Any, file: str) -> list[Problem]:
    from ..yaml_io import position_of

    errors = exc.errors(include_url=False)
    locs = [tuple(p for p in e["loc"] if p not in CONDITION_TAGS) for e in errors]
    problems: list[Problem] = []
    for err, loc in zip(errors, locs, strict=True):
        # pydantic adds a "too short" for a list whose only items failed: noise.
        if err["type"] == "too_short" and any(o[: len(loc)] == loc and o != loc for o in locs):
            continue
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            msg = f"unknown key {key!r}" + did_you_mean(key, FIELD_NAMES)
        where = ".".join(str(p) for p in loc)
        line, col = position_of(tree, loc)
        problems.append(Problem(f"{where}: {msg}" if where else msg, loc, file, line, col))
    return problems


def load_pattern_file(path: Path) -> Pattern:
    """Validate one pattern file; raise DesignError with FILE:LINE:COL problems if bad.

    The fast C-based safe loader reads good files; positions come from a round-trip
    parse done only when something is wrong (as the design store does).
    """
    from ..yaml_io import parse_text

    file = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise DesignError([Problem(f"cannot read: {exc.strerror}", (), file)]) from None
    except UnicodeDecodeError as exc:
        raise DesignError([Problem(f"not UTF-8 text (byte {exc.start})", (), file)]) from None
    data = parse_text(text, file)
    if not isinstance(data, dict):
        raise DesignError(
            [Problem("a pattern file is a mapping with id, name, summary ...", (), file, 1, 1)]
        )
    try:
        return Pattern.model_validate(plain(data))
    except ValidationError as exc:
        tree = parse_text(text, file, round_trip=True)
        raise DesignError(_problems(exc, tree, file)) from None


@functools.lru_cache(maxsize=512)
def _load_file_cached(path: str, mtime_ns: int, size: int) -> Pattern:
    # Keyed by modification time and size so an edited file is read again.
    return load_pattern_file(Path(path))


def _snapshot(dirs: Sequence[Path]) -> tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]:
    snap = []
    for d in dirs:
        files = []
        if d.is_dir():
            for p in sorted(d.iterdir()):
                if p.suffix.lower() in PATTERN_SUFFIXES and p.is_file():
                    st = p.stat()
                    files.append((p.name, st.st_mtime_ns, st.st_size))
        snap.append((str(d), tuple(files)))
    return tuple(snap)


def load_library(extra_dirs: Iterable[str | Path] = ()) -> PatternLibrary:
    """The pattern library: built-ins, then the user config folder, then `extra_dirs`.

    Raises DesignError naming file and line for every bad file, a missing extra folder,
    two files with one id in the same folder, or a `related` id that names no pattern.
    """
    extra = [Path(d) for d in extra_dirs]
    missing = [Problem("patterns folder not found", (), str(d)) for d in extra if not d.is_dir()]
    if missing:
        raise DesignError(missing)
    return _load_cached(_snapshot([patterns_dir(), user_patterns_dir(), *extra]))


@functools.lru_cache(maxsize=16)
def _load_cached(
    snapshot: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...],
) -> PatternLibrary:
    patterns: dict[str, Pattern] = {}
    sources: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder, files in snapshot:
        seen_here: dict[str, Path] = {}
        for name, _mtime, _size in files:
            path = Path(folder) / name
            try:
                pattern = _load_file_cached(str(path), _mtime, _size)
            except DesignError as exc:
                problems.extend(exc.problems)
                continue
            if pattern.id in seen_here:
                problems.append(
                    _at(
                        ("id",),
                        path,
                        f"id {pattern.id!r} is also used by {seen_here[pattern.id]}",
                    )
                )
                continue
            seen_here[pattern.id] = path
            patterns[pattern.id] = pattern
            sources[pattern.id] = path
    for pid in sorted(patterns):
        for i, rel in enumerate(patterns[pid].related):
            if rel.id not in patterns:
                problems.append(
                    _at(
                        ("related", i, "id"),
                        sources[pid],
                        f"related.{i}.id: no pattern {rel.id!r}" + did_you_mean(rel.id, patterns),
                    )
                )
    problems.extend(_group_problems(patterns, sources))
    if problems:
        raise DesignError(problems)
    order = sorted(patterns)
    return PatternLibrary({k: patterns[k] for k in order}, {k: sources[k] for k in order})


def _group_problems(patterns: dict[str, Pattern], sources: dict[str, Path]) -> list[Problem]:
    """Two members of one 'pick one' group at the same step leave the order undefined."""
    taken: dict[tuple[str, int], str] = {}
    problems = []
    for pid in sorted(patterns):
        group = patterns[pid].group
        if group is None:
            continue
        other = taken.setdefault((group.id, group.step), pid)
        if other != pid:
            problems.append(
                _at(
                    ("group", "step"),
                    sources[pid],
                    f"group.step: {other!r} is already step {group.step} of group {group.id!r}",
                )
            )
    return problems


def _at(loc: tuple[str | int, ...], path: Path, message: str) -> Problem:
    from ..yaml_io import parse_text, position_of

    tree = parse_text(path.read_text(encoding="utf-8"), str(path), round_trip=True)
    line, col = position_of(tree, loc)
    return Problem(message, loc, str(path), line, col)
