"""Load and save design files.

Read-only paths (validate, lint, export) parse with the fastest safe loader; positions for
error messages come from a round-trip parse done only when something is wrong. Editing
paths keep the round-trip document so that a person's comments, key order and layout
survive (see `merge`); `open_document(path, lazy=True)` opens with the fast loader and
keeps the text read instead, building the round-trip tree from it on first need
(`with_tree`, or the first save), so the workbench shows a design without paying for the
slow pure-Python parse. Saves are atomic: temp file in the same folder, fsync, rename,
the previous version kept as `FILE.bak`; a file changed on disk since it was loaded is
not overwritten unless forced.

Files are YAML; `.json` and `.toml` files are read as JSON and TOML.
"""

from __future__ import annotations

import gc
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .model import SCHEMA_VERSION, Design
from .problems import DesignError, Problem
from .yaml_io import decode, parse_text, plain, position_of, render_yaml

__all__ = [
    "Document",
    "ExternalChangeError",
    "atomic_write",
    "design_from_data",
    "digest_bytes",
    "load_design",
    "new_document",
    "open_document",
    "parse_text",
    "position_of",
    "render_yaml",
    "save_document",
    "with_tree",
]


@dataclass(frozen=True)
class Document:
    """A design opened for editing: the model, the round-trip tree and what was on disk.

    `digest` is the SHA-256 of the bytes last read or written (None for a file not yet
    saved); `migrated_from` lists the versions the file was upgraded from on load.
    `source` is the YAML text `digest` was taken from while `tree` is not built yet (a
    lazy open): the tree is built from exactly those bytes, never from a later read.
    """

    path: Path
    design: Design
    tree: Any
    digest: str | None
    migrated_from: tuple[int, ...] = ()
    source: str | None = None


class ExternalChangeError(Exception):
    """The file changed on disk since it was loaded; saving would lose someone's edit."""


def digest_bytes(data: bytes) -> str:
    """SHA-256 hex digest, used to notice that a file changed on disk."""
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- loading


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".json": "json", ".toml": "toml"}.get(suffix, "yaml")


def _parse(text: str, file: str, kind: str, *, round_trip: bool = False) -> Any:
    if kind == "json":
        from .formats import parse_json

        return parse_json(text, file)
    if kind == "toml":
        from .formats import parse_toml

        return parse_toml(text, file)
    return parse_text(text, file, round_trip=round_trip)


def _locate(problems: list[Problem], file: str, text: str | None, kind: str) -> list[Problem]:
    """Give each problem its file, line and column; sorted in document order."""
    tree: Any = None
    if text is not None and kind in ("yaml", "json") and any(p.loc for p in problems):
        try:
            tree = parse_text(text, file, round_trip=True)
        except DesignError:
            tree = None
    located: list[Problem] = []
    for p in problems:
        line, col = p.line, p.column
        if line is None and text is not None:
            if tree is not None:
                line, col = position_of(tree, p.loc, value=p.value_position)
            elif kind == "toml":
                from .formats import toml_position

                line, col = toml_position(text, p.loc) or (1, 1)
            else:
                line, col = 1, 1
        located.append(Problem(p.message, p.loc, file, line, col, p.value_position))
    return sorted(located, key=lambda p: (p.line or 0, p.column or 0))


def design_from_data(
    data: Any, file: str, text: str | None = None, *, kind: str = "yaml"
) -> Design:
    """Validate file-shaped data into a Design, migrating older versions first.

    Raises DesignError carrying every problem found; positions are filled in from `text`
    (the file's source) when it is given.
    """
    return _validate(data, file, text, kind)[0]


def _validate(data: Any, file: str, text: str | None, kind: str) -> tuple[Design, tuple[int, ...]]:
    from .explain import validate_data
    from .migrations import migrate

    if data is None:
        raise DesignError(
            [
                Problem(
                    "the file is empty; a design needs at least 'stratus: 1' and 'name: ...'",
                    (),
                    file,
                    1,
                    1,
                )
            ]
        )
    if not isinstance(data, dict):
        kind_word = "list" if isinstance(data, list) else f"single value ({data!r:.40})"
        raise DesignError(
            [
                Problem(
                    f"a design must be a mapping of keys (stratus:, name:, ...), not a {kind_word}",
                    (),
                    file,
                    1,
                    1,
                )
            ]
        )
    problems: list[Problem] = []
    passed: list[int] = []
    try:
        data, passed = migrate(data, file)
    except DesignError as exc:
        version = data.get("stratus")
        fatal = isinstance(version, int) and not isinstance(version, bool)
        if fatal:  # newer, or no upgrade path: nothing else can be judged
            raise DesignError(_locate(exc.problems, file, text, kind)) from None
        problems.extend(exc.problems)  # missing or malformed: check the rest as version 1
        data = {**data, "stratus": SCHEMA_VERSION}
    design, found = validate_data(data)
    problems.extend(found)
    if problems or design is None:
        raise DesignError(_locate(problems, file, text, kind))
    return design, tuple(passed)


