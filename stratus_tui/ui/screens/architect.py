"""ARCHITECT: the editors in tabs (mounted on first visit) beside the live diagram."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane, TextArea
from textual.worker import get_current_worker

from ..optional import mermaid
from ..widgets.collection import CollectionPane
from ..widgets.deferred import Deferred
from ..widgets.diagram import DiagramView
from .base import WorkbenchScreen

if TYPE_CHECKING:
    from ...core.model import Design

TABS: list[tuple[str, str]] = [
    ("decisions", "Decide"),
    ("services", "Services"),
    ("flows", "Flows"),
    ("datastores", "Stores"),
    ("externals", "Externals"),
    ("failures", "Failures"),
    ("slos", "SLO/Cost"),
    ("migration", "Migrate"),
]
KIND_TAB = {"service": "services", "datastore": "datastores", "external": "externals"}
WIDE = 120
"""From this width on, the diagram shows beside the editors without asking."""
FOLLOW_DELAY = 0.2
"""Seconds without a step in the diagram before the editors follow its selection."""


def build_pane(tab: str) -> Widget:
    """The editor of `tab`, imported and built on first visit."""
    if tab == "decisions":
        from ..panes.decisions import DecisionsPane

        return DecisionsPane()
    if tab == "services":
        from ..panes.services import ServicesPane

        return ServicesPane()
    if tab == "flows":
        from ..panes.flows import FlowsPane

        return FlowsPane()
    if tab == "failures":
        from ..panes.failures import FailuresPane

        return FailuresPane()
    if tab == "slos":
        from ..panes.slos import SlosPane

        return SlosPane()
    from ..panes import collections

    collection = {
        "datastores": collections.DATASTORES,
        "externals": collections.EXTERNALS,
        "migration": collections.MIGRATION,
    }[tab]
    return CollectionPane(collection, id=f"{tab}-pane")


class ArchitectScreen(WorkbenchScreen):
    """Decisions, services, stores, externals, failure modes, SLOs and cost, migration."""

    TITLE_TEXT = "ARCHITECT"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+g",
            "toggle_diagram",
            "Diagram",
            id="architect.diagram",
            tooltip="Show or hide the live diagram and its Mermaid source",
        ),
        Binding(
            "ctrl+f",
            "diagram_full",
            "Full diagram",
            id="architect.diagram_full",
            tooltip="Show the live diagram on the whole screen",
        ),
        # As in browsers' tabs; priority: scrolling containers bind these keys to a
        # sideways page, which would swallow them wherever the focus is.
        Binding(
            "ctrl+pagedown",
            "step_tab(1)",
            "Next tab",
            id="architect.next_tab",
            tooltip="The next editor tab (Decide, Services, Flows, ... Migrate)",
            priority=True,
            # Off the footer: at 120 columns the two would push the screen keys
            # (5 Export, undo, help) out of it; help (?) and the README list them.
            show=False,
        ),
        Binding(
            "ctrl+pageup",
            "step_tab(-1)",
            "Previous tab",
            id="architect.previous_tab",
            tooltip="The previous editor tab",
            priority=True,
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_side: bool | None = None
        self.selected_component: str | None = None
        """The service, datastore or external last selected (a new failure mode's)."""
        self._follow_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="architect-body"):
            with TabbedContent(id="editors", initial="decisions"):
                for tab, label in TABS:
                    yield TabPane(label, id=tab)
            with Vertical(id="side"), TabbedContent(id="side-tabs"):
                with TabPane("Diagram", id="diagram-tab"):
                    yield DiagramView()
                with TabPane("Mermaid", id="mermaid-tab"):
                    yield TextArea("", id="mermaid", read_only=True, show_line_numbers=False)

    async def on_mount(self) -> None:
        await self.ensure_pane("decisions")
        self.watch(self.app, "design", self._design_changed, init=True)

    def on_resize(self) -> None:
        if self.show_side is None:
            self.query_one("#side").display = self.size.width >= WIDE

    def action_toggle_diagram(self) -> None:
        side = self.query_one("#side")
        self.show_side = not side.display
        side.display = self.show_side
        if self.show_side:
            self._design_changed(self.design)

    async def ensure_pane(self, tab: str) -> Widget:
        """The pane of `tab`, mounting it on first use."""
        pane = self.query_one(f"#{tab}", TabPane)
        if not pane.children:
            await pane.mount(build_pane(tab))
        return pane.children[0]

    @on(TabbedContent.TabActivated, "#editors")
    async def _tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            pane = await self.ensure_pane(event.pane.id)
            if isinstance(pane, Deferred):
                pane.refresh_if_stale()

    def on_screen_resume(self) -> None:
        active = self.query_one("#editors", TabbedContent).active_pane
        if active is not None and active.children:
            pane = active.children[0]
            if isinstance(pane, Deferred):
                pane.refresh_if_stale()

    @on(TabbedContent.TabActivated, "#side-tabs")
    def _side_tab(self, event: TabbedContent.TabActivated) -> None:
        self._design_changed(self.design)

    async def action_step_tab(self, step: int) -> None:
        """Show the editor tab `step` places on (wrapping), with the focus in it."""
        tabs = [tab for tab, _ in TABS]
        active = self.query_one("#editors", TabbedContent).active
        at = tabs.index(active) if active in tabs else 0
        pane = await self.show_tab(tabs[(at + step) % len(tabs)])
        target = next((w for w in self.focus_chain if pane in w.ancestors_with_self), None)
        if target is not None:
            target.focus()

    async def show_tab(self, tab: str) -> Widget:
        """Switch to `tab` and return its pane."""
        pane = await self.ensure_pane(tab)
        self.query_one("#editors", TabbedContent).active = tab
        return pane

    @on(CollectionPane.Selected)
    def _selected(self, event: CollectionPane.Selected) -> None:
        if event.item_id != event.pane.selected_id:
            # Stale: a pane mounted on a tab switch announced its first row, then was
            # told to show the diagram's selection. Applying it would move the
            # diagram's selection away and back (and a step in between from there).
            return
        if event.pane.collection.section in ("services", "datastores", "externals"):
            self.selected_component = event.item_id
            self.query_one(DiagramView).selected = event.item_id

    @on(DiagramView.Selected)
    async def _diagram_selected(self, event: DiagramView.Selected) -> None:
        # The list follows the diagram; stepping with keys keeps the focus on it (never
        # moved away and back: each focus change restyles and rebuilds the footer).
        # A step (n, p) is followed once the steps pause (FOLLOW_DELAY after the last):
        # loading the editor re-lays out the whole screen (its Inputs change size), and
        # a tab switch redraws the editor side, too slow for every key of a run; the
        # step itself shows at once in the diagram.
        self.selected_component = event.component
        if self._follow_timer is not None:
            self._follow_timer.stop()
            self._follow_timer = None
        if event.open_editor:
            await self.focus_component(event.component, focus=True)
        else:
            self._follow_timer = self.set_timer(
                FOLLOW_DELAY, partial(self._follow, event.component)
            )

    @property
    def following(self) -> bool:
        """A step in the diagram is still to be followed by the editors (tests wait)."""
        return self._follow_timer is not None

    async def _follow(self, component: str) -> None:
        self._follow_timer = None
        await self.focus_component(component, focus=False)

    # ---------------------------------------------------------------- diagram views

    def action_diagram_full(self) -> None:
        """The diagram on the whole screen; its last selection comes back here."""
        from .diagram_full import Closed, DiagramFullScreen

        view = self.query_one(DiagramView)

        async def back(closed: Closed | None) -> None:
            if closed is None or closed.selected is None:
                return
            view.selected = closed.selected
            await self.focus_component(closed.selected, focus=closed.open_editor)
            if not closed.open_editor:
                view.focus()

        self.app.push_screen(DiagramFullScreen(view), back)

    def action_save_diagram_svg(self) -> None:
        """Save the diagram as shown as `<design>-diagram.svg` beside the design file."""
        from ...core.confine import OutsideRootError

        document = getattr(self.app, "document", None)
        if document is None:
            return
        try:
            path = self.query_one(DiagramView).save_svg(document.path)
        except (OSError, ValueError, OutsideRootError) as exc:
            self.notify(f"Diagram not saved: {exc}", severity="error")
            return
        self.notify(f"Diagram saved to {path}")

    def action_tidy_diagram(self) -> None:
        """Forget where boxes were and lay the diagram out afresh."""
        view = self.query_one(DiagramView)
        view.memory.clear()
        view.tidy()

    def action_diagram_flow(self, flow_id: str) -> None:
        """Highlight request flow `flow_id` in the diagram (again: no flow)."""
        view = self.query_one(DiagramView)
        view.flow = None if view.flow == flow_id else flow_id

    def action_diagram_context(self, context: str) -> None:
        """Show only `context` (and its neighbours) in the diagram."""
        from ...core.diagram.text import sanitise

        self.query_one(DiagramView).show_part(("context", sanitise(context)))

    async def focus_component(self, component_id: str, *, focus: bool = True) -> None:
        """Open the editor of a service, datastore or external (REVIEW, palette); with
        `focus` False only show it there (the keys stay where they are)."""
        design = self.design
        kind = design.kind_of(component_id) if design is not None else None
        if kind is None:
            self.notify(f"No component {component_id!r}", severity="warning")
            return
        pane = await self.show_tab(KIND_TAB[kind])
        if isinstance(pane, CollectionPane):
            pane.select(component_id, focus=focus)

    # ---------------------------------------------------------------- palette actions

    async def _pane_action(self, tab: str, action: str) -> None:
        pane = await self.show_tab(tab)
        await pane.run_action(action)

    async def action_add_service(self) -> None:
        await self._pane_action("services", "add")

    async def action_add_dependency(self) -> None:
        await self._pane_action("services", "add_dependency")

    async def action_add_datastore(self) -> None:
        await self._pane_action("datastores", "add")

    async def action_add_external(self) -> None:
        await self._pane_action("externals", "add")

    async def action_add_failure_mode(self) -> None:
        await self._pane_action("failures", "add")

    # ---------------------------------------------------------------- Mermaid tab

    def _design_changed(self, design: Design | None) -> None:
        side = self.query_one("#side")
        tabs = self.query_one("#side-tabs", TabbedContent)
        if design is not None and side.display and tabs.active == "mermaid-tab":
            self.compute_mermaid(design)

    @work(thread=True, exclusive=True, group="mermaid", description="mermaid")
    def compute_mermaid(self, design: Design) -> None:
        try:
            text = mermaid(design)
        except Exception as exc:  # show the exporter's complaint instead of crashing
            text = f"Mermaid export failed: {exc}"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_mermaid, text)

    def _show_mermaid(self, text: str) -> None:
        area = self.query_one("#mermaid", TextArea)
        if area.text != text:
            area.load_text(text)
