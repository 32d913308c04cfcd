"""DiagramView: the live topology of `app.design`, drawn with box-drawing characters.

What it shows (keys when it has focus): the whole topology fitted to the pane at the
most detailed level that fits (`z`), or a chosen level (`+`/`-`); the selected
component and its neighbours to N hops (`f`, `[`/`]`) or its context (`x`); one
request flow's path highlighted (`t` cycles). `n`/`p` move the selection, `enter`
opens its editor; a selection made here is posted as `Selected` for the screen to
apply. Layouts of the whole design keep a `LayoutMemory`, so an edit moves only what
it must and never waits for dot.

Layout (Graphviz `dot`, or the built-in layering) runs in an exclusive thread
worker, so typing never waits for it and a burst of edits is laid out once, for the
latest design. Pictures are cached by the diagram graph (ids, edges, contexts,
labels): an edit that changes none of these redraws nothing. A label-only edit
reuses dot's last answer for the same DOT text, and a spare dot process waits for
the next structural edit (see `core.diagram.dot_process`); the visible part of a
big diagram is painted before the rest is rendered.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region as ScreenRegion
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from stratus_tui.core.diagram import (
    COMPACT,
    FULL,
    MICRO,
    TINY,
    DiagramGraph,
    Layout,
    LayoutMemory,
    build_graph,
    fit_layout,
    layout_graph,
    render,
)
from stratus_tui.core.diagram.dot_process import keep_dot_warm
from stratus_tui.core.diagram.render import Region, RegionIndex, Superseded, regions_at
from stratus_tui.core.diagram.render import Rendered as Picture
from stratus_tui.core.diagram.views import context_members, flow_names, flow_path, neighbourhood
from stratus_tui.core.model import Design

CACHE_SIZE = 8
"""Pictures kept, so undo/redo between recent structures is instant."""

Zoom = Literal["fit", "micro", "tiny", "compact", "full"]
ZOOMS: tuple[Zoom, ...] = ("micro", "tiny", "compact", "full")
"""Fixed levels, least detailed first (`+` moves right, `-` left)."""
DETAILS = {"micro": MICRO, "tiny": TINY, "compact": COMPACT, "full": FULL}
MAX_HOPS = 5


class Job(NamedTuple):
    """One picture to make: `graph` (the whole design or a part) at `zoom`."""

    key: tuple[Any, ...]
    graph: DiagramGraph
    zoom: Zoom
    size: tuple[int, int]
    whole: bool
    """The whole design (kept in the layout memory), not a focused part."""


STYLE_NAMES = (
    "service",
    "datastore",
    "external",
    "frame",
    "frame-label",
    "sync",
    "async",
    "edge-label",
    "legend",
    "selected",
    "selected-edge",
    "flow",
    "flow-edge",
)
"""Component classes (without the `diagram--` prefix) a picture is painted with."""

LINES_KEPT = 4000
"""Most painted rows kept (a few screens of a big diagram at several scroll offsets)."""

PAINT_WAIT = 0.25
"""Seconds the layout worker waits for the first paint of a big diagram."""
REST_WAIT = 0.15
"""Seconds without a newer edit before the rest of a big diagram is rendered."""
FRAME_WAIT = 0.1
"""Most seconds the worker waits for the frame of a design change before building its
graph (the echo of a keystroke is drawn without the worker competing for the GIL)."""

EMPTY = "No components yet: add a service, datastore or external to see the topology."


def _pan(key: str, action: str, desc: str, ident: str, tip: str) -> Binding:
    return Binding(key, action, desc, show=False, id=f"diagram.{ident}", tooltip=tip)


class DiagramView(ScrollView, can_focus=True):
    """The topology of the app's design; `selected` highlights one component."""

    DEFAULT_CSS = """
    DiagramView {
        background: $surface;
        scrollbar-size: 1 1;
        /* The first column stays free for the app's focus bar (an outline drawn over
           it), which would otherwise hide the picture's left edge. */
        padding-left: 1;
    }
    DiagramView > .diagram--service { color: $primary; }
    DiagramView > .diagram--datastore { color: $text-secondary; }
    DiagramView > .diagram--external { color: $warning; }
    DiagramView > .diagram--frame { color: $text-muted; }
    DiagramView > .diagram--frame-label { color: $text-muted; text-style: bold; }
    DiagramView > .diagram--sync { color: $foreground; }
    DiagramView > .diagram--async { color: $accent; }
    DiagramView > .diagram--edge-label { color: $text-muted; text-style: italic; }
    DiagramView > .diagram--legend { color: $text-muted; }
    DiagramView > .diagram--selected { color: $text; background: $accent 40%; text-style: bold; }
    DiagramView > .diagram--selected-edge { color: $accent; text-style: bold; }
    DiagramView > .diagram--flow { color: $text; background: $warning 35%; text-style: bold; }
    DiagramView > .diagram--flow-edge { color: $warning; text-style: bold; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diagram--service",
        "diagram--datastore",
        "diagram--external",
        "diagram--frame",
        "diagram--frame-label",
        "diagram--sync",
        "diagram--async",
        "diagram--edge-label",
        "diagram--legend",
        "diagram--selected",
        "diagram--selected-edge",
        "diagram--flow",
        "diagram--flow-edge",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        _pan("left,h", "pan(-4, 0)", "Pan left", "pan_left", "Move the diagram view left"),
        _pan("right,l", "pan(4, 0)", "Pan right", "pan_right", "Move the diagram view right"),
        _pan("up,k", "pan(0, -2)", "Pan up", "pan_up", "Move the diagram view up"),
        _pan("down,j", "pan(0, 2)", "Pan down", "pan_down", "Move the diagram view down"),
        _pan("home", "pan_home", "Top left", "pan_home", "Show the top-left of the diagram"),
        _pan("c", "centre", "Centre", "centre", "Centre the view on the selected component"),
        _pan(
            "plus,equals_sign",
            "zoom(1)",
            "Zoom in",
            "zoom_in",
            "More detail (the fit view is left)",
        ),
        _pan("minus", "zoom(-1)", "Zoom out", "zoom_out", "Less detail: shorter labels"),
        _pan("z", "fit", "Fit", "fit", "Fit the whole diagram in the pane"),
        _pan("f", "focus", "Focus", "focus", "Only the selected component and its neighbours"),
        _pan("right_square_bracket", "hops(1)", "More hops", "hops_more", "Focus one hop wider"),
        _pan("left_square_bracket", "hops(-1)", "Fewer hops", "hops_less", "Focus one hop closer"),
        _pan("x", "context", "Context", "context", "Only the selected component's context"),
        _pan("t", "next_flow", "Flow", "flow", "Highlight the next request flow's path"),
        _pan("n", "step(1)", "Next", "next", "Select the next component"),
        _pan("p", "step(-1)", "Previous", "previous", "Select the previous component"),
        _pan("enter", "open", "Open", "open", "Open the selected component's editor"),
    ]

    selected: reactive[str | None] = reactive(None, repaint=False)
    """Id of the component to highlight, with its edges (repaints only their rows)."""
    zoom: reactive[Zoom] = reactive("fit", init=False)
    """"fit" (the most detail that fits the pane) or a fixed level."""
    flow: reactive[str | None] = reactive(None, init=False)
    """Id of the request flow whose path is highlighted."""

    class Rendered(Message):
        """A new picture is on screen; `elapsed_ms` counts from the design change.

        A big diagram comes twice: first the part on screen (`picture.partial`),
        then the whole of it.
        """

        def __init__(self, view: DiagramView, picture: Picture | None, elapsed_ms: float) -> None:
            super().__init__()
            self.view = view
            self.picture = picture
            self.elapsed_ms = elapsed_ms

        @property
        def control(self) -> DiagramView:
            return self.view

    class Selected(Message):
        """The user selected `component` here: `via` a click, a step (n, p) or enter."""

        def __init__(
            self, view: DiagramView, component: str, via: Literal["click", "step", "enter"]
        ) -> None:
            super().__init__()
            self.view = view
            self.component = component
            self.via = via

        @property
        def open_editor(self) -> bool:
            """The editor should take the focus (a click, enter), not a step with keys."""
            return self.via != "step"

        @property
        def control(self) -> DiagramView:
            return self.view

    def __init__(self, memory: LayoutMemory | None = None, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.picture: Picture | None = None
        self.graph: DiagramGraph | None = None
        self.layouts_run = 0
        self._index: RegionIndex = {}
        self._cache: OrderedDict[tuple[Any, ...], Picture] = OrderedDict()
        self._changed_at = 0.0
        self._lock = threading.Lock()
        self._pending: Job | None = None
        self._pending_design: Design | None = None
        """The latest design whose diagram graph the worker has yet to build."""
        self._built: DiagramGraph | None = None
        """The graph the worker built last (compared in the worker, not on the UI)."""
        self._frame = threading.Event()
        """Set once the frame after the last design change is on screen."""
        self._wake = threading.Event()
        """Set when new work arrives for the worker (ends its wait before a full render)."""
        self._key: tuple[Any, ...] | None = None
        self._design: Design | None = None
        self.memory = memory if memory is not None else LayoutMemory()
        """Where the whole design's boxes were: the next layout keeps them there."""
        self.focus_on: tuple[Literal["node", "context"], str] | None = None
        """A part to show instead of the whole: a component (with `hops`) or a context."""
        self.hops = 1
        self._flow_nodes: set[str] = set()
        self._flow_pairs: set[tuple[str, str]] = set()
        self._new_view = False
        self._busy = False
        self._view = (0, 0, 0, 0)
        self._style_cache: dict[str, Style] | None = None
        self._lines: dict[tuple[int, int, int], Strip] = {}
        """Painted rows by (row, first cell, width): scrolling and a selection change
        repaint only the rows whose look changed (`_forget_rows`)."""
        self._lines_base: Style | None = None
        self._pass_base: Style | None = None
        """The widget's base style during one `render_lines` pass (looked up once)."""
        self._rows_for: tuple[Picture | None, dict[str, set[int]]] = (None, {})
        """Rows each component's look spans in a picture (selection repaints)."""

    # ----------------------------------------------------------------- data flow

    def on_mount(self) -> None:
        keep_dot_warm()  # every structural edit runs dot: skip its start-up
        if hasattr(self.app, "design"):
            self.watch(self.app, "design", self._design_changed, init=True)

    def _design_changed(self, design: Design | None) -> None:
        self._changed_at = time.perf_counter()
        self._design = design
        if design is None or not design.component_ids():
            self.graph = None
            self._key = None
            with self._lock:
                self._pending_design = None
                self._built = None
            self._show(None)
            return
        if self.flow is not None:
            shown = (self._flow_nodes, self._flow_pairs)
            self._set_flow(self.flow)
            if shown != (self._flow_nodes, self._flow_pairs):
                self._lines.clear()
                self.refresh()
        # The graph is built in the worker, after the frame this change causes (the
        # keystroke's echo) is on screen: the UI thread only hands the design over.
        self._frame.clear()
        self.call_after_refresh(self._frame.set)
        with self._lock:
            self._pending_design = design
            start = not self._busy
            self._busy = True
        self._wake.set()
        if start:
            self._lay_out()

    def _graph_built(self, graph: DiagramGraph) -> None:
        """In the UI thread: a design with a new diagram graph arrived from the worker."""
        if graph != self.graph:
            self.graph = graph
            self._update()

    def _view_graph(self, graph: DiagramGraph) -> DiagramGraph:
        if self.focus_on is None:
            return graph
        kind, target = self.focus_on
        keep = (
            neighbourhood(graph, target, self.hops)
            if kind == "node"
            else context_members(graph, target)
        )
        if not keep:  # the focused component or context is gone: the whole again
            self.focus_on = None
            return graph
        return graph.subgraph(keep)

    def _update(self) -> None:
        """Show the picture of the current graph, view and zoom (cached or laid out)."""
        graph = self.graph
        if graph is None:
            return
        view = self._view_graph(graph)
        # The whole widget: a picture that fits needs no scrollbars.
        w, h = self.size
        size = (max(w, 20), max(h, 8)) if self.zoom == "fit" else (0, 0)
        key = (view, self.zoom, size)
        if key == self._key:
            return
        self._key = key
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self._show(cached)
            return
        sx, sy = round(self.scroll_x), round(self.scroll_y)
        margin = (sx - w, sy - h, sx + 2 * w, sy + 2 * h)  # the viewport and a margin
        job = Job(key, view, self.zoom, size, self.focus_on is None)
        with self._lock:
            self._pending = job
            self._view = margin
            start = not self._busy
            self._busy = True
        self._wake.set()
        if start:
            self._lay_out()

    @work(thread=True, exclusive=True, group="diagram-layout")
    def _lay_out(self) -> None:
        # One layout at a time, always of the latest design: edits that arrive while
        # dot runs replace each other in `_pending_design` / `_pending` and only the
        # last is laid out. A design comes first (its graph may make a newer job).
        worker = get_current_worker()
        while not worker.is_cancelled:
            with self._lock:
                design, self._pending_design = self._pending_design, None
                job = None
                if design is None:
                    job, self._pending, view = self._pending, None, self._view
                    if job is None:
                        self._busy = False
                        return
                self._wake.clear()
            if design is not None:
                # Not while the UI draws the change that brought it (typing's echo).
                self._frame.wait(FRAME_WAIT)
                graph = build_graph(design)
                if graph != self._built:  # else nothing the picture shows has changed
                    self._built = graph
                    self.app.call_from_thread(self._graph_built, graph)
                continue
            assert job is not None
            layout = self._layout(job)
            key = job.key
            x0, y0, x1, y1 = view
            if layout.width * layout.height > 4 * (x1 - x0) * (y1 - y0):
                # A big diagram: paint what is on screen first, then the rest.
                first = render(layout, clip=view)
                painted = threading.Event()
                self.app.call_from_thread(self._finish, key, first, first.region_index(), painted)
                # Let the UI paint that part before the full render competes with it
                # for the interpreter (bounded, in case no refresh ever comes), and
                # render the rest only once edits pause: while typing, each key's
                # part on screen is all that is drawn.
                painted.wait(PAINT_WAIT)
                if self._wake.wait(REST_WAIT) or self._pending or self._pending_design:
                    continue  # superseded: lay out the newer design instead
            try:
                # Dropped for a newer edit or view (`_wake`): its picture comes sooner.
                picture = render(layout, stop=self._wake.is_set)
            except Superseded:
                continue
            self.app.call_from_thread(self._finish, key, picture, picture.region_index())
        with self._lock:
            self._busy = False

    def _layout(self, job: Job) -> Layout:
        # Only the whole design is remembered: a focused part is laid out afresh.
        memory = self.memory if job.whole else None
        if job.zoom == "fit":
            return fit_layout(job.graph, *job.size, memory=memory)
        return layout_graph(job.graph.at(DETAILS[job.zoom]), memory=memory)

    def _finish(
        self,
        key: tuple[Any, ...],
        picture: Picture,
        index: RegionIndex,
        painted: threading.Event | None = None,
    ) -> None:
        if painted is not None:
            self.call_after_refresh(painted.set)
        if not picture.partial:
            self.layouts_run += 1
            self._cache[key] = picture
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        if key == self._key:  # a newer design or view may have been asked for meanwhile
            self._show(picture, index)

    def _show(self, picture: Picture | None, index: RegionIndex | None = None) -> None:
        first = self.picture is None or self._new_view
        if picture is not None and not picture.partial:
            self._new_view = False
        self.picture = picture
        self._lines.clear()
        if index is None:
            index = picture.region_index() if picture else {}
        self._index = index
        if picture is None:
            self.virtual_size = Size(len(self.placeholder()), 1)
        else:
            self.virtual_size = Size(picture.width, picture.height)
            if first and picture.layout.boxes:
                if self._box(self.selected) is not None:
                    self.call_after_refresh(self.action_centre)
                else:  # start where the flow starts: the top box of the leftmost column
                    box = min(picture.layout.boxes, key=lambda b: (b.x, b.y))
                    self.call_after_refresh(self.scroll_to, 0, max(0, box.y - 3), animate=False)
        self.refresh()
        elapsed = (time.perf_counter() - self._changed_at) * 1000
        self.post_message(self.Rendered(self, picture, elapsed))

    def watch_selected(self, old: str | None, selected: str | None) -> None:
        # Only the rows of the two components' boxes and edges change their look.
        rows = self._rows_of({c for c in (old, selected) if c is not None})
        self._forget_rows(rows)
        sy, height = round(self.scroll_y), self.scrollable_content_region.height
        width = self.scrollable_content_region.width
        self.refresh(*(ScreenRegion(0, r - sy, width, 1) for r in rows if sy <= r < sy + height))
        if not self._in_view(self._box(selected)):
            self.action_centre()  # a box already in view stays put: no repaint of the rest

    def _in_view(self, box: Region | None) -> bool:
        if box is None:
            return True
        sx, sy = round(self.scroll_x), round(self.scroll_y)
        w, h = self.scrollable_content_region.size
        return sx <= box.x0 and box.x1 <= sx + w and sy <= box.y0 and box.y1 <= sy + h

    def _rows_of(self, components: set[str]) -> set[int]:
        """Rows where a region's style depends on whether one of `components` is selected."""
        rows: set[int] = set()
        picture = self.picture
        if picture is None or not components:
            return rows
        if self._rows_for[0] is not picture:
            # Once per picture: a scan of every region per step cost ~6 ms at 200 services.
            by: dict[str, set[int]] = {}
            for r in picture.regions:
                touched: set[str] = set()
                if r.component is not None and r.kind in ("service", "datastore", "external"):
                    touched.add(r.component)
                for pair in r.edges or ():
                    touched.update(pair)
                for c in touched:
                    by.setdefault(c, set()).update(range(r.y0, r.y1))
            self._rows_for = (picture, by)
        by = self._rows_for[1]
        for c in components:
            rows |= by.get(c, set())
        return rows

    def _forget_rows(self, rows: set[int]) -> None:
        if rows:
            for key in [k for k in self._lines if k[0] in rows]:
                del self._lines[key]

    def watch_zoom(self, zoom: Zoom) -> None:
        self._changed_at = time.perf_counter()
        self._new_view = True
        self._update()

    def watch_flow(self, flow: str | None) -> None:
        self._set_flow(flow)
        self._lines.clear()
        self.refresh()

    def _set_flow(self, flow: str | None) -> None:
        design = self._design
        if flow is None or design is None:
            self._flow_nodes, self._flow_pairs = set(), set()
        else:
            self._flow_nodes, self._flow_pairs = flow_path(design, flow)

    def on_resize(self) -> None:
        if self.zoom == "fit":
            self._update()

    @property
    def level(self) -> str:
        """The level of detail on screen: tiny, compact or full."""
        return self.picture.layout.detail if self.picture is not None else "full"

    @property
    def status(self) -> str:
        """What the view shows, in words (for a status line)."""
        zoom = f"fit ({self.level})" if self.zoom == "fit" else self.zoom
        parts = [f"zoom: {zoom}"]
        if self.focus_on is not None:
            kind, target = self.focus_on
            hops = f"{self.hops} hop{'s' if self.hops > 1 else ''}"
            parts.append(f"focus: {target}, {hops}" if kind == "node" else f"context: {target}")
        if self.flow is not None:
            parts.append(f"flow: {self.flow}")
        return "   ".join(parts)

    # ----------------------------------------------------------------- actions

    def action_pan(self, dx: int, dy: int) -> None:
        """Scroll the view by `dx` cells and `dy` rows."""
        self.scroll_relative(dx, dy, animate=False)

    def action_pan_home(self) -> None:
        """Show the top-left corner."""
        self.scroll_to(0, 0, animate=False)

    def action_centre(self) -> None:
        """Bring the selected component's box into view."""
        box = self._box(self.selected)
        if box is not None:
            self.scroll_to_region(
                ScreenRegion(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0),
                animate=False,
                center=True,
                force=True,
            )

    def action_zoom(self, step: int) -> None:
        """One level more (`step` 1) or less (-1) detail; from fit, the level it shows."""
        current = self.level if self.zoom == "fit" else self.zoom
        i = ZOOMS.index(current) + step
        self.zoom = ZOOMS[max(0, min(len(ZOOMS) - 1, i))]

    def action_fit(self) -> None:
        """The whole diagram fitted to the pane."""
        self.zoom = "fit"

    def show_part(self, part: tuple[Literal["node", "context"], str] | None) -> None:
        """Show only `part` (a component and its neighbours, or a context), or the whole."""
        self.focus_on = part
        self._changed_at = time.perf_counter()
        self._new_view = True
        self._update()

    def tidy(self) -> None:
        """Lay the current design out afresh (after the memory was cleared)."""
        self._cache.clear()
        self._key = None
        self._changed_at = time.perf_counter()
        self._update()

    def action_focus(self) -> None:
        """Show only the selected component and its neighbours; again: the whole."""
        if self.focus_on is not None and self.focus_on == ("node", self.selected):
            self.show_part(None)
        elif self.selected is not None:
            self.show_part(("node", self.selected))
        elif self.focus_on is not None:
            self.show_part(None)
        else:
            self.notify("Select a component first (n, p or a click)", severity="warning")

    def action_hops(self, step: int) -> None:
        """Widen or narrow the focus by one hop."""
        self.hops = max(1, min(MAX_HOPS, self.hops + step))
        if self.focus_on is not None and self.focus_on[0] == "node":
            self._update()

    def action_context(self) -> None:
        """Show only the selected component's context (with its neighbours); again: all."""
        graph = self.graph
        node = next((n for n in graph.nodes if n.id == self.selected), None) if graph else None
        if self.focus_on is not None and self.focus_on[0] == "context":
            self.show_part(None)
        elif node is None or node.cluster is None:
            self.notify("The selected component is in no context", severity="warning")
        else:
            self.show_part(("context", node.cluster))

    def action_next_flow(self) -> None:
        """Highlight the next request flow's path (after the last: none)."""
        design = self._design
        ids = [fid for fid, _ in flow_names(design)] if design is not None else []
        if not ids:
            self.notify("No request flows in this design", severity="warning")
            return
        i = ids.index(self.flow) + 1 if self.flow in ids else 0
        self.flow = ids[i] if i < len(ids) else None
        if self.flow is not None:
            self.notify(f"Flow {self.flow}", timeout=2)

    def _reading_order(self) -> list[str]:
        p = self.picture
        boxes = sorted(p.layout.boxes, key=lambda b: (b.x, b.y)) if p is not None else []
        return [b.id for b in boxes]

    def action_step(self, step: int) -> None:
        """Select the next (1) or previous (-1) component, column by column."""
        ids = self._reading_order()
        if not ids:
            return
        i = ids.index(self.selected) + step if self.selected in ids else (0 if step > 0 else -1)
        self.selected = ids[i % len(ids)]
        self.post_message(self.Selected(self, self.selected, "step"))

    def action_open(self) -> None:
        """Open the selected component's editor."""
        if self.selected is not None:
            self.post_message(self.Selected(self, self.selected, "enter"))

    def save_svg(self, design_file: Path) -> Path:
        """Write the picture on screen (the whole of it, as the view shows it) as an SVG
        beside `design_file`; returns its path (see `core.diagram.svg.save_svg`)."""
        from stratus_tui.core.diagram.svg import save_svg

        picture = self.picture
        design = self._design
        if picture is None or (self.graph is None and design is not None):
            # Asked before the worker drew the design (right after opening): draw it now.
            if design is None or not design.component_ids():
                raise ValueError("no diagram to save: the design has no components")
            self.graph = build_graph(design)
            view = self._view_graph(self.graph)
            w, h = self.size
            size = (max(w, 20), max(h, 8)) if self.zoom == "fit" else (0, 0)
            # Not `whole`: the layout memory belongs to the worker thread.
            picture = render(self._layout(Job((), view, self.zoom, size, False)))
        elif picture.partial:
            picture = render(picture.layout)
        return save_svg(picture, design_file, self._flow_nodes, self._flow_pairs)

    def _box(self, component: str | None) -> Region | None:
        if component is None or self.picture is None:
            return None
        for r in self.picture.regions:
            if r.component == component and r.kind in ("service", "datastore", "external"):
                return r
        return None

    def on_click(self, event: events.Click) -> None:
        if self.picture is None:
            return
        offset = event.get_content_offset(self)  # the click inside the padding
        if offset is None:
            return
        x, y = offset.x + round(self.scroll_x), offset.y + round(self.scroll_y)
        for r in regions_at(self._index, y, x, x + 1) if 0 <= y < self.picture.height else ():
            if r.component and r.kind != "frame" and r.kind != "frame-label" and r.x0 <= x < r.x1:
                self.selected = r.component
                self.post_message(self.Selected(self, r.component, "click"))
                return

    # ----------------------------------------------------------------- drawing

    def _style_for(self, r: Region, styles: dict[str, Style]) -> Style:
        sel = self.selected
        if r.component is not None and r.kind in ("service", "datastore", "external"):
            if r.component == sel:
                return styles["selected"]
            return styles["flow" if r.component in self._flow_nodes else r.kind]
        if r.edges:
            if sel is not None and any(sel in pair for pair in r.edges):
                return styles["selected-edge"]
            if self._flow_pairs and any(pair in self._flow_pairs for pair in r.edges):
                return styles["flow-edge"]
            if r.kind == "edge-label":
                return styles["edge-label"]
            return styles["async" if r.mode == "async" else "sync"]
        return styles.get(r.kind, styles["legend"])

    def placeholder(self) -> str:
        """What shows while there is no picture: an empty design says how to start one;
        a large one is being laid out (seconds at 1,000 services), not empty."""
        design = getattr(self.app, "design", None)
        count = 0
        if design is not None:
            count = len(design.services) + len(design.datastores) + len(design.externals)
        return EMPTY if count == 0 else f"Laying out the topology: {count:,} components ..."

    def render_lines(self, crop: ScreenRegion) -> list[Strip]:
        # `rich_style` walks every ancestor's styles: half the cost of a painted row
        # when asked per row. It cannot change within one pass.
        self._pass_base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_base = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        sx, sy = round(self.scroll_x), round(self.scroll_y)
        row = sy + y
        base = self._pass_base if self._pass_base is not None else self.rich_style
        styles = self._styles()
        picture = self.picture
        if picture is None:
            text = self.placeholder()[sx : sx + width] if row == 0 else ""
            muted = base + styles["legend"]
            return Strip([Segment(text, muted)]).adjust_cell_length(width, base)
        if row >= picture.height:
            return Strip.blank(width, base)
        if base != self._lines_base or len(self._lines) > LINES_KEPT:
            self._lines.clear()  # another background (focus tint, theme) or too many kept
            self._lines_base = base
        key = (row, sx, width)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = self._paint(row, sx, width, base, styles)
        return strip

    def _paint(self, row: int, sx: int, width: int, base: Style, styles: dict[str, Style]) -> Strip:
        picture = self.picture
        assert picture is not None
        cells = picture.cells(row, sx, sx + width)
        paint: list[Style | None] = [None] * len(cells)
        for r in regions_at(self._index, row, sx, sx + width):
            lo, hi = max(r.x0, sx), min(r.x1, sx + width)
            if lo < hi:
                style = self._style_for(r, styles)
                paint[lo - sx : hi - sx] = [style] * (hi - lo)
        segments: list[Segment] = []
        start = 0
        for i in range(1, len(cells) + 1):
            if i == len(cells) or paint[i] is not paint[start]:
                run = paint[start]
                segments.append(Segment("".join(cells[start:i]), base + run if run else base))
                start = i
        return Strip(segments).adjust_cell_length(width, base)

    def _styles(self) -> dict[str, Style]:
        # Looked up once per style change, not once per line (Textual caches each
        # component style until the same notify_style_update).
        if self._style_cache is None:
            self._style_cache = {
                n: self.get_component_rich_style(f"diagram--{n}") for n in STYLE_NAMES
            }
        return self._style_cache

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None
        self._lines.clear()
        self.refresh()

    def debug_state(self) -> dict[str, Any]:
        """Facts for tests and benchmarks: engine, size, layouts run."""
        p = self.picture
        return {
            "engine": p.layout.engine if p else None,
            "size": (p.width, p.height) if p else None,
            "layouts_run": self.layouts_run,
            "zoom": self.zoom,
            "focus": self.focus_on,
            "flow": self.flow,
        }