def _read(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DesignError([Problem(f"cannot read: {exc.strerror}", (), str(path))]) from None
    text = decode(raw, str(path))
    if not text.strip() or not any(
        line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()
    ):
        what = "empty" if not text.strip() else "only comments"
        raise DesignError(
            [
                Problem(
                    f"the file is {what}; a design needs at least 'stratus: 1' and 'name: ...'",
                    (),
                    str(path),
                    1,
                    1,
                )
            ]
        )
    return raw, text


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many small acyclic objects.

    Parsing and validating allocate hundreds of thousands of containers; the collector's
    repeated full passes over them made loading superlinear (5,000 services: 4 s -> 2 s).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_design(path: str | Path) -> Design:
    """Read-only load of a design file (YAML; JSON or TOML by extension).

    Raises DesignError with every problem as FILE:LINE:COL.
    """
    p = Path(path)
    kind = _kind(p)
    _raw, text = _read(p)
    with _gc_paused():
        data = _parse(text, str(p), kind)
        return design_from_data(data, str(p), text, kind=kind)


def open_document(path: str | Path, *, lazy: bool = False) -> Document:
    """Open a design for editing, keeping the round-trip tree for comment-preserving saves.

    JSON and TOML files are opened too; they are saved back as YAML-free plain data
    (no comments to keep). With `lazy`, the design is read with the fast loader and the
    tree is left to `with_tree` (or the first save), built from the text read here.
    """
    p = Path(path)
    kind = _kind(p)
    raw, text = _read(p)
    if lazy:
        with _gc_paused():
            design, passed = _validate(_parse(text, str(p), kind), str(p), text, kind)
        source = text if kind == "yaml" else None
        return Document(p, design, None, digest_bytes(raw), tuple(passed), source)
    with _gc_paused():
        tree = _parse(text, str(p), kind, round_trip=True)
        # Tags (`!!str 5`) stay objects in the round-trip tree: read values as load_design.
        data = _parse(text, str(p), kind) if kind == "yaml" and "!" in text else plain(tree)
        design, passed = _validate(data, str(p), text, kind)
    return Document(p, design, tree if kind == "yaml" else None, digest_bytes(raw), tuple(passed))


def with_tree(doc: Document) -> Document:
    """`doc` with its round-trip tree built from the text read at open (same digest).

    A no-op for a document that has its tree, or has none to build (new, JSON, TOML).
    Safe to call from a worker thread: it reads nothing from disk.
    """
    if doc.tree is not None or doc.source is None:
        return doc
    with _gc_paused():
        tree = _parse(doc.source, str(doc.path), "yaml", round_trip=True)
    return replace(doc, tree=tree, source=None)


def new_document(path: str | Path, design: Design) -> Document:
    """A document for a file that does not exist yet (first save creates it)."""
    return Document(Path(path), design, None, None)


# --------------------------------------------------------------------------- saving


def render(design: Design, path: Path, tree: Any = None) -> str:
    """The text `design` is saved as at `path` (format by extension; `tree` keeps layout)."""
    kind = _kind(path)
    if kind == "json":
        from .export.data import to_json

        return to_json(design)
    if kind == "toml":
        from .export.data import to_toml

        return to_toml(design)
    if tree is None:
        from .export.data import to_yaml

        return to_yaml(design)
    from .merge import merged_tree

    return render_yaml(merged_tree(tree, design))


def save_document(doc: Document, design: Design, *, force: bool = False) -> Document:
    """Save `design` over `doc.path`, keeping comments; refuse if the file changed on disk.

    Raises ExternalChangeError when the file's bytes differ from those loaded (or it
    appeared since a new document was made), unless `force`.
    """
    if not force:
        try:
            current: bytes | None = doc.path.read_bytes()
        except FileNotFoundError:
            current = None
        if current is not None and digest_bytes(current) != doc.digest:
            raise ExternalChangeError(
                f"{doc.path} changed on disk since it was loaded; reload it or save with force"
            )
    try:
        tree = with_tree(doc).tree  # a lazy open builds it now, from the bytes it read
    except DesignError:  # the fast loader took what ruamel refuses: save plain, not never
        tree = None
    text = render(design, doc.path, tree)
    data = text.encode("utf-8")
    atomic_write(doc.path, data)
    return Document(doc.path, design, tree, digest_bytes(data))


def atomic_write(path: Path, data: bytes, *, backup: bool = True, exclusive: bool = False) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    The bytes go to a temp file in the same folder, are fsynced, then renamed over
    `path`. With `backup`, the previous content is kept as `PATH.bak`. With
    `exclusive`, FileExistsError is raised (atomically) if `path` already exists.
    """
    path = Path(path).resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not path.exists():
            # mkstemp makes 0600 files; a new file gets the mode open() would give it.
            os.chmod(tmp, 0o666 & ~_umask())
        if exclusive:
            _link_new(Path(tmp), path)
        else:
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o777)
                if backup:
                    _write_plain(path.with_name(path.name + ".bak"), path.read_bytes())
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _link_new(tmp: Path, path: Path) -> None:
    """Move `tmp` to `path` only if `path` does not exist (atomically where links work)."""
    try:
        os.link(tmp, path)  # fails with FileExistsError: no check-then-write race
    except FileExistsError:
        raise
    except OSError:  # a filesystem without hard links: best effort
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def _write_plain(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
