"""Workbench speed: opening a design, and every pane's keystrokes, as frames drawn.

    .venv/bin/python -m benchmarks.bench_tui [RUNS] [--sizes 200,1000,5000] [--no-open]
                                             [--open-only]

Prints, per pane of the workbench at 200 services (160x48), the time from a key to the
first frame that shows its change (p50 / p95 / max): keys are sent as the terminal
sends them, one every 100 ms (a fast typist; held arrows repeat faster), and each is
timed on the app's own `_display` hook, so work a key leaves behind (a layout thread,
a table refill) delays the keys after it and shows in their figures. Goal (issue 17):
no key slower than 100 ms anywhere; keypress to redrawn diagram p95 <= 100 ms for a
structural edit. Then opening a design at 200 / 1,000 / 5,000 services: a bare
Textual app's first frame, `stratus FILE`'s first frame and its first frame with the
design filled in (goal at 1,000: <= 1.5x bare), and, in the running workbench, when
the design is ready to save and what typing costs meanwhile, for the file as stratus
writes it (no comment-keeping tree needed) and with a comment in it (the tree first).

`figures()` returns all of it as plain seconds for `python -m benchmarks`. The shared
machines drift 30-50 % between runs: compare figures of one run, not across runs.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
    from stratus_tui.ui.launch import prepare_app
    app = prepare_app(Path(path))  # as `stratus FILE` (ui/launch.py) does
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


async def _typing(path: Path, text: str) -> tuple[list[float], list[float], int]:
    """Per key typed into a service's name: seconds to the echo and to the redrawn
    diagram, and how many keys drew no new diagram within the timeout.

    The name is cleared first, so every key of `text` (keep it under the diagram box's
    20-character title) changes what the diagram shows: a key that draws nothing is a
    miss, counted, not a figure that waited out the timeout."""
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
        await pilot.press("home", "ctrl+k")  # an empty name: every key below shows
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        missed = 0
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
            if view.picture is before:
                missed += 1
            else:
                diagram.append(time.perf_counter() - start)
            await pilot.pause(0.25)
    return echo, diagram or [float("nan")], missed


# --------------------------------------------------------------------------- keys

PACE = 0.1
"""Seconds between keys (about a fast typist)."""


class FrameClock:
    """Per key sent: seconds to the first frame drawn once `done()` holds."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.pending: list[tuple[float, Callable[[], bool], list[float]]] = []
        self._original = app._display
        app._display = self._display

    def _display(self, screen: Any, renderable: Any) -> None:
        self._original(screen, renderable)
        if renderable is None or not self.pending:
            return
        now = time.perf_counter()
        still = []
        for sent, done, out in self.pending:
            if done():
                out.append(now - sent)
            else:
                still.append((sent, done, out))
        self.pending = still

    def close(self) -> None:
        self.app._display = self._original

    def send(self, key: str, *waits: tuple[Callable[[], bool], list[float]]) -> None:
        """Send `key` as the terminal driver does; time each (done, out) of `waits`."""
        from textual import events

        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(self.app)
        sent = time.perf_counter()
        self.pending.extend((sent, done, out) for done, out in waits)
        self.app._driver.send_message(event)

    async def drain(self, timeout: float = 5.0) -> int:
        """Wait for every pending key's frame; how many never came."""
        start = time.perf_counter()
        while self.pending and time.perf_counter() - start < timeout:
            await asyncio.sleep(0.005)
        missed = len(self.pending)
        self.pending = []
        return missed


Step = tuple[str, Callable[[], bool]]


def shows(field: Any, value: str) -> Callable[[], bool]:
    """Done when `field` holds `value`."""
    return lambda: bool(field.value == value)


def reaches(get: Callable[[], float], target: float) -> Callable[[], bool]:
    """Done once `get()` is at least `target` (keys after it may move it further)."""
    return lambda: get() >= target


def _typed(field: Any, text: str) -> list[Step]:
    """Keys typing `text` at the end of `field`, each done when the field shows it."""
    steps: list[Step] = []
    value = field.value
    for ch in text:
        value += ch
        steps.append((ch, shows(field, value)))
    return steps


