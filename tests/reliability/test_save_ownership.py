"""A save keeps the file's owner, group and mode; `.bak` gets the file's mode (item 10)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from stratus_tui.core.store import design_file as store
from stratus_tui.core.store.design_file import open_document, save_document

pytestmark = pytest.mark.reliability

DESIGN = "stratus: 1\nname: Shared  # a team's file\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_owner_group_and_mode_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(DESIGN)
    os.chown(path, 4242, 4343)
    path.chmod(0o640)
    doc = open_document(path)
    save_document(doc, doc.design.model_copy(update={"name": "Renamed"}))
    after = path.stat()
    assert (after.st_uid, after.st_gid, _mode(path)) == (4242, 4343, 0o640)
    bak = path.with_name("d.yaml.bak")
    assert bak.read_text() == DESIGN
    assert (bak.stat().st_uid, bak.stat().st_gid, _mode(bak)) == (4242, 4343, 0o640)


def test_bak_gets_the_files_mode_not_0600(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(DESIGN)
    path.chmod(0o664)
    doc = open_document(path)
    save_document(doc, doc.design.model_copy(update={"name": "Renamed"}))
    assert _mode(path) == 0o664
    assert _mode(path.with_name("d.yaml.bak")) == 0o664


def test_not_permitted_to_give_the_owner_back_keeps_the_group_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a user who is not root: the owner cannot be given away (EPERM), the group can
    (when the saver belongs to it); the save succeeds either way."""
    path = tmp_path / "d.yaml"
    path.write_text(DESIGN)
    path.chmod(0o640)
    me, group = os.geteuid(), os.getegid()
    real = path.stat()
    owner, other_group = real.st_uid + 1, real.st_gid + 1  # someone else's file
    calls: list[tuple[int, int]] = []

    def fchown(fd: int, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(1, "Operation not permitted")

    fake = os.stat_result((real.st_mode, *real[1:4], owner, other_group, *real[6:]))
    real_stat = os.stat

    def stat_as_if_theirs(p: object, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(p, *args, **kwargs)  # type: ignore[arg-type]
        return fake if Path(str(p)) == path and result.st_ino == real.st_ino else result

    doc = open_document(path)
    monkeypatch.setattr(os, "fchown", fchown)
    monkeypatch.setattr(os, "stat", stat_as_if_theirs)
    save_document(doc, doc.design.model_copy(update={"name": "Renamed"}))
    assert calls[:2] == [(owner, other_group), (-1, other_group)]
    assert store.load_design(path).name == "Renamed"
    assert _mode(path) == 0o640
    assert (path.stat().st_uid, path.stat().st_gid) == (me, group)
