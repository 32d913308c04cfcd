"""Load and save design files.

Read-only paths (validate, lint, export) parse with the fastest safe loader; positions for
error messages come from a round-trip parse done only when something is wrong. Editing
paths keep the round-trip document so that a person's comments, key order and layout
survive (see `merge`); `open_document(path, lazy=True)` opens with the fast loader and
keeps the text read instead, building the round-trip tree from it on first need
(`with_tree`, or the first save), so the workbench shows a design without paying for the
slow pure-Python parse. A file that is byte for byte what saving its design writes (made
by `stratus import`, an export or an earlier such save) has nothing of a person's to keep
and needs no tree: it is saved as written anew (`written_as_saved`).

Saves are atomic and lose nothing: under the advisory lock `FILE.lock` (O_EXCL, as git's
index.lock; a dead writer's lock is reclaimed), leftover temp files of dead writers are
pruned, the bytes go to a hidden temp file `.FILE.PID.HEX.tmp` in the same folder with the
file's owner, group and mode, are fsynced and renamed over the file; the previous version
is kept as `FILE.bak` (same mode). A file changed on disk since it was loaded is not
overwritten unless forced: its digest is checked again just before the rename and, on
Linux, the rename is an atomic exchange whose displaced file is verified and swapped back
on a mismatch (ExternalChangeError either way).

Files are YAML; `.json` and `.toml` files are read as JSON and TOML.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..gc_pause import gc_paused
from ..model import SCHEMA_VERSION, Design
from ..problems import DesignError, Problem
from ..yaml_io import parse_text, plain, position_of, render_yaml
from .document import Document
from .reading import read_design_text

__all__ = [
    "Document",
    "ExternalChangeError",
    "FileLockedError",
    "atomic_write",
    "design_from_data",
    "digest_bytes",
    "file_stamp",
    "load_design",
    "new_document",
    "open_document",
    "parse_text",
    "position_of",
    "render_yaml",
    "save_conflict_copy",
    "save_document",
    "strays",
    "with_tree",
    "written_as_saved",
]


class ExternalChangeError(Exception):
    """The file changed on disk since it was loaded; saving would lose someone's edit."""


def digest_bytes(data: bytes) -> str:
    """SHA-256 hex digest, used to notice that a file changed on disk."""
    import hashlib  # here: read-only commands never digest (2.5 ms of `stratus validate`)

    return hashlib.sha256(data).hexdigest()


def _token(nbytes: int) -> str:
    import secrets  # here, as socket below: only saves need them

    return secrets.token_hex(nbytes)


@functools.cache
def _host() -> str:
    import socket

    return socket.gethostname()


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


def load_design(path: str | Path, *, meanwhile: Callable[[], object] | None = None) -> Design:
    """Read-only load of a design file (YAML; JSON or TOML by extension).

    Raises DesignError with every problem as FILE:LINE:COL. A one-shot command may have
    had the file parsed on the other core (`parse_ahead`); `meanwhile` is work of the
    caller's to do while that parse finishes (see `parse_ahead.take`).
    """
    p = Path(path)
    kind = _kind(p)
    # Only `stratus_tui.__main__` starts one (and imports the module): none otherwise.
    ahead = sys.modules.get("stratus_tui.core.store.parse_ahead")
    parsed = ahead.take(p, meanwhile) if ahead is not None and kind == "yaml" else None
    if parsed is not None:
        text, data = parsed
    else:
        _raw, text = read_design_text(p)
    with gc_paused():
        if parsed is None:
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
    raw, text = read_design_text(p)
    if lazy:
        with gc_paused():
            design, passed = _validate(_parse(text, str(p), kind), str(p), text, kind)
        source = text if kind == "yaml" else None
        return Document(p, design, None, digest_bytes(raw), tuple(passed), source)
    with gc_paused():
        tree = _parse(text, str(p), kind, round_trip=True)
        # Tags (`!!str 5`) stay objects in the round-trip tree: read values as load_design.
        data = _parse(text, str(p), kind) if kind == "yaml" and "!" in text else plain(tree)
        design, passed = _validate(data, str(p), text, kind)
    return Document(p, design, tree if kind == "yaml" else None, digest_bytes(raw), tuple(passed))


