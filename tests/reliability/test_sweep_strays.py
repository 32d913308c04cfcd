"""An export writes many files into one folder: their leftover temps are swept with one
scan of the folder (`sweep_stray_temps`), then each file is written without scanning it
again. The same judgement as `strays` for each file, few targets or many."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stratus_tui.core.export.bundle import Plan, write_plan
from stratus_tui.core.store.design_file import strays, sweep_stray_temps
from tests.support.processes import dead_pid


@pytest.mark.parametrize("count", [1, 3, 40])  # under and over the per-target scan limit
def test_sweeps_what_strays_would_and_nothing_else(tmp_path: Path, count: int) -> None:
    gone = dead_pid()
    targets = [tmp_path / f"slo.{i}.yaml" for i in range(count)]  # dots in names
    dead = [tmp_path / f".{t.name}.{gone}.0badcafe.tmp" for t in targets]
    dead_bak = tmp_path / f".{targets[0].name}.bak.{gone}.0badcafe.tmp"
    live = tmp_path / f".{targets[-1].name}.{os.getpid()}.feedbeef.tmp"  # a save under way
    other = tmp_path / f".not-a-target.yaml.{gone}.0badcafe.tmp"
    legacy_old = tmp_path / f".{targets[0].name}.k2j_x9aa.tmp"
    odd = tmp_path / f".{targets[0].name}.whatever.tmp"  # not our temp-name pattern
    for p in (*dead, dead_bak, live, other, legacy_old, odd):
        p.write_bytes(b"half")
    os.utime(legacy_old, (1, 1))
    expected = sorted(p for t in targets for p in strays(t))
    assert set(expected) == {*dead, dead_bak, legacy_old}
    sweep_stray_temps(targets)
    assert all(strays(t) == [] for t in targets)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(p.name for p in (live, other, odd))


def test_an_export_leaves_no_temps_and_writes_every_file(tmp_path: Path) -> None:
    gone = dead_pid()
    root = tmp_path / "out"
    (root / "openslo").mkdir(parents=True)
    names = [f"openslo/s{i}.yaml" for i in range(30)]
    leftover = root / "openslo" / f".s7.yaml.{gone}.0badcafe.tmp"
    leftover.write_bytes(b"half")
    plan = Plan(files={n: f"slo {i}\n".encode() for i, n in enumerate(names)}, optional=())
    result = write_plan(plan, root)
    assert sorted(result.written) == sorted(names)
    assert not leftover.exists()
    assert sorted(p.name for p in (root / "openslo").iterdir()) == sorted(
        Path(n).name for n in names
    )
    assert (root / "openslo" / "s7.yaml").read_bytes() == b"slo 7\n"
