"""`python -m benchmarks`: one table of every speed goal of issue 21 (prints; asserts nothing).

    .venv/bin/python -m benchmarks            # 100, 1,000 and 5,000 services (a few minutes)
    .venv/bin/python -m benchmarks --quick    # fewer runs, no 5,000-service whole commands
    .venv/bin/python -m benchmarks --no-tui   # skip the workbench rows

Designs are realistic random graphs (`benchmarks/graphs.py`: bounded contexts,
cross-context back edges, stores, externals, flows). Whole commands run as users run
them: a fresh `stratus ...` process each time. Each row prints its goal, the median and
the min-max of its runs, its floor (what no implementation can beat: interpreter start,
the libyaml parse of the same file, `dot` alone) with the ratio to it, and whether the
goal is met. The machine is shared: compare ratios within one run, not absolute times
across runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_COMMAND_S = 0.6
GOAL_GROWTH = 5.5
GOAL_IMPORT_RATIO = 3.0
GOAL_IMPORTS_S = 0.12
GOAL_FIRST_FRAME = 1.5


@dataclass
class Row:
    name: str
    goal: str
    times: list[float]
    floor: tuple[str, float] | None = None
    met: bool | None = None
    value: float | None = None
    """What the goal is checked against when it is not the median (a ratio)."""
    unit: str = "s"


def _stratus() -> list[str]:
    script = Path(sys.executable).with_name("stratus")
    return [str(script)] if script.exists() else [sys.executable, "-m", "stratus_tui"]


def run_times(
    argv: list[str], runs: int, cwd: Path = ROOT, fresh: Path | None = None
) -> list[float]:
    """Wall times of `runs` fresh processes (after one untimed warm-up); `fresh`, a
    folder the command writes, is removed before each run (untimed), so every run
    writes all of it as a first export does."""
    out = []
    for i in range(runs + 1):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        if i:
            out.append(time.perf_counter() - start)
    return out


ENGINE = r"""
import gc, json, statistics, sys, time
path, runs = sys.argv[1], int(sys.argv[2])
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.lint import lint
from stratus_tui.core.report import render_report
from stratus_tui.core.patterns import recommend
from stratus_tui.core.export.mermaid import to_mermaid, to_mermaid_c4
from stratus_tui.core.export.dot import to_dot
from stratus_tui.core.export.document import to_markdown
from stratus_tui.core.store.serialise import to_json
from stratus_tui.core.export import EXPORTERS
from stratus_tui.core.export.observe import observe_files
from stratus_tui.core.export.deploy import k8s_files
steps = {
    "load": lambda d: load_design(path),
    "lint": lint,
    "recommend": recommend,
    "report": render_report,
    "export mermaid": to_mermaid,
    "export mermaid-c4": to_mermaid_c4,
    "export dot": to_dot,
    "export markdown": to_markdown,
    "export json": to_json,
    "export sequence": EXPORTERS["sequence"],
    "export likec4": EXPORTERS["likec4"],
    "export structurizr": EXPORTERS["structurizr"],
    "export backstage": EXPORTERS["backstage"],
    "export observe": observe_files,
    "export k8s": k8s_files,
}
for f in steps.values():  # warm-up: lazy imports
    f(load_design(path))
out = {}
for name, f in steps.items():
    times = []
    for _ in range(runs):
        design = load_design(path)  # a fresh design: no per-design cache carried over
        gc.collect()
        start = time.perf_counter()
        f(design)
        times.append(time.perf_counter() - start)
    out[name] = times
print(json.dumps(out))
"""

IMPORTS = r"""
import sys, time, io, contextlib
start = time.perf_counter()
from stratus_tui.cli import main
def once():
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main(["validate", sys.argv[1]])
        except SystemExit:
            pass
once()
first = time.perf_counter() - start
start = time.perf_counter()
once()
again = time.perf_counter() - start
print(first - again)
"""

IMPORT_ENGINE = r"""
import json, sys, time
from stratus_tui.core.importers import import_source
import yaml
path, runs = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
import_source(path)
ours, floor = [], []
for _ in range(runs):
    start = time.perf_counter()
    list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    floor.append(time.perf_counter() - start)
    start = time.perf_counter()
    import_source(path)
    ours.append(time.perf_counter() - start)