def bench_design(n: int, path: Path) -> Path:
    """`benchmarks/graphs.py`'s realistic design of `n` services with a 150-sticky
    event-storming board, written to `path`."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.graphs import make_design
    from stratus_tui.core.model import EventStorming, StormItem
    from stratus_tui.core.store.serialise import to_yaml

    kinds = ("command", "event", "event", "policy")
    items = tuple(
        StormItem(id=f"s{i}", kind=kinds[i % 4], text=f"sticky number {i}", order=i)
        for i in range(150)
    )
    design = make_design(n).model_copy(update={"event_storming": EventStorming(items=items)})
    path.write_text(to_yaml(design), encoding="utf-8")
    return path


async def pane_keys(path: Path, size: tuple[int, int] = (160, 48)) -> dict[str, list[float]]:
    """Seconds from each key to the frame showing its change, per pane (see the module
    docstring); "... missed" entries count keys whose change never showed."""
    from textual.widgets import DataTable, Input, Tree

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.widgets.collection import CollectionPane, cursor_key
    from stratus_tui.ui.widgets.diagram import DiagramView

    app = make_app(path)
    app.autosave_enabled = False
    out: dict[str, list[float]] = {}
    async with app.run_test(size=size) as pilot:

        async def settle() -> None:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            await pilot.pause(0.3)

        clock = FrameClock(app)

        async def keys(name: str, steps: list[Step], extra: Any = None) -> None:
            got = out.setdefault(name, [])
            for key, done in steps:
                waits = [(done, got)]
                if extra is not None:
                    waits.append(extra())
                clock.send(key, *waits)
                await asyncio.sleep(PACE)
            missed = await clock.drain()
            out[f"{name} missed"] = [*out.get(f"{name} missed", []), float(missed)]
            await settle()

        def follows(pane: CollectionPane, table: DataTable[Any], row: int, down: bool) -> Any:
            def done() -> bool:
                key = cursor_key(table)
                moved = table.cursor_row >= row if down else table.cursor_row <= row
                model = pane.form.model
                return moved and key == pane.selected_id and getattr(model, "id", None) == key

            return done

        async def arrows(name: str, pane: CollectionPane, count: int) -> None:
            table = pane.table
            table.focus()
            await settle()
            r = table.cursor_row
            await keys(
                name, [("down", follows(pane, table, r + k, True)) for k in range(1, count + 1)]
            )
            r = table.cursor_row
            up = max(1, count // 2)
            await keys(name, [("up", follows(pane, table, r - k, False)) for k in range(1, up + 1)])

        await settle()
        screen: Any = app.screen
        # DISCOVER: typing an answer (each key an edit; verdicts follow in a thread)
        field = screen.query_one("#f-workload__peak_rps", Input)
        field.focus()
        await pilot.press("end")
        await settle()
        await keys("DISCOVER: typing an answer", _typed(field, "12345"))
        back: list[Step] = []
        value = field.value
        for _ in range(5):
            value = value[:-1]
            back.append(("backspace", shows(field, value)))
        await keys("DISCOVER: typing an answer", back)

        # ARCHITECT
        await pilot.press("escape", "2")
        await settle()
        screen = app.screen
        decisions = screen.query_one("#pattern-verdicts", DataTable)
        decisions.focus()
        await settle()
        await keys(
            "Decide: verdicts list",
            [("down", reaches(lambda: decisions.cursor_row, k)) for k in range(1, 11)],
        )
        services = await screen.show_tab("services")
        await settle()
        await arrows("Services: list", services, 12)
        view = screen.query_one(DiagramView)

        def redrawn() -> tuple[Callable[[], bool], list[float]]:
            before = view.picture
            return (lambda: view.picture is not before), out.setdefault(
                "diagram: redrawn after an edit key", []
            )

        name = services.form.query_one("#f-name", Input)
        name.focus()
        await pilot.press("home", "ctrl+k")  # an empty name: every key shows in a box
        await settle()
        await keys("Services: typing a name", _typed(name, "abcdefgh"), redrawn)
        owner = services.form.query_one("#f-owner", Input)
        owner.focus()
        await pilot.press("end")
        await settle()
        await keys("Services: typing a field", _typed(owner, "team-x"))
        context = services.form.query_one("#f-context", Input)
        context.focus()
        await pilot.press("end")
        await settle()
        # Each key moves the service to another context: a structural edit.
        structural = out.setdefault("diagram: redrawn after a structural key", [])

        def restructured() -> tuple[Callable[[], bool], list[float]]:
            before = view.picture
            return (lambda: view.picture is not before), structural

        await keys("Services: typing a context", _typed(context, "xyzw"), restructured)

        view.focus()
        await settle()
        order = view._reading_order()
        start = order.index(view.selected) if view.selected in order else -1
        await keys(
            "Diagram: n/p select",
            [
                (
                    "n",
                    reaches(
                        lambda: order.index(view.selected) if view.selected in order else -1,
                        start + k,
                    ),
                )
                for k in range(1, 9)
            ],
        )
        x0 = view.scroll_x
        await keys(
            "Diagram: pan",
            [
                ("l", reaches(lambda: view.scroll_x, min(x0 + 4 * k, view.max_scroll_x)))
                for k in range(1, 7)
            ],
        )
        flows = await screen.show_tab("flows")
        await settle()
        await arrows("Flows: list", flows, 8)

        # REVIEW
        await pilot.press("escape", "4")
        await settle()
        tree = app.screen.query_one("#findings", Tree)
        tree.focus()
        await settle()
        line = tree.cursor_line
        await keys(
            "REVIEW: findings",
            [("down", reaches(lambda: tree.cursor_line, line + k)) for k in range(1, 13)],
        )

        # STORM
        await pilot.press("escape", "3")
        await settle()
        screen = app.screen
        capture = screen.capture_input
        capture.focus()
        await settle()
        await keys("STORM: typing a sticky", _typed(capture, "e: order paid"))
        await pilot.press("escape")
        await settle()
        board = screen.board
        c0 = board.cursor
        await keys(
            "STORM: cursor",
            [("left", reaches(lambda: -board.cursor, -max(0, c0 - k))) for k in range(1, 11)],
        )
        clock.close()
    return out


# --------------------------------------------------------------------------- opening


async def open_and_type(path: Path, keys: int = 12) -> dict[str, float | list[float]]:
    """Open `path` as `stratus FILE` does (a forked child reads it) and type into a
    DISCOVER answer while the round-trip tree is built: seconds to the design shown, to
    the document ready to save (its tree built, or none needed for a file exactly as
    stratus writes it), the echo of each key meanwhile, and the first save (autosave)
    after them."""
    from textual.widgets import Input

    from stratus_tui.core.store.read_ahead import ReadAhead
    from stratus_tui.ui.app import make_app

    app = make_app(path, defer_load=True, read_ahead=ReadAhead.start(path))
    got: dict[str, float | list[float]] = {}
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        while app.design is None and time.perf_counter() - start < 120:
            await asyncio.sleep(0.01)
        got["design shown"] = time.perf_counter() - start
        await pilot.pause()
        field = app.screen.query_one("#f-workload__peak_rps", Input)
        field.focus()
        await pilot.press("end")
        clock = FrameClock(app)
        echo: list[float] = []
        typed_at = time.perf_counter()
        for key, done in _typed(field, "1234567890" * (keys // 10 + 1))[:keys]:
            clock.send(key, (done, echo))
            await asyncio.sleep(PACE)
        await clock.drain()
        clock.close()
        got["echo while the tree builds"] = echo
        while app.document is not None and app.document.source is not None:
            if time.perf_counter() - start > 300:
                break
            await asyncio.sleep(0.02)
        got["ready to save"] = time.perf_counter() - start
        while app.dirty and time.perf_counter() - start < 300:
            await asyncio.sleep(0.02)
        got["saved after typing"] = time.perf_counter() - typed_at
    return got


def open_figures(n: int, runs: int) -> dict[str, list[float]]:
    """Seconds, at `n` services: bare first frame, stratus first frame, stratus filled
    (median-able lists of `runs` fresh processes), then one in-process open-and-type of
    the file as stratus writes it and one of the same with a person's comment in it
    ("commented": its saves keep comments, so they need the round-trip tree)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"design-{n}.yaml"
        sys.path.insert(0, str(ROOT))
        from benchmarks.graphs import write_design

        write_design(n, path)
        commented = path.with_name(f"commented-{n}.yaml")
        commented.write_text("# kept by every save\n" + path.read_text(encoding="utf-8"))
        cold_start("bare", path)  # warm the file cache and the imports once
        cold_start("stratus", path)
        bare: list[float] = []
        frame: list[float] = []
        filled: list[float] = []
        for _ in range(runs):
            bare.append(cold_start("bare", path)[0])
            f, d = cold_start("stratus", path)
            frame.append(f)
            filled.append(d)
        typed = asyncio.run(open_and_type(path))
        typed_commented = asyncio.run(open_and_type(commented))
    out = {
        f"open {n}: bare Textual first frame": bare,
        f"open {n}: stratus first frame": frame,
        f"open {n}: stratus design filled in": filled,
    }
    for key, value in typed.items():
        out[f"open {n}: {key}"] = value if isinstance(value, list) else [value]
    for key, value in typed_commented.items():
        out[f"open {n} commented: {key}"] = value if isinstance(value, list) else [value]
    return out


