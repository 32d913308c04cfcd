"""Diagram speed: layout + render by size and engine, and edit-to-diagram in an app.

    .venv/bin/python -m benchmarks.bench_diagram            # all figures
    .venv/bin/python -m benchmarks.bench_diagram --quick    # fewer repeats

Goals: an edit shows in the diagram within ~150 ms at 200 services (issue 6);
keypress to redrawn diagram p95 <= 100 ms for a structural edit (issue 17: the layout
memory means no dot run, see `core/diagram/memory.py`). The figures vary 30-50 %
between runs on the shared machines: compare within one run.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.gen import make_design
from stratus_tui.core.diagram import build_graph, layout_graph, render
from stratus_tui.core.diagram.dot_process import clear_dot_cache
from stratus_tui.core.diagram.ranking import dot_available
from stratus_tui.core.model import Dependency, Design, Service


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _spread(values: list[float]) -> str:
    """p50 / p95 / max of `values` (seconds) in ms."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {_ms(statistics.median(ordered))}  p95 {_ms(p95)}  max {_ms(ordered[-1])}"


def bench_core(sizes: tuple[int, ...], repeats: int) -> None:
    engines = ["dot", "layered"] if dot_available() else ["layered"]
    print("layout + render (median of", repeats, "runs)")
    print(
        f"{'services':>8} {'engine':>8} {'graph':>10} {'layout':>10} {'render':>10}"
        f" {'total':>10}  size"
    )
    for n in sizes:
        design = make_design(n)
        for engine in engines:
            g_t, l_t, r_t = [], [], []
            for _ in range(repeats):
                t0 = time.perf_counter()
                graph = build_graph(design)
                clear_dot_cache()  # a fresh layout: dot runs every time
                t1 = time.perf_counter()
                layout = layout_graph(graph, engine)  # type: ignore[arg-type]
                t2 = time.perf_counter()
                picture = render(layout)
                t3 = time.perf_counter()
                g_t.append(t1 - t0)
                l_t.append(t2 - t1)
                r_t.append(t3 - t2)
            g, lay, r = (statistics.median(x) for x in (g_t, l_t, r_t))
            print(
                f"{n:>8} {layout.engine:>8} {_ms(g)} {_ms(lay)} {_ms(r)} {_ms(g + lay + r)}"
                f"  {picture.width}x{picture.height}"
            )


def _add_service(design: Design, i: int) -> Design:
    sid = f"new-{i}"
    return design.model_copy(
        update={
            "services": (*design.services, Service(id=sid, name=f"New {i}", context="ctx-0")),
            "dependencies": (
                *design.dependencies,
                Dependency(**{"from": design.services[0].id, "to": sid}),
            ),
        }
    )


def _rename_service(design: Design, i: int) -> Design:
    """A label edit: one service renamed, its box as wide as before."""
    services = list(design.services)
    k = 1 + i % (len(services) - 1)
    old = services[k].name or services[k].id
    services[k] = services[k].model_copy(update={"name": old[:-1] + "XYZW"[i % 4]})
    return design.model_copy(update={"services": tuple(services)})


Edit = Callable[[Design, int], Design]


def _child_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


async def _edit_to_diagram(
    n: int, edits: int, edit: Edit = _add_service, zoom: str = "fit"
) -> list[tuple[float, float, float, float]]:
    """Per edit: wall ms to first paint, wall ms to the whole picture, CPU ms of this
    process and CPU ms of dot up to the first paint."""
    from textual.app import App, ComposeResult
    from textual.reactive import reactive

    from stratus_tui.ui.widgets.diagram import DiagramView

    class BenchApp(App[None]):
        design: reactive[Design | None] = reactive(None, init=False)

        def __init__(self) -> None:
            super().__init__()
            self.first = asyncio.Event()
            self.whole = asyncio.Event()

        def compose(self) -> ComposeResult:
            yield DiagramView()

        def on_diagram_view_rendered(self, event: DiagramView.Rendered) -> None:
            self.first.set()
            if event.picture is not None and not event.picture.partial:
                self.whole.set()

    app = BenchApp()
    figures: list[tuple[float, float, float, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(DiagramView)
        design = make_design(n)
        app.design = design
        await asyncio.wait_for(app.whole.wait(), 60)
        if zoom != "fit":
            app.whole.clear()
            view.zoom = zoom  # type: ignore[assignment]
            await asyncio.wait_for(app.whole.wait(), 60)
        for i in range(edits):
            await pilot.pause()
            app.first.clear()
            app.whole.clear()
            design = edit(design, i)
            t0, c0, k0 = time.perf_counter(), time.process_time(), _child_cpu()
            app.design = design  # what StratusApp.apply does to the reactive
            await asyncio.wait_for(app.first.wait(), 60)
            for y in range(view.size.height):  # the redraw of the visible lines
                view.render_line(y)
            t1, c1, k1 = time.perf_counter(), time.process_time(), _child_cpu()
            await asyncio.wait_for(app.whole.wait(), 60)
            t2 = time.perf_counter()
            figures.append((t1 - t0, t2 - t0, c1 - c0, k1 - k0))
    return figures


def bench_app(
    n: int, edits: int, edit: Edit = _add_service, what: str = "structural", zoom: str = "fit"
) -> None:
    figures = asyncio.run(_edit_to_diagram(n, edits, edit, zoom))
    first, whole, cpu, dot = (statistics.median(f[i] for f in figures) for i in range(4))
    print(f"\nedit-to-diagram at {n} services, zoom {zoom}, headless app ({edits} {what} edits):")
    print(f"  on screen      {_spread([f[0] for f in figures])}   goal p95 <= 100 ms")
    print(f"  whole picture  {_spread([f[1] for f in figures])}")
    print(f"  medians: on screen {_ms(first)}   whole picture {_ms(whole)}")
    print(f"  CPU to first paint: this process {_ms(cpu)} + dot {_ms(dot)} = {_ms(cpu + dot)}")
    print(
        f"  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        " (wall times stretch with it; CPU times do not)"
    )


def main(argv: list[str] | None = None) -> Any:
    args = sys.argv[1:] if argv is None else argv
    quick = "--quick" in args
    bench_core((50, 200, 500), 1 if quick else 3)
    edits = 5 if quick else 20
    bench_app(200, edits)
    bench_app(200, edits, zoom="full")
    bench_app(200, edits, _rename_service, "rename (same box width)")


if __name__ == "__main__":
    main()
