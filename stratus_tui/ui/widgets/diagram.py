"""DiagramView: the live topology of `app.design`, drawn with box-drawing characters.

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
from typing import Any, ClassVar

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

from stratus_tui.core.diagram import DiagramGraph, build_graph, layout_graph, render
from stratus_tui.core.diagram.dot_process import keep_dot_warm
from stratus_tui.core.diagram.render import Region, RegionIndex, regions_at
from stratus_tui.core.diagram.render import Rendered as Picture
from stratus_tui.core.model import Design

CACHE_SIZE = 8
"""Pictures kept, so undo/redo between recent structures is instant."""

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
)
"""Component classes (without the `diagram--` prefix) a picture is painted with."""

PAINT_WAIT = 0.25
"""Seconds the layout worker waits for the first paint of a big diagram."""

EMPTY = "No components yet: add a service, datastore or external to see the topology."


def _pan(key: str, action: str, desc: str, ident: str, tip: str) -> Binding:
    return Binding(key, action, desc, show=False, id=f"diagram.{ident}", tooltip=tip)


class DiagramView(ScrollView, can_focus=True):
    """The topology of the app's design; `selected` highlights one component."""

    DEFAULT_CSS = """
    DiagramView {
        background: $surface;
        scrollbar-size: 1 1;
    }
    DiagramView > .diagram--service { color: $primary; }
    DiagramView > .diagram--datastore { color: $secondary; }
    DiagramView > .diagram--external { color: $warning; }
    DiagramView > .diagram--frame { color: $text-muted; }
    DiagramView > .diagram--frame-label { color: $text-muted; text-style: bold; }
    DiagramView > .diagram--sync { color: $foreground; }
    DiagramView > .diagram--async { color: $accent; }
    DiagramView > .diagram--edge-label { color: $text-muted; text-style: italic; }
    DiagramView > .diagram--legend { color: $text-muted; }
    DiagramView > .diagram--selected { color: $text; background: $accent 40%; text-style: bold; }
    DiagramView > .diagram--selected-edge { color: $accent; text-style: bold; }
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
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        _pan("left,h", "pan(-4, 0)", "Pan left", "pan_left", "Move the diagram view left"),
        _pan("right,l", "pan(4, 0)", "Pan right", "pan_right", "Move the diagram view right"),
        _pan("up,k", "pan(0, -2)", "Pan up", "pan_up", "Move the diagram view up"),
        _pan("down,j", "pan(0, 2)", "Pan down", "pan_down", "Move the diagram view down"),
        _pan("home", "pan_home", "Top left", "pan_home", "Show the top-left of the diagram"),
        _pan("c", "centre", "Centre", "centre", "Centre the view on the selected component"),
    ]

    selected: reactive[str | None] = reactive(None)
    """Id of the component to highlight, with its edges."""

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

    class Clicked(Message):
        """The user clicked the box of `component`."""

        def __init__(self, view: DiagramView, component: str) -> None:
            super().__init__()
            self.view = view
            self.component = component

        @property
        def control(self) -> DiagramView:
            return self.view

    def __init__(self) -> None:
        super().__init__()
        self.picture: Picture | None = None
        self.graph: DiagramGraph | None = None
        self.layouts_run = 0
        self._index: RegionIndex = {}
        self._cache: OrderedDict[DiagramGraph, Picture] = OrderedDict()
        self._changed_at = 0.0
        self._lock = threading.Lock()
        self._pending: DiagramGraph | None = None
        self._busy = False
        self._view = (0, 0, 0, 0)
        self._style_cache: dict[str, Style] | None = None

    # ----------------------------------------------------------------- data flow

    def on_mount(self) -> None:
        keep_dot_warm()  # every structural edit runs dot: skip its start-up
        if hasattr(self.app, "design"):
            self.watch(self.app, "design", self._design_changed, init=True)

    def _design_changed(self, design: Design | None) -> None:
        self._changed_at = time.perf_counter()
        if design is None or not design.component_ids():
            self.graph = None
            self._show(None)
            return
        graph = build_graph(design)
        if graph == self.graph:
            return  # nothing the picture shows has changed
        self.graph = graph
        cached = self._cache.get(graph)
        if cached is not None:
            self._cache.move_to_end(graph)
            self._show(cached)
            return
        w, h = self.size
        sx, sy = round(self.scroll_x), round(self.scroll_y)
        view = (sx - w, sy - h, sx + 2 * w, sy + 2 * h)  # the viewport and a margin
        with self._lock:
            self._pending = graph
            self._view = view
            start = not self._busy
            self._busy = True
        if start:
            self._lay_out()

    @work(thread=True, exclusive=True, group="diagram-layout")
    def _lay_out(self) -> None:
        # One layout at a time, always of the latest graph: edits that arrive while
        # dot runs replace each other in `_pending` and only the last is laid out.
        worker = get_current_worker()
        while not worker.is_cancelled:
            with self._lock:
                graph, self._pending, view = self._pending, None, self._view
                if graph is None:
                    self._busy = False
                    return
            layout = layout_graph(graph)
            x0, y0, x1, y1 = view
            if layout.width * layout.height > 4 * (x1 - x0) * (y1 - y0):
                # A big diagram: paint what is on screen first, then the rest.
                first = render(layout, clip=view)
                painted = threading.Event()
                self.app.call_from_thread(self._finish, graph, first, first.region_index(), painted)
                # Let the UI paint that part before the full render competes with it
                # for the interpreter (bounded, in case no refresh ever comes).
                painted.wait(PAINT_WAIT)
                if self._pending is not None:
                    continue  # superseded: lay out the newer design instead
            picture = render(layout)
            self.app.call_from_thread(self._finish, graph, picture, picture.region_index())
        with self._lock:
            self._busy = False

    def _finish(
        self,
        graph: DiagramGraph,
        picture: Picture,
        index: RegionIndex,
        painted: threading.Event | None = None,
    ) -> None:
        if painted is not None:
            self.call_after_refresh(painted.set)
        if not picture.partial:
            self.layouts_run += 1
            self._cache[graph] = picture
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        if graph == self.graph:  # a newer design may have arrived meanwhile
            self._show(picture, index)

    def _show(self, picture: Picture | None, index: RegionIndex | None = None) -> None:
        first = self.picture is None
        self.picture = picture
        if index is None:
            index = picture.region_index() if picture else {}
        self._index = index
        if picture is None:
            self.virtual_size = Size(len(EMPTY), 1)
        else:
            self.virtual_size = Size(picture.width, picture.height)
            if first and picture.layout.boxes:
                # Start where the flow starts: the top box of the leftmost column.
                box = min(picture.layout.boxes, key=lambda b: (b.x, b.y))
                self.call_after_refresh(self.scroll_to, 0, max(0, box.y - 3), animate=False)
        self.refresh()
        elapsed = (time.perf_counter() - self._changed_at) * 1000
        self.post_message(self.Rendered(self, picture, elapsed))

    def watch_selected(self, selected: str | None) -> None:
        self.refresh()
        self.action_centre()

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
        x, y = event.x + round(self.scroll_x), event.y + round(self.scroll_y)
        for r in regions_at(self._index, y, x, x + 1) if 0 <= y < self.picture.height else ():
            if r.component and r.kind != "frame" and r.kind != "frame-label" and r.x0 <= x < r.x1:
                self.selected = r.component
                self.post_message(self.Clicked(self, r.component))
                return

    # ----------------------------------------------------------------- drawing

    def _style_for(self, r: Region, styles: dict[str, Style]) -> Style:
        sel = self.selected
        if r.component is not None and r.kind in ("service", "datastore", "external"):
            return styles["selected" if r.component == sel else r.kind]
        if r.edges:
            if sel is not None and any(sel in pair for pair in r.edges):
                return styles["selected-edge"]
            if r.kind == "edge-label":
                return styles["edge-label"]
            return styles["async" if r.mode == "async" else "sync"]
        return styles.get(r.kind, styles["legend"])

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        sx, sy = round(self.scroll_x), round(self.scroll_y)
        row = sy + y
        base, styles = self.rich_style, self._styles()
        picture = self.picture
        if picture is None:
            text = EMPTY[sx : sx + width] if row == 0 else ""
            muted = base + styles["legend"]
            return Strip([Segment(text, muted)]).adjust_cell_length(width, base)
        if row >= picture.height:
            return Strip.blank(width, base)
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
        self.refresh()

    def debug_state(self) -> dict[str, Any]:
        """Facts for tests and benchmarks: engine, size, layouts run."""
        p = self.picture
        return {
            "engine": p.layout.engine if p else None,
            "size": (p.width, p.height) if p else None,
            "layouts_run": self.layouts_run,
        }
