"""`write_many`: an export's files, each atomic, flushed to disk together (issue 21).

Proofs: every file lands with the right bytes and mode; a failure before the first
rename changes nothing and leaves no temp; the temps are flushed by one `syncfs`, not an
fsync each (an fsync each where there is no `syncfs`); and kill -9 at any step of a
batch leaves every file whole, an acknowledged batch never lost, no temp after the next.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from stratus_tui.core.store import many_files
from stratus_tui.core.store.design_file import strays
from stratus_tui.core.store.many_files import write_many

from .savekit import ANNOUNCE

ROOT = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_writes_every_file_keeping_modes(tmp_path: Path) -> None:
    kept = tmp_path / "openslo" / "kept.yaml"
    kept.parent.mkdir()
    kept.write_bytes(b"old\n")
    kept.chmod(0o640)
    files = [
        (kept, b"new\n"),
        (tmp_path / "openslo" / "fresh.yaml", b"fresh\n"),
        (tmp_path / "deep" / "er" / "rules.yaml", b"rules\n"),  # folders made
    ]
    write_many(files)
    assert _tree(tmp_path) == {
        "deep/er/rules.yaml": b"rules\n",
        "openslo/fresh.yaml": b"fresh\n",
        "openslo/kept.yaml": b"new\n",
    }
    assert kept.stat().st_mode & 0o777 == 0o640
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "openslo" / "fresh.yaml").stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failure_before_the_renames_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"a old\n")
    (tmp_path / "blocker").write_bytes(b"a file where a folder is needed\n")
    before = _tree(tmp_path)
    files = [
        (tmp_path / "a.yaml", b"a new\n"),
        (tmp_path / "b.yaml", b"b new\n"),
        (tmp_path / "blocker" / "c.yaml", b"c new\n"),  # its folder cannot be made
    ]
    with pytest.raises(OSError):
        write_many(files)
    assert _tree(tmp_path) == before  # no temp, nothing replaced


def test_a_failed_flush_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.yaml").write_bytes(b"a old\n")
    before = _tree(tmp_path)

    def broken(anywhere: Path, temps: list[Path]) -> None:
        assert all(t.exists() for t in temps)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(many_files, "_flush_all", broken)
    with pytest.raises(OSError, match="Input/output"):
        write_many([(tmp_path / "a.yaml", b"a new\n"), (tmp_path / "b.yaml", b"b\n")])
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("has_syncfs", [True, False])
def test_one_flush_for_all_the_temps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, has_syncfs: bool
) -> None:
    if has_syncfs and many_files._syncfs() is None:
        pytest.skip("no syncfs in this libc")
    if not has_syncfs:
        monkeypatch.setattr(many_files, "_syncfs", lambda: None)
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc") else "?")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)  # the module's own calls and design_file's
    files = [(tmp_path / "out" / f"s{i}.yaml", f"slo {i}\n".encode()) for i in range(20)]
    write_many(files)
    assert _tree(tmp_path / "out") == {f"s{i}.yaml": f"slo {i}\n".encode() for i in range(20)}
    temps = [s for s in synced if s.endswith(".tmp")]
    folders = [s for s in synced if not s.endswith(".tmp")]
    assert len(temps) == (0 if has_syncfs else 20)
    assert sorted(folders) == sorted({str(tmp_path), str(tmp_path / "out")})


# ------------------------------------------------------------------ kill -9 mid-batch

CHILD = (
    ANNOUNCE
    + """
import os, sys
from pathlib import Path
from stratus_tui.core.store import many_files

root = Path(sys.argv[1])
count = int(sys.argv[2])

many_files._new_temp = announce("temp", many_files._new_temp)
many_files._flush_all = announce("flush", many_files._flush_all)
many_files._fsync_dir = announce("dirsync", many_files._fsync_dir)
os.replace = announce("rename", os.replace)
version = int(sys.argv[3])
while True:
    version += 1
    body = lambda i: f"version {version} file {i}\\n".encode() * (50 + 7 * i)
    many_files.write_many([(root / f"f{i}.yaml", body(i)) for i in range(count)])
    say(f"ack {version}")
"""
)

PHASES = ("temp", "flush", "rename", "dirsync")


def _versions(root: Path, count: int) -> list[int]:
    """Each file's version, checking it is whole: one version repeated, full length."""
    found = []
    for i in range(count):
        data = (root / f"f{i}.yaml").read_bytes()
        line = data.split(b"\n", 1)[0] + b"\n"
        assert data == line * (50 + 7 * i), f"f{i}.yaml is not whole"
        version, file = line.split()[1], line.split()[3]
        assert int(file) == i
        found.append(int(version))
    return found


def test_kill_9_at_every_step_of_a_batch(tmp_path: Path) -> None:
    count = 12
    rng = random.Random(21)
    write_many(
        [
            (tmp_path / f"f{i}.yaml", f"version 0 file {i}\n".encode() * (50 + 7 * i))
            for i in range(count)
        ]
    )
    acked = 0
    killed_in: set[str] = set()
    temps_seen = 0
    for round_ in range(4 * len(PHASES)):
        phase = PHASES[round_ % len(PHASES)]
        nth = rng.randint(1, count if phase in ("temp", "rename") else 1)
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                str(tmp_path),
                str(count),
                str(max(_versions(tmp_path, count))),
            ],
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        assert child.stdout is not None
        seen = 0
        for raw in child.stdout:
            line = raw.decode().strip()
            if line.startswith("ack "):
                acked = int(line.split()[1])
            elif line == f"at {phase}":
                seen += 1
                if seen == nth:
                    child.send_signal(signal.SIGKILL)
                    killed_in.add(phase)
                    break
        child.wait()
        child.stdout.close()
        versions = _versions(tmp_path, count)  # every file whole
        assert min(versions) >= acked  # an acknowledged batch is never lost
        temps_seen += len([p for p in tmp_path.iterdir() if p.name.endswith(".tmp")])
    assert killed_in == set(PHASES)
    assert temps_seen > 0  # the kills did land while temps existed
    # The next batch by a live process sweeps the dead writers' temps.
    write_many([(tmp_path / f"f{i}.yaml", b"after\n") for i in range(count)])
    assert all(strays(tmp_path / f"f{i}.yaml") == [] for i in range(count))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
