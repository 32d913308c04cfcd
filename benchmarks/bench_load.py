"""Load + validate time and peak memory for synthetic designs of 100, 1,000 and 5,000 services.

Each size runs in a fresh interpreter (so imports and peak RSS are its own) and prints:
the file size, the read-only path (`load_design`: fastest safe loader + validation), the
editing path (`open_document`: round-trip loader), and the peak resident memory.

    .venv/bin/python -m benchmarks.bench_load [SIZES...]

Goal on the reference machine: <= 1 s and <= 200 MB at 1,000 services, growing linearly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = (100, 1_000, 5_000)

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from stratus_tui.core.store import load_design, open_document
from stratus_tui.core.yaml_io import fast_load, _yaml
t1 = time.perf_counter()
path = sys.argv[1]
design = load_design(path)
t2 = time.perf_counter()
text = open(path, encoding="utf-8").read()
t3 = time.perf_counter(); fast_load(text); t4 = time.perf_counter()
_yaml("rt").load(text); t5 = time.perf_counter()
doc = open_document(path) if sys.argv[2] == "1" else None
t6 = time.perf_counter()
print(json.dumps({
    "imports": t1 - t0, "load_validate": t2 - t1, "safe_parse": t4 - t3,
    "rt_parse": t5 - t4, "open_document": (t6 - t5) if doc else None,
    "services": len(design.services),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def measure(n: int, folder: Path, *, with_edit_path: bool = True) -> dict[str, float]:
    """Write a design of `n` services and time loading it in a fresh interpreter."""
    from benchmarks.gen import write_design

    path = write_design(n, folder / f"design-{n}.yaml")
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "1" if with_edit_path else "0"],
        capture_output=True, text=True, check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout)
    figures["file_kb"] = path.stat().st_size / 1024
    return figures


def main(sizes: tuple[int, ...] = SIZES) -> None:
    """Print one row per size."""
    from stratus_tui.core.yaml_io import C_LOADER

    print(f"fast safe loader: {C_LOADER or 'ruamel pure-Python safe loader'}")
    header = ("services", "file KB", "load+validate s", "safe parse s", "rt parse s",
              "open_document s", "peak RSS MB")
    print("  ".join(f"{h:>15}" for h in header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            f = measure(n, Path(tmp))
            row = (n, f["file_kb"], f["load_validate"], f["safe_parse"], f["rt_parse"],
                   f["open_document"] or 0.0, f["peak_rss_mb"])
            print("  ".join(f"{v:>15,.3f}" if isinstance(v, float) else f"{v:>15,}"
                            for v in row), flush=True)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
