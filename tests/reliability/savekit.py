"""Shared by the save proofs and benchmarks/reliability_long.py: kill -9 and race loops.

Each loop returns its figures; the tests run them small, the benchmark long.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from stratus_tui.core.problems import DesignError
from stratus_tui.core.store.design_file import load_design

ROOT = Path(__file__).resolve().parents[2]

# Where a save can be when the kill lands: the functions the child announces on entry.
PHASES = ("lock", "render", "temp", "fsync", "bak", "swap", "dirsync")

ANNOUNCE = """
import os

def say(line):
    os.write(1, (line + "\\n").encode())  # one write: a line is never cut by a kill

def announce(name, fn):
    def wrapped(*args, **kwargs):
        say("at " + name)
        return fn(*args, **kwargs)
    return wrapped
"""
"""A child's `say` (a line to the parent) and `announce` (say a function's name as it is
entered): the parent kills it on the announcement it waits for."""

ZYGOTE = (
    ANNOUNCE
    + """
import os, sys
from pathlib import Path
from stratus_tui.core.store import design_file as store
from stratus_tui.core.store.design_file import open_document, save_document

path = Path(sys.argv[1])

def saver(start):
    store._locked = announce("lock", store._locked)
    store.render = announce("render", store.render)
    store._new_temp = announce("temp", store._new_temp)
    store.os.fsync = announce("fsync", store.os.fsync)
    store._write_plain = announce("bak", store._write_plain)
    store._exchange = announce("swap", store._exchange)
    store._fsync_dir = announce("dirsync", store._fsync_dir)
    doc = open_document(path)
    i = start
    while True:
        i += 1
        doc = save_document(doc, doc.design.model_copy(update={"name": f"save {i}"}))
        say(f"ack {i}")

for line in sys.stdin:
    command, _, arg = line.strip().partition(" ")
    if command == "go":
        pid = os.fork()
        if pid == 0:
            try:
                saver(int(arg))
            finally:
                os._exit(0)
        say(f"pid {pid}")
    elif command == "reap":
        os.waitpid(int(arg), 0)
        say("reaped")
"""
)


@dataclass
class KillFigures:
    kills: int = 0
    corrupted: int = 0
    acknowledged_lost: int = 0
    temps_after_kill: int = 0
    temps_left_after_next_save: int = 0
    by_phase: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _index(name: str) -> int:
    return int(name.removeprefix("save ")) if name.startswith("save ") else 0


def _temps(path: Path) -> set[Path]:
    return {p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")}


def kill_loop(path: Path, kills: int, seed: int) -> KillFigures:
    """Save `path` over and over in forked children, SIGKILL each at a random phase.

    After each kill: the file must load, hold the last acknowledged save or the one in
    flight, and the next child's first save must have removed the dead one's temp files.
    A forked child starts in a millisecond, so kills are cheap.
    """
    rng = random.Random(seed)
    figures = KillFigures()
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
        bufsize=1,
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        on_disk = _index(load_design(path).name)
        leftovers: set[Path] = set()
        for k in range(kills):
            zygote.stdin.write(f"go {on_disk}\n")
            pid = int(zygote.stdout.readline().split()[1])
            phase = PHASES[k % len(PHASES)]  # every phase in turn, at a random occurrence
            # fsync comes twice per save (file, .bak); lock/temp once; let some saves finish.
            wanted = rng.randint(1, 3)
            seen, acked = 0, on_disk
            checked_leftovers = False
            for line in zygote.stdout:
                word, _, arg = line.strip().partition(" ")
                if word == "ack":
                    acked = int(arg)
                    if not checked_leftovers:  # the first save of this child is done
                        figures.temps_left_after_next_save += len(leftovers & _temps(path))
                        checked_leftovers = True
                elif word == "at" and arg == phase:
                    seen += 1
                    if seen == wanted:
                        os.kill(pid, signal.SIGKILL)
                        break
            zygote.stdin.write(f"reap {pid}\n")
            for line in zygote.stdout:
                if line.strip() == "reaped":
                    break
            figures.kills += 1
            figures.by_phase[phase] = figures.by_phase.get(phase, 0) + 1
            try:
                on_disk = _index(load_design(path).name)
                backup = path.with_name(path.name + ".bak")
                if backup.exists():
                    load_design(backup)
            except DesignError as exc:
                figures.corrupted += 1
                figures.problems.append(f"kill {figures.kills} at {phase}: {exc}")
                break
            if not acked <= on_disk <= acked + 1:
                figures.acknowledged_lost += 1
                figures.problems.append(f"acked save {acked}, file holds save {on_disk}")
            leftovers = _temps(path)
            figures.temps_after_kill += len(leftovers)
    finally:
        zygote.stdin.close()
        zygote.kill()
        zygote.wait()
    return figures


# ----------------------------------------------------------------- an external writer

WRITER = """
import os, sys, time
from pathlib import Path