def figures(runs: int = 3, sizes: tuple[int, ...] = (200, 1000, 5000)) -> dict[str, list[float]]:
    """Every figure of this benchmark in seconds (plain floats), for `python -m benchmarks`.

    Keys: "<pane>: <what>" at 200 services (one entry per key typed; "... missed" holds
    how many keys never showed), "diagram: redrawn after an edit key" / "... after a
    structural key", and per size n in `sizes`: "open n: bare Textual first frame",
    "open n: stratus first frame", "open n: stratus design filled in" (one per run),
    "open n: design shown", "open n: echo while the tree builds", "open n: ready to save",
    "open n: saved after typing" (in-process, from the start of the app).
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = bench_design(200, Path(tmp) / "keys-200.yaml")
        out = asyncio.run(pane_keys(path))
    for n in sizes:
        out.update(open_figures(n, runs))
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def print_keys(got: dict[str, list[float]]) -> None:
    print("keys at 200 services, 160x48, one every 100 ms: key -> frame showing it (ms)")
    print(f"  {'pane: what':<44} {'keys':>4} {'p50':>7} {'p95':>7} {'max':>7}  goal <= 100")
    for name, values in got.items():
        if name.endswith(" missed") or name.startswith("open "):
            continue
        missed = int(sum(got.get(f"{name} missed", [0.0])))
        note = f"  ({missed} never shown)" if missed else ""
        if not values:
            print(f"  {name:<44} no figures{note}")
            continue
        worst = max(values)
        print(
            f"  {name:<44} {len(values):>4} {statistics.median(values) * 1000:7.1f}"
            f" {_p95(values) * 1000:7.1f} {worst * 1000:7.1f}"
            f"  {'met' if worst <= 0.1 else 'NOT met'}"
            f"{note}"
        )


def print_open(got: dict[str, list[float]], sizes: tuple[int, ...]) -> None:
    print("opening a design (`stratus FILE`, 120x40): medians, seconds")
    for n in sizes:
        bare = statistics.median(got[f"open {n}: bare Textual first frame"])
        frame = statistics.median(got[f"open {n}: stratus first frame"])
        filled = statistics.median(got[f"open {n}: stratus design filled in"])
        print(
            f"  {n:>5} services: bare {bare:.2f}  first frame {frame:.2f} ({frame / bare:.2f}x)"
            f"  filled in {filled:.2f} ({filled / bare:.2f}x"
            f"{'; goal <= 1.5x' if n == 1000 else ''})"
        )
        for kind in ("", " commented"):
            echo = got[f"open {n}{kind}: echo while the tree builds"]
            print(
                f"        {'as written' if not kind else 'commented'}, in-process:"
                f" shown {got[f'open {n}{kind}: design shown'][0]:.2f}"
                f"  ready to save {got[f'open {n}{kind}: ready to save'][0]:.2f}"
                f"  typing meanwhile p50/max {statistics.median(echo) * 1000:.0f}/"
                f"{max(echo) * 1000:.0f} ms"
                f"  saved {got[f'open {n}{kind}: saved after typing'][0]:.2f} s after the"
                " first key"
            )
    print(
        "  why: 'filled in' waits for the forked child reading and validating the file and"
        " computing the pattern verdicts; 'as written' is a file exactly as stratus writes"
        " it (nothing of a person's to keep: saves write the design anew); a commented file"
        " needs ruamel's pure-Python round-trip tree, which the child builds on the other"
        " core and a first save waits for"
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    runs = int(args[0]) if args and args[0].isdigit() else 3
    sizes: tuple[int, ...] = (200, 1000, 5000)
    if "--sizes" in args:
        sizes = tuple(int(x) for x in args[args.index("--sizes") + 1].split(","))
    if "--open-only" not in args:
        with tempfile.TemporaryDirectory() as tmp:
            path = bench_design(200, Path(tmp) / "keys-200.yaml")
            keys = asyncio.run(pane_keys(path))
        print_keys(keys)
    if "--no-open" not in args:
        opened: dict[str, list[float]] = {}
        for n in sizes:
            opened.update(open_figures(n, runs))
        print_open(opened, sizes)


if __name__ == "__main__":
    main()
