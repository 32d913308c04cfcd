"""Writing many generated files at once, each atomically, with one flush to disk.

`atomic_write` fsyncs each file and its folder: right for the design file, but an
OBSERVE export writes 5,000 files at 1,000 services, and 10,000 fsyncs (each a journal
commit that the next file's creation then waits on) took most of its 8-13 s. Here
every file still goes to a temp beside it and is renamed over its path, so a crash
leaves each file either whole-old or whole-new; but the temps are flushed together
(Linux `syncfs`, one call for the file system; elsewhere an fsync each) before the
first rename, and each folder is fsynced once after the last.

No per-file lock: these are generated files written without a backup or a check of
what is there (`atomic_write`'s UNCHECKED case), so two writers racing leave one whole
version either way; a live writer's temps are never swept (`sweep_stray_temps` judges
by pid).
"""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from .design_file import _fsync_dir, _new_temp, _take_over, sweep_stray_temps


def write_many(files: Sequence[tuple[Path, bytes]], *, fsync_each: bool = False) -> None:
    """Write each `(path, data)` atomically (folders created as needed); the temp of
    each is beside the path as given (callers resolve links first, if they follow them).

    Either every file is renamed into place, or, if anything fails before the first
    rename, none is and no temp is left. `fsync_each`: flush each temp on its own (what
    happens anyway where `syncfs` is missing); tests use it to cover that path.
    """
    if not files:
        return
    paths = [Path(p) for p, _data in files]
    sweep_stray_temps(paths)
    folders: set[Path] = set()
    temps: list[tuple[Path, Path]] = []
    try:
        for path, (_given, data) in zip(paths, files, strict=True):
            if path.parent not in folders:
                folders.update(_make_folder(path.parent))
            try:
                current: os.stat_result | None = os.stat(path)
            except FileNotFoundError:
                current = None
            tmp, fd = _new_temp(path)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                _take_over(fh.fileno(), current)
                if fsync_each:
                    os.fsync(fh.fileno())
        if not fsync_each:
            _flush_all(paths[0].parent, [tmp for tmp, _path in temps])
    except BaseException:
        for tmp, _path in temps:
            tmp.unlink(missing_ok=True)
        raise
    renamed = 0
    try:
        for tmp, path in temps:
            os.replace(tmp, path)
            renamed += 1
    except BaseException:  # the files renamed so far are whole; the rest stay as they were
        for tmp, _path in temps[renamed:]:
            tmp.unlink(missing_ok=True)
        raise
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        _fsync_dir(folder)


def _make_folder(folder: Path) -> list[Path]:
    """`folder` and the folders whose entries change when it is created (to fsync)."""
    changed = [folder]
    missing = folder
    while not missing.exists():
        changed.append(missing.parent)
        missing = missing.parent
    folder.mkdir(parents=True, exist_ok=True)
    return changed


def _flush_all(anywhere: Path, temps: list[Path]) -> None:
    """Every temp's bytes on disk: one `syncfs` of their file system where Linux has
    it (an error there is reported since Linux 5.8), else an fsync each."""
    syncfs = _syncfs()
    if syncfs is not None:
        fd = os.open(anywhere, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
        err = ctypes.get_errno()
        if err not in (0, errno.ENOSYS):  # no syncfs in this kernel: fall back below
            raise OSError(err, os.strerror(err), str(anywhere))
    for tmp in temps:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@cache
def _syncfs() -> Callable[[int], int] | None:
    """libc's `syncfs`, or None where there is none (macOS, Windows, some libcs)."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).syncfs  # the symbols already loaded: libc's
    except (OSError, AttributeError, TypeError):
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = ctypes.c_int
    syncfs: Callable[[int], int] = fn
    return syncfs