path = Path(sys.argv[1])
base = path.read_bytes()
start = time.perf_counter()
for _ in range(1_000_000):
    pass
os.write(1, f"rate {1_000_000 / (time.perf_counter() - start):.0f}\\n".encode())
for line in sys.stdin:
    _, n, how, spin = line.split()
    for _ in range(int(spin)):  # land somewhere inside the save running meanwhile
        pass
    data = base + f"# theirs {n}\\n".encode()  # as large as the design we save
    if how == "rename":  # as editors that write a new file and rename it
        tmp = path.with_name(f"{path.name}.theirs")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    else:  # in place, as editors that truncate and rewrite
        with open(path, "wb") as fh:
            fh.write(data)
    os.write(1, f"done {n}\\n".encode())
"""


@dataclass
class RaceFigures:
    rounds: int = 0
    refused: int = 0
    saved_then_overwritten: int = 0
    silent_overwrites: int = 0
    problems: list[str] = field(default_factory=list)


def race_loop(path: Path, rounds: int, seed: int) -> RaceFigures:
    """An external process writes `path` while this one saves it, `rounds` times.

    Each round: open, tell the writer to write after a random spin of up to about one
    save's duration, save. Whatever the timing, the writer's bytes must be on disk at the
    end of the round: either our save was refused (ExternalChangeError) or theirs landed
    after it. (Timing only spreads where the writes land; no outcome depends on it.)
    """
    import time

    from stratus_tui.core.store.design_file import ExternalChangeError, open_document, save_document

    rng = random.Random(seed)
    figures = RaceFigures()
    doc = open_document(path)
    start = time.perf_counter()
    save_document(doc, doc.design)
    save_seconds = time.perf_counter() - start
    base = path.read_bytes()  # the writer writes this, plus a comment naming the round
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
        bufsize=1,
    )
    assert writer.stdin is not None and writer.stdout is not None
    spin = max(1, int(float(writer.stdout.readline().split()[1]) * save_seconds * 1.2))
    try:
        for n in range(rounds):
            doc = open_document(path)
            how = rng.choice(("rename", "inplace"))
            writer.stdin.write(f"go {n} {how} {rng.randrange(spin)}\n")
            ours = doc.design.model_copy(update={"name": f"ours {n}"})
            try:
                save_document(doc, ours)
                refused = False
            except ExternalChangeError:
                refused = True
            assert writer.stdout.readline().strip() == f"done {n}"
            figures.rounds += 1
            theirs = base + f"# theirs {n}\n".encode()
            if path.read_bytes() != theirs:
                figures.silent_overwrites += 1
                figures.problems.append(f"round {n} ({how}): their write was overwritten")
                path.write_bytes(theirs)
            elif refused:
                figures.refused += 1
            else:
                figures.saved_then_overwritten += 1
    finally:
        writer.stdin.close()
        writer.wait()
    return figures
