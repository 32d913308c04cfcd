"""kill -9 during saves: never a corrupt file, never a lost acknowledged save, no litter.

Issue 12, proof for items 6 and 9: children forked from one warm process save a largish
design over and over and are killed at a random point of a random phase of a save.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.gen import write_design
from stratus_tui.core.store.design_file import atomic_write, open_document, save_document, strays

from .savekit import PHASES, kill_loop

pytestmark = pytest.mark.reliability


def test_kill_9_during_saves(tmp_path: Path) -> None:
    design = write_design(12, tmp_path / "design.yaml")  # 8 KB, as in the review
    figures = kill_loop(design, kills=3 * len(PHASES), seed=12)
    assert figures.problems == []
    assert figures.corrupted == 0
    assert figures.acknowledged_lost == 0
    assert figures.temps_left_after_next_save == 0
    assert figures.temps_after_kill > 0  # the kills did land inside writes
    assert set(figures.by_phase) == set(PHASES)
    # One more save by a live process: nothing left of any dead writer.
    doc = open_document(design)
    save_document(doc, doc.design.model_copy(update={"name": "after the kills"}))
    assert strays(design) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design.yaml", "design.yaml.bak"]


def test_strays_lists_dead_writers_leftovers_only(tmp_path: Path) -> None:
    target = tmp_path / "d.yaml"
    atomic_write(target, b"stratus: 1\nname: x\n")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    dead_temp = tmp_path / f".d.yaml.{dead_pid}.0badcafe.tmp"
    dead_bak_temp = tmp_path / f".d.yaml.bak.{dead_pid}.0badcafe.tmp"
    live_temp = tmp_path / f".d.yaml.{os.getpid()}.feedbeef.tmp"  # a save under way
    other_file = tmp_path / f".e.yaml.{dead_pid}.0badcafe.tmp"
    lock = tmp_path / "d.yaml.lock"
    for p in (dead_temp, dead_bak_temp, live_temp, other_file):
        p.write_bytes(b"half")
    lock.write_text(f"{dead_pid} {socket.gethostname()} 00\n")
    assert strays(target) == [*sorted([dead_bak_temp, dead_temp]), lock]
    # An old temp from an older STRATUS (mkstemp name, no pid) is stray once it is old.
    legacy = tmp_path / ".d.yaml.k2j_x9aa.tmp"
    legacy.write_bytes(b"half")
    assert legacy not in strays(target)
    os.utime(legacy, (1, 1))
    assert legacy in strays(target)
    atomic_write(target, b"stratus: 1\nname: y\n")  # prunes and reclaims the dead lock
    assert strays(target) == []
    assert live_temp.exists() and other_file.exists()
    assert not lock.exists()