def with_tree(doc: Document) -> Document:
    """`doc` ready for saves that keep its layout: with the round-trip tree built from the
    text read at open (same digest), or, for a text that is exactly what saving its design
    writes, without one (`written_as_saved`; `source` dropped all the same).

    A no-op for a document that has its tree, or has none to build (new, JSON, TOML).
    Safe to call from a worker thread: it reads nothing from disk.
    """
    if doc.tree is not None or doc.source is None:
        return doc
    if written_as_saved(doc):
        return replace(doc, source=None)
    with gc_paused():
        tree = _parse(doc.source, str(doc.path), "yaml", round_trip=True)
    return replace(doc, tree=tree, source=None)


def written_as_saved(doc: Document) -> bool:
    """Whether the bytes `doc` was read from are exactly what saving `doc.design` writes
    (`serialise.to_yaml`): no comment, key order, quoting or layout of a person's for a
    round-trip tree to keep, so saves write the design anew, and a field set later lands
    in the model's order, as in a new file. Cheap beside the tree: 0.65 s at 5,000
    services against ~25 s for ruamel's parse. Only asked of designs the fast writer
    takes whole (`serialise.fast_yaml`): for the others (long or multi-line text) writing
    them costs as much as the tree, which then keeps the file as it is.
    """
    source = doc.source
    if source is None or doc.digest is None or source.startswith("#") or "\n#" in source:
        return False  # a comment of theirs at the margin: no need to write anything to know
    from .serialise import Unsure, design_data, fast_yaml

    try:
        written = fast_yaml(design_data(doc.design))
    except Unsure:  # ruamel's own writer would take as long as the tree (~3 s at 1,000)
        return False
    return digest_bytes(written.encode("utf-8")) == doc.digest


def new_document(path: str | Path, design: Design) -> Document:
    """A document for a file that does not exist yet (first save creates it)."""
    return Document(Path(path), design, None, None)


# --------------------------------------------------------------------------- saving


def render(design: Design, path: Path, tree: Any = None) -> str:
    """The text `design` is saved as at `path` (format by extension; `tree` keeps layout)."""
    kind = _kind(path)
    if kind == "json":
        from .serialise import to_json

        return to_json(design)
    if kind == "toml":
        from .serialise import to_toml

        return to_toml(design)
    if tree is None:
        from .serialise import to_yaml

        return to_yaml(design)
    from .merge import merged_tree

    return render_yaml(merged_tree(tree, design))


def save_document(doc: Document, design: Design, *, force: bool = False) -> Document:
    """Save `design` over `doc.path`, keeping comments; refuse if the file changed on disk.

    Raises ExternalChangeError when the file's bytes differ from those loaded (or it
    appeared since a new document was made), unless `force`. The check is made again
    under the file's lock just before the rename and once more on what the rename
    displaced, so an edit landing while the design renders or writes is never lost: it
    stays on disk and the save is refused. FileLockedError: another save holds the lock.
    """
    expected: str | _Unchecked | None = UNCHECKED if force else doc.digest
    written = None
    if not force:
        written = _check_unchanged(doc.path, doc.digest)  # fail fast, before the render
    try:
        tree = with_tree(doc).tree  # a lazy open builds it now, from the bytes it read
    except DesignError:  # the fast loader took what ruamel refuses: save plain, not never
        tree = None
    text = render(design, doc.path, tree)
    if written is not None and tree is not None and _kind(doc.path) == "yaml":
        from .layout import keep_layout

        # the emitter re-wraps flow collections: lines the edit never touched stay as written
        text = keep_layout(written.decode("utf-8-sig", errors="replace"), text)
    data = text.encode("utf-8")
    stamp = _commit(Path(doc.path), data, backup=True, exclusive=False, expected=expected)
    return Document(doc.path, design, tree, digest_bytes(data), stamp=stamp)


