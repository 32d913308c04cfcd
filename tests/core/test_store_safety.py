"""Saves are atomic, keep a backup, and never clobber someone else's change."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stratus_tui.core.model import Design
from stratus_tui.core.store import design_file as store
from stratus_tui.core.store.design_file import (
    ExternalChangeError,
    atomic_write,
    new_document,
    open_document,
    save_document,
)

ORIGINAL = "stratus: 1\nname: Original  # keep me\n"


def _doc(tmp_path: Path) -> store.Document:
    path = tmp_path / "d.yaml"
    path.write_text(ORIGINAL)
    return open_document(path)


def test_save_keeps_previous_version_as_bak(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    save_document(doc, doc.design.model_copy(update={"name": "New"}))
    assert (tmp_path / "d.yaml.bak").read_text() == ORIGINAL
    # ruamel keeps an end-of-line comment in its column.
    assert re.search(r"^name: New +# keep me$", doc.path.read_text(), re.M)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "plain-rename"])
def test_replace_failing_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    doc = _doc(tmp_path)

    def boom(src: object, dst: object) -> None:
        if str(dst).endswith("d.yaml"):
            raise OSError("disk on fire")
        os.rename(src, dst)  # type: ignore[arg-type]

    def boom_exchange(a: Path, b: Path) -> bool:
        if not exchange:
            return False  # a filesystem without RENAME_EXCHANGE: os.replace is used
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", boom)
    monkeypatch.setattr(store, "_exchange", boom_exchange)
    with pytest.raises(OSError, match="disk on fire"):
        save_document(doc, doc.design.model_copy(update={"name": "New"}))
    assert doc.path.read_text() == ORIGINAL
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from stratus_tui.core.store import design_file as store
real_fsync = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(30)  # killed here: the temp file is written, the rename has not happened
store.os.fsync = slow_fsync
store.atomic_write(Path(sys.argv[1]), b"stratus: 1\\nname: Half" + b"x" * 5_000_000)
"""


def test_process_killed_mid_write_leaves_old_file(tmp_path: Path) -> None:
    target = tmp_path / "d.yaml"
    target.write_text(ORIGINAL)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert target.read_text() == ORIGINAL
    # The leftovers are a hidden temp sibling and the dead writer's lock, never the design.
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "d.yaml")
    assert "d.yaml.lock" in leftovers
    temps = [n for n in leftovers if n != "d.yaml.lock"]
    assert temps and all(n.startswith(".d.yaml.") and n.endswith(".tmp") for n in temps)
    # The next save reclaims the lock and removes the dead writer's temp file.
    atomic_write(target, b"stratus: 1\nname: Next\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml", "d.yaml.bak"]


def test_external_change_is_refused_unless_forced(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    time.sleep(0.01)
    doc.path.write_text("stratus: 1\nname: Someone else\n")
    with pytest.raises(ExternalChangeError, match="changed on disk"):
        save_document(doc, doc.design.model_copy(update={"name": "Mine"}))
    assert "Someone else" in doc.path.read_text()
    saved = save_document(doc, doc.design.model_copy(update={"name": "Mine"}), force=True)
    assert "name: Mine" in doc.path.read_text()
    # The returned document knows the new bytes: saving again is not a conflict.
    save_document(saved, saved.design.model_copy(update={"name": "Again"}))
    assert "name: Again" in doc.path.read_text()


def test_new_document_refuses_a_file_that_appeared(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    doc = new_document(path, Design(name="Mine"))
    path.write_text(ORIGINAL)
    with pytest.raises(ExternalChangeError):
        save_document(doc, doc.design)
    assert path.read_text() == ORIGINAL


def test_exclusive_write_never_clobbers(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(ORIGINAL)
    with pytest.raises(FileExistsError):
        atomic_write(path, b"other", exclusive=True)
    assert path.read_text() == ORIGINAL
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_write_through_symlink_replaces_target(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(ORIGINAL)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    atomic_write(link, b"stratus: 1\nname: Via link\n")
    assert link.is_symlink()
    assert real.read_text() == "stratus: 1\nname: Via link\n"


def test_mode_bits_survive_a_save(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    doc.path.chmod(0o600)
    saved = store.Document(
        doc.path, doc.design, doc.tree, store.digest_bytes(doc.path.read_bytes())
    )
    save_document(saved, doc.design.model_copy(update={"name": "New"}))
    assert doc.path.stat().st_mode & 0o777 == 0o600


def test_new_files_get_the_usual_mode_not_0600(tmp_path: Path) -> None:
    import os
    import stat

    from stratus_tui.core.store.design_file import atomic_write

    old = os.umask(0o022)
    try:
        target = tmp_path / "new.yaml"
        atomic_write(target, b"stratus: 1\nname: x\n")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        exclusive = tmp_path / "exclusive.yaml"
        atomic_write(exclusive, b"stratus: 1\nname: x\n", exclusive=True)
        assert stat.S_IMODE(exclusive.stat().st_mode) == 0o644
    finally:
        os.umask(old)
