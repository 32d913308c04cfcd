"""Workbench speed: cold start vs a bare Textual app, typing echo, edit-to-diagram.

    .venv/bin/python -m benchmarks.bench_tui [RUNS]

Goals (issue 6): cold start to first frame <= 1.3x a bare Textual app with the same
widgets; keypress-to-echo while typing in a field <= 30 ms; keypress-to-diagram at 200
services <= 150 ms. The shared machines drift 30-50 % between runs: compare the two
start-up figures of one run, not absolute times across runs.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_designs" / "checkout.yaml"

# Runs in a fresh interpreter: prints seconds from spawn to the first frame that shows
# a form, then exits. "bare" composes what DISCOVER shows (header, footer, the
# questionnaire's Inputs and Selects, a verdict table) with plain Textual.
CHILD = r"""
import sys, time
spawned = float(sys.argv[1]); kind = sys.argv[2]; path = sys.argv[3]
from pathlib import Path
if kind == "stratus":
    from stratus_tui.ui.app import make_app
    app = make_app(Path(path), defer_load=True)  # as `stratus FILE` (ui/launch.py) does
    app.autosave_enabled = False
else:
    from textual.app import App
    from textual.containers import Horizontal, VerticalScroll
    from textual.widgets import DataTable, Footer, Header, Input, Select, Static

    class Bare(App):
        def compose(self):
            yield Header()
            with Horizontal():
                with VerticalScroll():
                    for i in range(24):
                        yield Static(f"question {i}  why it matters")
                        if i % 3 == 0:
                            yield Select([("a", "a"), ("b", "b")], compact=True)
                        else:
                            yield Input(compact=True)
                        yield Static("")
                table = DataTable()
                table.add_columns("verdict", "score", "pattern")
                for i in range(20):
                    table.add_row("consider", str(i), f"pattern {i}")
                yield table
            yield Footer()
    app = Bare()

original = app._display
first = []
def display(screen, renderable):
    original(screen, renderable)
    if renderable is None or not screen.query("Input"):
        return
    if not first:
        first.append(time.time() - spawned)
    # stratus: also wait for the frame with the design's answers and verdicts filled in
    if kind == "bare" or (app.design is not None and screen.query_one("#verdicts").row_count):
        print(first[0], time.time() - spawned, flush=True)
        app.exit()
        app._display = original
app._display = display
app.run(headless=True, size=(120, 40))
"""


def cold_start(kind: str, path: Path) -> tuple[float, float]:
    """Seconds from spawning the interpreter to the first frame showing the form, and to
    the frame showing the design filled in (answers and verdicts; bare: the same)."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, repr(time.time()), kind, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    frame, filled = map(float, out.stdout.strip().splitlines()[-1].split())
    return frame, filled


def bench_startup(runs: int, path: Path) -> None:
    """Alternate bare and stratus runs so drifting machine load hits both alike."""
    cold_start("bare", path)  # warm the file cache once
    cold_start("stratus", path)
    bare: list[tuple[float, float]] = []
    ours: list[tuple[float, float]] = []
    for _ in range(runs):
        bare.append(cold_start("bare", path))
        ours.append(cold_start("stratus", path))
    wall_b, wall_s = (statistics.median(r[0] for r in rs) for rs in (bare, ours))
    filled = statistics.median(r[1] for r in ours)
    pairs = statistics.median(s[0] / b[0] for b, s in zip(bare, ours, strict=True))
    print(f"cold start to first frame (median of {runs} alternating runs):")
    print(f"  bare Textual app, same widgets  {wall_b * 1000:7.0f} ms")
    print(f"  stratus FILE on DISCOVER        {wall_s * 1000:7.0f} ms")
    print(
        f"  ratio                           {wall_s / wall_b:7.2f}x  (goal <= 1.3x; "
        f"median of per-pair ratios {pairs:.2f}x)"
    )
    print(
        f"  stratus: design filled in       {filled * 1000:7.0f} ms  ({filled / wall_b:.2f}x; "
        "answers and verdicts shown: the file is read after the first frame)"
    )


async def _first_frame_where(app: Any, action: Any, done: Any, timeout: float = 5.0) -> float:
    """Seconds from running `action` to the first frame drawn while `done()` holds."""
    shown: list[float] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None and not shown and done():
            shown.append(time.perf_counter())

    app._display = display
    try:
        start = time.perf_counter()
        await action()
        while not shown and time.perf_counter() - start < timeout:
            await asyncio.sleep(0.001)
        return (shown[0] if shown else time.perf_counter()) - start
    finally:
        app._display = original


async def _typing(path: Path, text: str) -> tuple[list[float], list[float]]:
    from textual import events
    from textual.widgets import Input

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.widgets.diagram import DiagramView

    app = make_app(path)
    app.autosave_enabled = False
    echo: list[float] = []
    diagram: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("2")
        await pilot.pause()
        screen: Any = app.screen
        await screen.show_tab("services")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        field = screen.query_one("#services-form #f-name", Input)
        view = screen.query_one(DiagramView)
        field.focus()
        await pilot.press("end")
        await pilot.pause(0.3)
        for ch in text:
            typed = field.value + ch
            before = view.picture

            async def press(ch: str = ch) -> None:
                # Straight to the focused field: no Pilot sleeps or idle waits in the figure.
                field.post_message(events.Key(ch, ch))

            start = time.perf_counter()
            echo.append(await _first_frame_where(app, press, lambda t=typed: field.value == t))
            while view.picture is before and time.perf_counter() - start < 5:
                await asyncio.sleep(0.002)
            diagram.append(time.perf_counter() - start)
            await pilot.pause(0.25)
    return echo, diagram


def bench_typing(n: int) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.gen import write_design

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        write_design(n, path)
        echo, diagram = asyncio.run(_typing(path, "abcdefghij"))
    print(f"typing in a service's name field, {n} services, 160x48 (median / worst):")
    print(
        f"  keypress to echo     {statistics.median(echo) * 1000:6.1f} / "
        f"{max(echo) * 1000:6.1f} ms  (goal <= 30 ms)"
    )
    print(
        f"  keypress to diagram  {statistics.median(diagram) * 1000:6.1f} / "
        f"{max(diagram) * 1000:6.1f} ms  (goal <= 150 ms)"
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    runs = int(args[0]) if args else 5
    bench_startup(runs, SAMPLE)
    bench_typing(200)


if __name__ == "__main__":
    main()
