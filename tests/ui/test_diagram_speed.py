"""What keeps keystrokes cheap at 200 services (issue 17), checked by what is drawn and
where work runs, never by timing: an edit does not repaint the whole screen, a selection
repaints only the rows it changes, the diagram's graph is built off the UI thread,
stepping through the diagram never moves the focus, a hidden dependency form is not
refilled per key."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, TabbedContent

from stratus_tui.core.store import load_design
from stratus_tui.ui.widgets.collection import CollectionPane
from stratus_tui.ui.widgets.diagram import DiagramView

from .test_diagram import SAMPLE, DiagramApp, settle


def count_lines(widget: Widget) -> Counter[int]:
    """Rows `widget` draws from now on (its `render_line` calls, by row)."""
    drawn: Counter[int] = Counter()
    original = widget.render_line

    def render_line(y: int) -> Strip:
        drawn[y] += 1
        return original(y)

    widget.render_line = render_line  # type: ignore[method-assign]
    return drawn


async def test_an_edit_typed_in_a_field_does_not_repaint_the_screen(design_file: Path) -> None:
    """The app's `design` and `dirty` reactives repainted the whole screen on every
    keystroke that edited; only the widgets that show them redraw now."""
    from stratus_tui.ui.app import make_app

    app = make_app(design_file)
    app.autosave_enabled = False
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        pane: Any = await app.screen.show_tab("services")  # type: ignore[attr-defined]
        await settle(pilot)
        field = pane.form.query_one("#f-name", Input)
        field.focus()
        await pilot.press("end", "x")  # the first edit marks the design unsaved
        await settle(pilot)
        repaints = count_calls(app.screen, "refresh")  # the whole screen, every widget
        footer = app.screen.query_one(Footer)
        drawn = count_lines(footer)
        before = app.design
        await pilot.press("y")
        await settle(pilot)
        assert app.design is not before and field.value.endswith("xy")  # it was an edit
        assert repaints == [] and not drawn


async def test_selecting_repaints_only_the_rows_of_the_two_components() -> None:
    app = DiagramApp(load_design(SAMPLE))
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        view.selected = "gateway"
        await settle(pilot)
        assert round(view.scroll_y) == 0  # the whole picture fits: no scrolling
        drawn = count_lines(view)
        view.selected = "payments"
        await settle(pilot)
        changed = view._rows_of({"gateway", "payments"})
        assert drawn and set(drawn) <= changed
        assert len(changed) < view.picture.height  # type: ignore[union-attr]
        # ... and those rows show the new selection.
        box = view._box("payments")
        assert box is not None
        selected = view.get_component_rich_style("diagram--selected")
        strip = view.render_line(box.y0 + 1)
        assert any(s.style is not None and s.style.bgcolor == selected.bgcolor for s in strip)


async def test_the_diagram_graph_is_built_off_the_ui_thread(monkeypatch: Any) -> None:
    import stratus_tui.ui.widgets.diagram as diagram

    built_on: list[threading.Thread] = []
    original = diagram.build_graph  # type: ignore[attr-defined]

    def build_graph(design: Any) -> Any:
        built_on.append(threading.current_thread())
        return original(design)

    monkeypatch.setattr(diagram, "build_graph", build_graph)
    design = load_design(SAMPLE)
    app = DiagramApp(design)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        services = tuple(
            s.model_copy(update={"name": "Renamed"}) if s.id == "payments" else s
            for s in design.services
        )
        app.design = design.model_copy(update={"services": services})
        await settle(pilot)
        view = app.query_one(DiagramView)
        assert view.picture is not None
        assert any("Renamed" in view.picture.line(y) for y in range(view.picture.height))
    assert len(built_on) >= 2
    assert threading.main_thread() not in built_on


async def test_stepping_through_the_diagram_never_moves_the_focus(design_file: Path) -> None:
    """n/p select in the diagram and the editor follows, the keys staying on the
    diagram: the focus never went to the list and back (each move restyled the screen
    and rebuilt the footer)."""
    from stratus_tui.ui.app import make_app

    app = make_app(design_file)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        view = app.screen.query_one(DiagramView)
        view.focus()
        await settle(pilot)
        focused: list[object] = []

        def moved(widget: object) -> None:
            focused.append(widget)

        app.screen.watch(app.screen, "focused", moved, init=False)
        kinds = set()
        for _ in range(6):  # through services and datastores
            await pilot.press("n")
            await settle(pilot)
            design = app.design
            assert design is not None and view.selected is not None
            kinds.add(design.kind_of(view.selected))
            active = app.screen.query_one("#editors", TabbedContent).active_pane
            assert active is not None
            pane = active.children[0]
            assert isinstance(pane, CollectionPane) and pane.selected_id == view.selected
        assert len(kinds) > 1
        assert focused == [] and app.focused is view


async def test_the_hidden_dependency_form_is_not_refilled_by_the_list(design_file: Path) -> None:
    from stratus_tui.ui.app import make_app

    app = make_app(design_file)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        pane: Any = await app.screen.show_tab("services")  # type: ignore[attr-defined]
        pane.table.focus()
        await settle(pilot)
        loads = count_calls(pane.dep_form, "load")
        for key in ("down", "down", "up"):  # to checkout, which has dependencies
            await pilot.press(key)
            await settle(pilot)
        assert loads == []  # hidden: emptied once, then left alone
        assert pane.dep_form.model is None and pane.selected_id == "checkout"
        pane.deps_table.focus()  # shown: it holds the selected service's dependency
        await settle(pilot)
        dep = pane.dep_form.model
        assert dep is not None and dep.from_ == pane.selected_id


def count_calls(obj: Any, name: str) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    original = getattr(obj, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    setattr(obj, name, wrapper)
    return calls