def save_conflict_copy(doc: Document, design: Design) -> Path:
    """Write `design` next to `doc.path` as NAME.conflict-YYYYmmdd-HHMMSS.EXT; its path.

    For a save that cannot ask (the session is ending) and finds the file changed by
    someone else: both versions survive, neither is overwritten.
    """
    path = Path(doc.path)
    try:
        tree = with_tree(doc).tree
    except DesignError:
        tree = None
    data = render(design, path, tree).encode("utf-8")
    when = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        extra = "" if n == 1 else f"-{n}"
        target = path.with_name(f"{path.stem}.conflict-{when}{extra}{path.suffix}")
        try:
            atomic_write(target, data, backup=False, exclusive=True)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(f"{path}: too many conflict copies for {when}")


def atomic_write(path: Path, data: bytes, *, backup: bool = True, exclusive: bool = False) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    The bytes go to a temp file in the same folder, are fsynced, then renamed over
    `path`, under the advisory lock `PATH.lock`. With `backup`, the previous content is
    kept as `PATH.bak` (with the file's mode and owner). With `exclusive`,
    FileExistsError is raised (atomically) if `path` already exists. Many generated
    files at once: `many_files.write_many`.
    """
    _commit(Path(path), data, backup=backup, exclusive=exclusive, expected=UNCHECKED)


def sweep_stray_temps(paths: Iterable[Path]) -> None:
    """Remove the leftover temps (`strays`' judgement) of many files (their temps sit
    beside them: a symlink's are not looked for at its target), one scan a folder:
    scanning the folder for each file made writing N files into one folder quadratic
    (5,000 files of an OBSERVE export at 1,000 services: ~2.5 s of scans)."""
    by_folder: dict[Path, set[str]] = {}
    for p in map(Path, paths):
        by_folder.setdefault(p.parent, set()).add(p.name)
    for folder, names in by_folder.items():
        for stray in _stray_temps_in(folder, names):
            stray.unlink(missing_ok=True)


def file_stamp(path: Path) -> Stamp | None:
    """(device, inode, size, mtime_ns) of `path`, or None if it cannot be read.

    Equal to `Document.stamp` after our own save: the file is still the one we wrote.
    """
    try:
        return _stamp(os.stat(path))
    except OSError:
        return None


def strays(path: Path) -> list[Path]:
    """Leftovers of interrupted saves of `path`: temp files and a lock of dead writers.

    A temp file is stray when the process named in it has gone, or it is older than
    STALE_TEMP_AGE (its writer's pid reused, another host, an older STRATUS).
    """
    path = Path(path).resolve()
    found = _stray_temps(path)
    lock = _lock_path(path)
    try:
        content = lock.read_bytes()
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return found
    if _lock_is_stale(content, age):
        found.append(lock)
    return found


# ----------------------------------------------------------------- saving: internals

STALE_TEMP_AGE = 10 * 60
"""Seconds after which a temp file is abandoned even if a process with its pid lives."""
LOCK_WAIT = 10.0
"""Seconds a save waits for another save of the same file to release its lock."""
STALE_LOCK_AGE = 120.0
"""Seconds after which a lock is reclaimed even if a process with its pid lives."""
EMPTY_LOCK_AGE = 2.0
"""A lock without content: its writer died between creating and filling it."""

Stamp = tuple[int, int, int, int]


class _Unchecked:
    """Marker: replace whatever is on disk (atomic_write, a forced save)."""


UNCHECKED = _Unchecked()


class FileLockedError(OSError):
    """Another process holds `FILE.lock` (it is saving the same file) for too long."""


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _check_unchanged(path: Path, expected: str | None) -> bytes | None:
    """The file's bytes, checked to be the ones loaded (None: there is no file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO put there must not block
    except FileNotFoundError:
        return None  # deleted, or not created yet: nothing of anyone's to overwrite
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ExternalChangeError(f"{path} is no longer a regular file; not saving over it")
        current = _read_fd(fd)
    finally:
        os.close(fd)
    if digest_bytes(current) != expected:
        raise _changed(path)
    return current


def _commit(
    path: Path,
    data: bytes,
    *,
    backup: bool,
    exclusive: bool,
    expected: str | _Unchecked | None,
) -> Stamp:
    """Write `data` over `path` under its lock; the stamp of what was written.

    `expected` is the digest the file must still have (None: it must not exist), or
    UNCHECKED to replace whatever is there.
    """
    path = path.resolve()
    with _locked(path):
        # Under the lock no other STRATUS writes this file: any temp of it is a leftover.
        for stray in _stray_temps(path):
            stray.unlink(missing_ok=True)
        try:
            current: os.stat_result | None = os.stat(path)
        except FileNotFoundError:
            current = None
        tmp, fd = _new_temp(path)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                _take_over(fh.fileno(), current)
                os.fsync(fh.fileno())
                written = _stamp(os.fstat(fh.fileno()))
            if exclusive:
                _link_new(tmp, path)
            else:
                _replace_checked(tmp, path, expected, backup)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    _fsync_dir(path.parent)
    return written


def _replace_checked(
    tmp: Path, path: Path, expected: str | _Unchecked | None, backup: bool
) -> None:
    """Rename `tmp` over `path` if `path` still holds `expected`; else ExternalChangeError.

    The file is read through one descriptor; after the rename, what the rename displaced
    is compared with what was checked (same inode, same bytes). On Linux the rename is an
    atomic exchange, so a change that slipped in is swapped straight back.
    """
    checked = not isinstance(expected, _Unchecked)
    try:
        old_fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block us
    except FileNotFoundError:
        # Missing: a new file, or deleted since it was loaded (recreating it loses nothing).
        if checked:
            try:
                _link_new(tmp, path)  # created meanwhile by someone: refuse, keep theirs
            except FileExistsError:
                raise _changed(path) from None
        else:
            os.replace(tmp, path)
        return
    try:
        before = os.fstat(old_fd)
        if not stat.S_ISREG(before.st_mode):
            raise OSError(errno.EINVAL, "not a regular file; not saving over it", str(path))
        old = _read_fd(old_fd)
        after = os.fstat(old_fd)
        if checked and (_stamp(before) != _stamp(after) or digest_bytes(old) != expected):
            raise _changed(path)
        if backup:
            _write_plain(path.with_name(path.name + ".bak"), old, like=after)

        def unchanged() -> bool:
            return _stamp(os.fstat(old_fd)) == _stamp(after) and _read_fd(old_fd) == old

        if _exchange(tmp, path):
            # `tmp` now names what was at `path`: it must be the very file we checked.
            if checked:
                try:
                    displaced = os.stat(tmp, follow_symlinks=False)
                except OSError:
                    displaced = None
                same = displaced is not None and _stamp(displaced)[:2] == _stamp(after)[:2]
                if not (same and unchanged()):
                    _exchange(tmp, path)  # theirs goes back; ours is dropped with tmp
                    raise _changed(path)
            tmp.unlink()
        else:  # no atomic exchange here: the last look is just before the rename
            if checked:
                now = os.stat(path, follow_symlinks=False)
                if _stamp(now)[:2] != _stamp(after)[:2] or not unchanged():
                    raise _changed(path)
            os.replace(tmp, path)
    finally:
        os.close(old_fd)


def _changed(path: Path) -> ExternalChangeError:
    return ExternalChangeError(
        f"{path} changed on disk since it was loaded; reload it or save with force"
    )


def _read_fd(fd: int) -> bytes:
    chunks: list[bytes] = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _take_over(fd: int, like: os.stat_result | None) -> None:
    """Give the new file the old one's owner, group and mode (a new file: umask's mode)."""
    if like is None:
        os.fchmod(fd, 0o666 & ~_umask())
        return
    if (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, like.st_uid, like.st_gid)
        except OSError:  # EPERM unless root: the group is ours to give if we are in it
            with suppress(OSError):
                os.fchown(fd, -1, like.st_gid)
    os.fchmod(fd, like.st_mode & 0o777)  # after chown, which may clear mode bits


def _new_temp(path: Path) -> tuple[Path, int]:
    """A hidden temp file beside `path`, named with our pid so leftovers can be judged."""
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{_token(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue


# `.NAME.` + (`bak.`)? + pid.hex (ours) or 8 chars of mkstemp (older STRATUS) + `.tmp`
_TEMP_NAME = re.compile(r"(?:bak\.)?(?:(\d+)\.[0-9a-f]+|[a-z0-9_]{8})")


def _stray_temps(path: Path) -> list[Path]:
    return _stray_temps_in(path.parent, {path.name})


def _stray_temps_in(folder: Path, targets: set[str]) -> list[Path]:
    """Stray temps in `folder` of any of the files named `targets`, sorted."""
    now = time.time()
    found: list[Path] = []
    try:
        entries = os.scandir(folder)
    except OSError:
        return found
    with entries:
        for entry in entries:
            name = entry.name
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue  # most entries: not a temp of anything
            match = None
            for target in targets if len(targets) < 8 else _prefixes_of(name, targets):
                prefix = f".{target}."
                if name.startswith(prefix):
                    match = _TEMP_NAME.fullmatch(name[len(prefix) : -len(".tmp")])
                    if match is not None:
                        break
            if match is None:
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            pid = match.group(1)
            dead = pid is not None and not _pid_alive(int(pid))
            if dead or now - st.st_mtime > STALE_TEMP_AGE:
                found.append(Path(entry.path))
    return sorted(found)


def _prefixes_of(name: str, targets: set[str]) -> list[str]:
    """The targets `name` (`.TARGET.rest.tmp`) may be a temp of: each cut at a dot."""
    inner = name[1:]
    return [inner[:i] for i, ch in enumerate(inner) if ch == "." and inner[:i] in targets]


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    try:  # a killed process its parent has not reaped yet is a zombie: dead to us
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _lock_is_stale(content: bytes, age: float) -> bool:
    fields = content.decode("utf-8", "replace").split()
    if len(fields) < 2 or not fields[0].isdigit():
        return age > EMPTY_LOCK_AGE
    if fields[1] == _host() and not _pid_alive(int(fields[0])):
        return True
    return age > STALE_LOCK_AGE


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold `PATH.lock` (created with O_EXCL, as git's index.lock) while saving `path`.

    A lock left by a dead process (or very old) is reclaimed; a live one is waited for
    up to LOCK_WAIT seconds, then FileLockedError.
    """
    lock = _lock_path(path)
    token = f"{os.getpid()} {_host()} {_token(8)}\n".encode()
    deadline = time.monotonic() + LOCK_WAIT
    delay = 0.002
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            if _reclaim(lock):
                continue
            if time.monotonic() > deadline:
                holder = _read_quietly(lock).decode("utf-8", "replace").split()[:2]
                who = f"process {holder[0]} on {holder[1]}" if len(holder) == 2 else "?"
                raise FileLockedError(
                    errno.EBUSY,
                    f"another save of this file is in progress ({who}); try again, or "
                    f"delete {lock} if no STRATUS is running",
                    str(lock),
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
            continue
        try:
            os.write(fd, token)
        finally:
            os.close(fd)
        break
    try:
        yield
    finally:
        # Only our own lock: if ours was reclaimed as stale, another save holds it now.
        if _read_quietly(lock) == token:
            lock.unlink(missing_ok=True)


def _read_quietly(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _reclaim(lock: Path) -> bool:
    """Remove `lock` if its holder is gone; True if acquiring should be retried now."""
    try:
        content = lock.read_bytes()
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not _lock_is_stale(content, age):
        return False
    # Move it aside first, then make sure it was the stale lock judged and not a fresh
    # one taken meanwhile by another reclaimer (that one is put back).
    aside = lock.with_name(f"{lock.name}.{os.getpid()}.{_token(4)}.stale")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if aside.read_bytes() == content:
            return True
        with suppress(OSError):
            os.link(aside, lock)
        return False
    finally:
        aside.unlink(missing_ok=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2: Any = None
_renameat2_known = False


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap the names `a` and `b` (Linux renameat2); False where unsupported."""
    global _renameat2, _renameat2_known
    if not _renameat2_known:
        _renameat2_known = True
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
            except (OSError, AttributeError):
                _renameat2 = None
    if _renameat2 is None:
        return False
    import ctypes

    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # this filesystem cannot exchange: plain rename
    raise OSError(err, os.strerror(err), str(b))


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


def _write_plain(path: Path, data: bytes, *, like: os.stat_result | None = None) -> None:
    """Atomically replace `path` (the `.bak`), with the mode and owner of `like`."""
    tmp, fd = _new_temp(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            _take_over(fh.fileno(), like)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
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
