"""Start-up times of the CLI, median of several runs, next to `python -c pass` for scale.

    .venv/bin/python -m benchmarks.bench_startup [RUNS]

Goals on the reference machine: `stratus --help` <= 0.2 s, `stratus validate` on a
sample <= 0.4 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(argv: list[str], runs: int) -> float:
    """Median wall time of running `argv` `runs` times (after one warm-up run)."""
    subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(runs: int = 7) -> None:
    """Print the median time of each command."""
    py = sys.executable
    sample = str(ROOT / "sample_designs" / "checkout.yaml")
    cases = {
        "python -c pass": [py, "-c", "pass"],
        "stratus --help": [py, "-m", "stratus_tui", "--help"],
        "stratus validate checkout.yaml": [py, "-m", "stratus_tui", "validate", sample],
        "stratus schema": [py, "-m", "stratus_tui", "schema"],
    }
    for label, argv in cases.items():
        print(f"{label:<34} {median_seconds(argv, runs):6.3f} s (median of {runs})", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
