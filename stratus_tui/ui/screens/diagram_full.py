"""The diagram on the whole screen: the same view keys, a status line, esc to go back.

Opened from ARCHITECT (`ctrl+f` or the palette). It starts from the pane's layout
memory (a copy: each view lays out in its own worker), so boxes sit where they sat in
the pane, and from its selection and highlighted flow. It closes with the component
selected last, which ARCHITECT then selects in its editor (`open_editor` when enter
asked for the editor).
"""

from __future__ import annotations

import copy
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from ..widgets.diagram import DiagramView, Zoom


class Closed(NamedTuple):
    """What the full-screen view hands back."""

    selected: str | None
    open_editor: bool


HINTS = "esc back  +/- zoom  z fit  f focus  [/] hops  x context  t flow  n/p select  enter open"


class DiagramFullScreen(Screen[Closed]):
    """The live diagram alone on the screen."""

    DEFAULT_CSS = """
    DiagramFullScreen { layout: vertical; }
    DiagramFullScreen DiagramView { height: 1fr; }
    DiagramFullScreen #diagram-status {
        height: 1; background: $panel; color: $text-muted; padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,ctrl+f",
            "close",
            "Back",
            id="diagram_full.close",
            tooltip="Leave the full-screen diagram",
        ),
    ]

    def __init__(self, source: DiagramView | None = None) -> None:
        super().__init__()
        memory = copy.deepcopy(source.memory) if source is not None else None
        self.view = DiagramView(memory, name="diagram-full")
        self._source = source

    def compose(self) -> ComposeResult:
        yield self.view
        yield Static(HINTS, id="diagram-status", markup=False)

    def on_mount(self) -> None:
        src = self._source
        if src is not None:
            self.view.selected = src.selected
            self.view.hops = src.hops
            self.view.flow = src.flow
            zoom: Zoom = src.zoom
            self.view.zoom = zoom
        self.view.focus()
        self.watch(self.view, "flow", lambda _: self._status(), init=False)

    @on(DiagramView.Rendered)
    def _rendered(self) -> None:
        self._status()

    def _status(self) -> None:
        self.query_one("#diagram-status", Static).update(f"{self.view.status}   │ {HINTS}")

    @on(DiagramView.Selected)
    def _selected(self, event: DiagramView.Selected) -> None:
        event.stop()
        if event.via == "enter":
            self.dismiss(Closed(event.component, True))

    def action_close(self) -> None:
        """Back to ARCHITECT with the selection."""
        self.dismiss(Closed(self.view.selected, False))
