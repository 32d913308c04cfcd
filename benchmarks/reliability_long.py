"""The long versions of the save proofs in tests/reliability (issue 12): prints figures.

    .venv/bin/python -m benchmarks.reliability_long [--kills 800] [--races 400]
        [--services 12] [--large 150] [--seed 12]

- kill -9 during saves: forked savers of a synthetic design killed at every phase of a
  save in turn (lock, render, temp file, fsync, .bak, rename, folder fsync): files
  corrupted, acknowledged saves lost, temp files left after a kill and after the next save.
- an external process writing the file at random moments while saves run, on a small
  design and on a large one (`--large` services; 150 is about the 115 KB of the review):
  silent overwrites, saves refused, saves that landed before the other write.

Goal: 0 corrupted, 0 acknowledged saves lost, 0 temp files left after the next save,
0 silent overwrites. Figures are printed, never asserted here (the tests assert).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.gen import write_design
from tests.reliability.savekit import kill_loop, race_loop


def _fresh(path: Path, services: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_design(services, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=800)
    parser.add_argument("--races", type=int, default=400)
    parser.add_argument("--services", type=int, default=12)
    parser.add_argument("--large", type=int, default=150)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        design = _fresh(folder / "kills" / "design.yaml", args.services)
        start = time.perf_counter()
        kills = kill_loop(design, args.kills, args.seed)
        size = design.stat().st_size
        print(f"kill -9 during saves ({args.services} services, {size / 1024:.0f} KB):")
        print(f"  kills                        {kills.kills}")
        print(f"  by phase                     {dict(sorted(kills.by_phase.items()))}")
        print(f"  corrupted files              {kills.corrupted}")
        print(f"  acknowledged saves lost      {kills.acknowledged_lost}")
        print(f"  temp files right after kills {kills.temps_after_kill}")
        print(f"  left after the next save     {kills.temps_left_after_next_save}")
        print(f"  ({time.perf_counter() - start:.0f} s)")
        for problem in kills.problems[:10]:
            print(f"  ! {problem}")

        for services, rounds in ((args.services, args.races), (args.large, args.races // 4)):
            path = _fresh(folder / f"race-{services}" / "design.yaml", services)
            size = path.stat().st_size
            start = time.perf_counter()
            race = race_loop(path, rounds, args.seed)
            print(f"external writer racing saves ({services} services, {size / 1024:.0f} KB):")
            print(f"  external writes              {race.rounds}")
            print(f"  silent overwrites            {race.silent_overwrites}")
            print(f"  saves refused (theirs kept)  {race.refused}")
            print(f"  saves done before theirs     {race.saved_then_overwritten}")
            print(f"  ({time.perf_counter() - start:.0f} s)")
            for problem in race.problems[:10]:
                print(f"  ! {problem}")


if __name__ == "__main__":
    main()
