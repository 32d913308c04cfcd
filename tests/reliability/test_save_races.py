"""An external writer racing saves: never a silent overwrite (issue 12, item 6).

First every window of a save, deterministically: the other writer's write lands exactly
at one step of the save (after the render, after the temp file, after the .bak, just
before the rename, just after it), written in place or by rename. Then a real second
process writing at random moments while saves run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.gen import write_design
from stratus_tui.core.store import design_file as store
from stratus_tui.core.store.design_file import ExternalChangeError, open_document, save_document

from .savekit import race_loop

pytestmark = pytest.mark.reliability

THEIRS = b"stratus: 1\nname: Theirs\n"


def _write_theirs(path: Path, how: str) -> None:
    if how == "rename":
        tmp = path.with_name("theirs.tmp")
        tmp.write_bytes(THEIRS)
        os.replace(tmp, path)
    else:
        with open(path, "wb") as fh:
            fh.write(THEIRS)


def _after(fn: Callable[..., Any], then: Callable[[], None], first_only: bool = True) -> Any:
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        result = fn(*args, **kwargs)
        calls += 1
        if calls == 1 or not first_only:
            then()
        return result

    return wrapped


def _before(fn: Callable[..., Any], then: Callable[[], None]) -> Any:
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            then()
        return fn(*args, **kwargs)

    return wrapped


# (where their write lands, is our save refused?)
WINDOWS = [
    ("after the render", True),
    ("after the temp file", True),
    ("after the .bak", True),
    ("just before the rename", True),
    ("just after the rename", False),
]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "plain-rename"])
@pytest.mark.parametrize("how", ["in place", "rename"])
@pytest.mark.parametrize(("window", "refused"), WINDOWS, ids=[w for w, _ in WINDOWS])
def test_their_write_inside_the_save_window_is_never_lost(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    window: str,
    refused: bool,
    how: str,
    exchange: bool,
) -> None:
    path = write_design(12, tmp_path / "design.yaml")
    doc = open_document(path)
    if not exchange:  # a filesystem without renameat2's exchange: checked, then renamed
        if window == "just after the rename":
            pytest.skip("plain rename: the check cannot follow the rename")
        monkeypatch.setattr(store, "_exchange", lambda a, b: False)

    def land() -> None:
        _write_theirs(path, how)

    if window == "after the render":
        monkeypatch.setattr(store, "render", _after(store.render, land))
    elif window == "after the temp file":
        monkeypatch.setattr(store, "_new_temp", _after(store._new_temp, land))
    elif window == "after the .bak":
        monkeypatch.setattr(store, "_write_plain", _after(store._write_plain, land))
    elif window == "just before the rename":
        if exchange:
            monkeypatch.setattr(store, "_exchange", _before(store._exchange, land))
        else:
            monkeypatch.setattr(os, "replace", _before(os.replace, land))
    else:
        monkeypatch.setattr(store, "_exchange", _after(store._exchange, land))

    ours = doc.design.model_copy(update={"name": "Ours"})
    if refused:
        with pytest.raises(ExternalChangeError):
            save_document(doc, ours)
    else:
        save_document(doc, ours)
    assert path.read_bytes() == THEIRS
    # Refused or not, nothing of the save is left behind but the .bak.
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["design.yaml"],
        ["design.yaml", "design.yaml.bak"],
    )


def test_a_second_process_writing_at_random_moments(tmp_path: Path) -> None:
    path = write_design(12, tmp_path / "design.yaml")
    figures = race_loop(path, rounds=40, seed=6)
    assert figures.problems == []
    assert figures.silent_overwrites == 0
    assert figures.rounds == 40


def test_a_save_waits_for_another_saves_lock_then_refuses_its_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two STRATUS saves of one file: the lock serialises them and the second, based on
    the bytes the first replaced, is refused instead of overwriting the first."""
    import threading

    path = write_design(5, tmp_path / "design.yaml")
    first, second = open_document(path), open_document(path)
    inside, release = threading.Event(), threading.Event()
    real_new_temp, real_reclaim = store._new_temp, store._reclaim

    def held_new_temp(p: Path) -> tuple[Path, int]:
        if threading.current_thread().name == "first":  # holds the lock until released
            inside.set()
            release.wait(30)
        return real_new_temp(p)

    def reclaim(lock: Path) -> bool:
        # The second save found the lock taken (by a live process: not reclaimed).
        assert lock.read_text().split()[0] == str(os.getpid())
        release.set()
        return real_reclaim(lock)

    monkeypatch.setattr(store, "_new_temp", held_new_temp)
    monkeypatch.setattr(store, "_reclaim", reclaim)
    errors: list[BaseException] = []

    def save_first() -> None:
        try:
            save_document(first, first.design.model_copy(update={"name": "First"}))
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=save_first, name="first")
    thread.start()
    assert inside.wait(30)
    with pytest.raises(ExternalChangeError):
        save_document(second, second.design.model_copy(update={"name": "Second"}))
    thread.join(30)
    assert release.is_set()  # the second save did wait on the first's lock
    assert errors == []
    assert store.load_design(path).name == "First"
    assert not (tmp_path / "design.yaml.lock").exists()


def test_a_fifo_put_in_place_of_the_file_is_refused_without_blocking(tmp_path: Path) -> None:
    """Someone replaced the design with a named pipe: opening it to check it must not
    wait for a writer forever, and a save never replaces what is not a regular file."""
    import subprocess
    import sys

    path = write_design(3, tmp_path / "design.yaml")
    script = f"""
import os
from pathlib import Path
from stratus_tui.core.store.design_file import (
    ExternalChangeError,
    atomic_write,
    open_document,
    save_document,
)
path = Path({str(path)!r})
doc = open_document(path)
path.unlink()
os.mkfifo(path)
try:
    save_document(doc, doc.design.model_copy(update={{"name": "Mine"}}))
except ExternalChangeError as exc:
    print("refused:", exc)
try:
    atomic_write(path, b"stratus: 1\\nname: forced\\n")
except OSError as exc:
    print("forced:", exc.strerror)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert "refused: " in done.stdout and "no longer a regular file" in done.stdout, done
    assert "forced: not a regular file; not saving over it" in done.stdout, done
    assert path.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.yaml"]