print(json.dumps({"ours": ours, "floor": floor}))
"""


def plain_write(written: Path, runs: int, scratch: Path) -> list[float]:
    """Seconds to create the files an export wrote (same names, same bytes) with a plain
    open/write/close each, no temp, rename or flush, into a fresh folder: what creating
    that many files costs on this file system (300 us a file on some virtual disks)."""
    files = [(p.relative_to(written), p.read_bytes()) for p in written.rglob("*") if p.is_file()]
    out = []
    for _ in range(runs):
        shutil.rmtree(scratch, ignore_errors=True)
        start = time.perf_counter()
        for rel, data in files:
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        out.append(time.perf_counter() - start)
    shutil.rmtree(scratch, ignore_errors=True)
    return out


def child_json(code: str, *args: str) -> object:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def libyaml_parse(path: Path, runs: int) -> list[float]:
    import yaml

    text = path.read_text(encoding="utf-8")
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        out.append(time.perf_counter() - start)
    return out


def command_rows(sizes: list[int], runs: int, big_runs: int, folder: Path) -> list[Row]:
    from benchmarks.bench_import import compose, kubernetes
    from benchmarks.graphs import write_design

    rows: list[Row] = []
    start_floor = run_times([sys.executable, "-c", "pass"], runs)
    floor = ("python -c pass", statistics.median(start_floor))
    rows.append(Row("floor: interpreter start", "", start_floor))
    stratus = _stratus()
    for n in sizes:
        k = runs if n <= 1000 else big_runs
        if k == 0:
            continue
        path = write_design(n, folder / f"design-{n}.yaml")
        parse = libyaml_parse(path, k)
        rows.append(Row(f"floor: libyaml parse of the design, {n}", "", parse))
        goal = f"<= {GOAL_COMMAND_S} s" if n == 1000 else ""
        cases: dict[str, list[str]] = {
            "validate": ["validate", str(path)],
            "lint": ["lint", str(path)],
            "recommend": ["recommend", str(path)],
            "report": ["report", str(path), "-o", str(folder / "report.md")],
        }
        # Every export as users run it: text formats to stdout, folders written afresh.
        for fmt in (
            "mermaid", "mermaid-c4", "storm-mermaid", "sequence", "dot", "markdown", "json",
            "toml", "yaml", "likec4", "structurizr", "backstage",
        ):  # fmt: skip
            cases[f"export {fmt}"] = ["export", str(path), "--format", fmt]
        folders: dict[str, Path] = {}
        for fmt in ("adr", "observe", "k8s"):
            folders[f"export {fmt}"] = folder / f"out-{fmt}"
            out = folders[f"export {fmt}"]
            cases[f"export {fmt}"] = ["export", str(path), "--format", fmt, "-o", str(out)]
        for label, args in cases.items():
            out_dir = folders.get(label)
            times = run_times(stratus + args, k, fresh=out_dir)
            med = statistics.median(times)
            met = med <= GOAL_COMMAND_S if n == 1000 else None
            below = floor
            if out_dir is not None:  # a folder: no faster than creating its files at all
                plain = plain_write(out_dir, k, folder / "plain-write")
                rows.append(
                    Row(f"floor: {label.split()[-1]} files written plainly, {n}", "", plain)
                )
                below = ("interpreter start + plain writes", floor[1] + statistics.median(plain))
            rows.append(Row(f"stratus {label}, {n}", goal, times, below, met))
        if shutil.which("dot") and n <= 1000:
            dot_file = folder / f"design-{n}.dot"
            subprocess.run(
                [*stratus, "export", str(path), "--format", "dot", "-o", str(dot_file)],
                check=True,
                capture_output=True,
            )
            alone = run_times(["dot", "-Tsvg", str(dot_file), "-o", str(folder / "x.svg")], k)
            rows.append(Row(f"floor: dot -Tsvg alone, {n}", "", alone))
            svg = run_times([*stratus, "export", str(path), "--format", "svg"], k)
            rows.append(Row(f"stratus export svg, {n}", "", svg, ("dot alone", min(alone))))
        if n in (100, 1000):
            for kind, text in (
                ("compose", compose(n)),
                ("kubernetes", kubernetes(n)),
            ):
                src = folder / f"{kind}-{n}.yaml"
                src.write_text(text, encoding="utf-8")
                got = child_json(IMPORT_ENGINE, str(src), str(k))
                assert isinstance(got, dict)
                lib = ("libyaml parse", statistics.median(got["floor"]))
                ratio = statistics.median(got["ours"]) / lib[1]
                rows.append(
                    Row(
                        f"import {kind} (engine), {n}",
                        f"<= {GOAL_IMPORT_RATIO:g}x libyaml" if n == 1000 else "",
                        got["ours"],
                        lib,
                        ratio <= GOAL_IMPORT_RATIO if n == 1000 else None,
                    )
                )
                cmd = [*stratus, "import", str(src), "-o", str(folder / f"imp-{kind}.yaml")]
                times = run_times([*cmd, "--force"] if _has_force() else cmd, k)
                rows.append(Row(f"stratus import {kind}, {n}", "", times, floor))
    return rows


def _has_force() -> bool:
    out = subprocess.run([*_stratus(), "import", "--help"], capture_output=True, text=True)
    return "--force" in out.stdout


def engine_rows(runs: int, big_runs: int, folder: Path) -> list[Row]:
    """In-process engine time at 1,000 and 5,000 services, and the growth between them."""
    from benchmarks.graphs import write_design

    got = {}
    for n, k in ((1000, runs), (5000, big_runs)):
        path = write_design(n, folder / f"engine-{n}.yaml")
        got[n] = child_json(ENGINE, str(path), str(max(k, 1)))
    rows = []
    small, big = got[1000], got[5000]
    assert isinstance(small, dict) and isinstance(big, dict)
    for step in small:
        a, b = statistics.median(small[step]), statistics.median(big[step])
        growth = b / a
        rows.append(
            Row(
                f"engine {step}, 5,000 (growth from 1,000)",
                f"<= x{GOAL_GROWTH}",
                big[step],
                (f"same at 1,000 ({a:.3f} s)", a),
                growth <= GOAL_GROWTH,
                growth,
                "x",
            )
        )
    return rows


def import_time_row(folder: Path, runs: int) -> Row:
    from benchmarks.graphs import write_design

    path = write_design(5, folder / "tiny.yaml")
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", IMPORTS, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    med = statistics.median(times)
    return Row(
        "imports of stratus validate", f"<= {GOAL_IMPORTS_S} s", times, None, med <= GOAL_IMPORTS_S
    )


def tui_rows(runs: int, folder: Path) -> list[Row]:
    import asyncio

    from benchmarks.bench_tui import _typing, cold_start
    from benchmarks.graphs import write_design

    path = write_design(1000, folder / "tui-1000.yaml")
    cold_start("bare", path)
    cold_start("stratus", path)
    bare, ours = [], []
    for _ in range(runs):
        bare.append(cold_start("bare", path)[0])
        ours.append(cold_start("stratus", path)[1])
    b = statistics.median(bare)
    ratio = statistics.median(ours) / b
    rows = [
        Row("floor: bare Textual app, first frame", "", bare),
        Row(
            "workbench first frame, design filled in, 1,000",
            f"<= {GOAL_FIRST_FRAME}x bare",
            ours,
            ("bare Textual app", b),
            ratio <= GOAL_FIRST_FRAME,
        ),
    ]
    echo, diagram, missed = asyncio.run(_typing(path, "abcdefghij"))
    rows.append(
        Row(
            "keypress to echo, 1,000 (typing a name)",
            "<= 0.030 s",
            echo,
            None,
            statistics.median(echo) <= 0.030,
        )
    )
    rows.append(
        Row(
            f"keypress to diagram, 1,000 ({missed} keys drew nothing)",
            "<= 0.150 s",
            diagram,
            None,
            statistics.median(diagram) <= 0.150 and missed == 0,
        )
    )
    return rows


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_table(rows: list[Row]) -> None:
    head = f"{'what':<46} {'goal':<16} {'median':>9} {'min-max':>19} {'ratio to floor':>28}  met"
    print(head)
    print("-" * len(head))
    for r in rows:
        med = statistics.median(r.times)
        spread = f"{_fmt(min(r.times))}-{_fmt(max(r.times))}"
        if r.unit == "x" and r.value is not None:
            ratio = f"x{r.value:.2f} vs 1,000"
        elif r.floor:
            ratio = f"{med / r.floor[1]:.1f}x {r.floor[0]}"
        else:
            ratio = ""
        met = "" if r.met is None else ("yes" if r.met else "NO")
        print(f"{r.name:<46} {r.goal:<16} {_fmt(med):>9} {spread:>19} {ratio:>28}  {met}")
    print("\nmedian and min-max of fresh runs; shared machine: compare ratios within this run.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs; skip 5,000 commands")
    parser.add_argument("--no-tui", action="store_true", help="skip the workbench rows")
    parser.add_argument("--runs", type=int, default=5, help="runs per row at <= 1,000 services")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs
    big = 0 if args.quick else 3
    sys.path.insert(0, str(ROOT))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("measuring (a few minutes) ...", file=sys.stderr, flush=True)
        rows.append(import_time_row(folder, runs))
        rows += command_rows([100, 1000, 5000], runs, big, folder)
        rows += engine_rows(runs, max(big, 1), folder)
        if not args.no_tui:
            rows += tui_rows(runs, folder)
    print_table(rows)


if __name__ == "__main__":
    main()
