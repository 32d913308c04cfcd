"""What keeps keystrokes cheap at 200 services (issue 17), checked by what is drawn and
where work runs, never by timing: an edit does not repaint the whole screen, a selection
repaints only the rows it changes, the diagram's graph is built off the UI thread,
stepping through the diagram never moves the focus, a hidden dependency form is not
refilled per key, REVIEW's findings keep their size and long report tables are one
widget. `benchmarks/bench_tui.py` prints the times."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, TabbedContent

from benchmarks.graphs import write_design
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.widgets.collection import CollectionPane
from stratus_tui.ui.widgets.deferred import QUIET
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
    and rebuilt the footer). Onto another kind of component, the editors switch tabs
    once the steps pause (`FOLLOW_DELAY`), not on every step."""
    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.screens.architect import FOLLOW_DELAY

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
        tabs = app.screen.query_one("#editors", TabbedContent)
        kinds = set()
        for _ in range(6):  # through services and datastores
            await pilot.press("n")
            await pilot.pause(FOLLOW_DELAY + 0.1)  # the steps pause: the editors follow
            await settle(pilot)
            design = app.design
            assert design is not None and view.selected is not None
            kinds.add(design.kind_of(view.selected))
            active = tabs.active_pane
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


async def test_arrowing_through_findings_keeps_the_tree_size(tmp_path: Path) -> None:
    """The hint under the findings was as tall as each finding: every arrow key resized
    the tree, which then re-measured every finding (~50 ms a key at 1,800 findings)."""
    from textual.widgets import Tree

    from stratus_tui.ui.app import make_app

    path = tmp_path / "big.yaml"
    write_design(30, path)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        tree = app.screen.query_one("#findings", Tree)
        tree.focus()
        await settle(pilot)
        sizes, hints = set(), set()
        for _ in range(12):
            await pilot.press("down")
            await settle(pilot)
            sizes.add(tree.size)
            hints.add(app.screen.query_one("#hint").text)  # type: ignore[attr-defined]
        assert len(hints) > 6 and len(sizes) == 1


async def test_a_long_report_table_is_one_widget(tmp_path: Path) -> None:
    """A report table of one row per service was a widget per cell (~3,800 at 200
    services), walked by every layout of REVIEW; a long table is now one widget with
    every row, short ones keep Textual's table."""
    from textual.widgets import Markdown, Static
    from textual.widgets._markdown import MarkdownTableContent

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.screens.review import LONG_TABLE

    path = tmp_path / "big.yaml"
    write_design(40, path)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        report = app.screen.query_one("#report", Markdown)
        long_tables = list(report.query("Static.long-table").results(Static))
        assert long_tables
        text = "\n".join(
            "".join(s.text for s in line)
            for line in long_tables[0].render_lines(long_tables[0].region.reset_offset)
        )
        assert all(f"svc-{i:05d}" in text for i in range(40))
        assert len(report.query("*")) < 400  # 1,056 when every cell was a widget
        for content in report.query(MarkdownTableContent).results(MarkdownTableContent):
            assert len(content.headers) * (len(content.rows) + 1) < LONG_TABLE


async def test_a_burst_of_keys_updates_the_list_cells_once_typing_pauses(
    design_file: Path,
) -> None:
    """Each cell update repaints every row of the list (Textual's DataTable); typed as
    fast as a terminal sends keys, a name reaches its cell in two updates (the first
    key at once, the rest once typing pauses), not one update per key."""
    from textual import events

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
        await pilot.press("end")
        await settle(pilot)
        updates = count_calls(pane.table, "update_cell")
        driver = app._driver
        assert driver is not None
        for ch in "abcdef":  # queued at once, as a terminal delivers a fast burst
            key = events.Key(ch, ch)
            key.set_sender(app)
            driver.send_message(key)
        await settle(pilot)
        await pilot.pause(QUIET + 0.1)  # typing paused
        await settle(pilot)
        assert field.value.endswith("abcdef")
        row = pane.table.get_row(pane.selected_id)
        assert row[1] == field.value  # the name cell caught up
        assert 1 <= len(updates) <= 2


async def test_full_collections_wait_for_a_pause_in_input(design_file: Path) -> None:
    """A full garbage collection (60-110 ms at 200 services) stalled whatever key it
    landed on: the app runs them itself, only after GC_IDLE seconds without input, as
    often as the default threshold would; young collections are left alone. The
    design read after start-up is frozen (never walked again)."""
    import gc
    import time

    from stratus_tui.ui.app import GC_IDLE, make_app

    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    full: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    app = make_app(design_file, defer_load=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.design is not None
        assert gc.get_freeze_count() > frozen  # start-up, then the design read after it
        assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > 10**6
        gc.callbacks.append(seen)
        try:
            for _ in range(before[2]):
                gc.collect(1)  # as many middle collections as a full one waits for
            app.input_at = time.monotonic()  # typing
            app._collect_when_idle()
            assert full == []
            app.input_at = time.monotonic() - GC_IDLE  # a pause
            app._collect_when_idle()
            assert full == [1]
        finally:
            gc.callbacks.remove(seen)
    assert gc.get_threshold() == before  # as found
