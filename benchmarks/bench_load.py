"""Load + validate time and peak memory for synthetic designs of 100, 1,000 and 5,000 services.

Each path runs in a fresh interpreter (so imports and peak RSS are its own) and prints:
the file size; the read-only path (`load_design`: fastest safe loader + validation) with
its peak resident memory; the bare parse time of the safe and the round-trip loader; and
the editing path (`open_document`: round-trip loader + validation) with its peak memory.

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
mode, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
from stratus_tui.core.store import design_file as store, yaml_io
t1 = time.perf_counter()
if mode == "load":
    design = store.load_design(path)
elif mode == "edit":
    design = store.open_document(path).design
else:  # parse only: the loader each path uses, without validation
    text = open(path, encoding="utf-8").read()
    t1 = time.perf_counter()
    yaml_io.fast_load(text) if mode == "safe" else yaml_io._yaml("rt").load(text)
t2 = time.perf_counter()
print(json.dumps({
    "seconds": t2 - t1, "imports": t1 - t0,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def _child(mode: str, path: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def measure(n: int, folder: Path) -> dict[str, float]:
    """Write a design of `n` services; time each path in its own fresh interpreter."""
    from benchmarks.gen import write_design

    path = write_design(n, folder / f"design-{n}.yaml")
    load = _child("load", path)
    edit = _child("edit", path)
    return {
        "file_kb": path.stat().st_size / 1024,
        "load_validate": load["seconds"],
        "load_rss_mb": load["peak_rss_mb"],
        "safe_parse": _child("safe", path)["seconds"],
        "rt_parse": _child("rt", path)["seconds"],
        "open_document": edit["seconds"],
        "edit_rss_mb": edit["peak_rss_mb"],
    }


def main(sizes: tuple[int, ...] = SIZES) -> None:
    """Print one row per size."""
    from stratus_tui.core.yaml_io import C_LOADER

    print(f"fast safe loader: {C_LOADER or 'ruamel pure-Python safe loader'}")
    header = (
        "services",
        "file KB",
        "load+valid. s",
        "peak MB",
        "safe parse s",
        "rt parse s",
        "open_doc s",
        "peak MB",
    )
    print("  ".join(f"{h:>13}" for h in header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            f = measure(n, Path(tmp))
            row = (
                f["file_kb"],
                f["load_validate"],
                f["load_rss_mb"],
                f["safe_parse"],
                f["rt_parse"],
                f["open_document"],
                f["edit_rss_mb"],
            )
            print(f"{n:>13,}  " + "  ".join(f"{v:>13,.2f}" for v in row), flush=True)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
