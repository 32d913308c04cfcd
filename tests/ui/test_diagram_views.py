"""The diagram's views driven by keys: zoom, focus, context, flow, selection, full
screen, and in the real app: the Services list follows the diagram and back, the
palette saves an SVG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from benchmarks.gen import make_design
from stratus_tui.core.model import Dependency
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.screens.diagram_full import DiagramFullScreen
from stratus_tui.ui.widgets.diagram import DiagramView

from .test_diagram import SAMPLE, DiagramApp, settle


def ids(view: DiagramView) -> set[str]:
    assert view.picture is not None
    return {b.id for b in view.picture.layout.boxes}


async def test_fit_then_zoom_levels_and_back_to_fit() -> None:
    app = DiagramApp(load_design(SAMPLE))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        assert view.zoom == "fit" and view.level == "tiny"
        assert view.picture is not None
        assert view.picture.width <= 80 and view.picture.height <= 24
        assert ids(view) == set(load_design(SAMPLE).component_ids())
        view.focus()
        await pilot.press("plus")
        await settle(pilot)
        assert (view.zoom, view.level) == ("compact", "compact")
        await pilot.press("plus", "plus")  # stops at full
        await settle(pilot)
        assert (view.zoom, view.level) == ("full", "full")
        await pilot.press("minus", "minus", "minus")
        await settle(pilot)
        assert view.level == "micro"  # one row a component, `[name]`
        await pilot.press("minus")  # stops at micro
        await settle(pilot)
        assert (view.zoom, view.level) == ("micro", "micro")
        assert ids(view) == set(load_design(SAMPLE).component_ids())
        await pilot.press("z")
        await settle(pilot)
        assert view.zoom == "fit" and "fit (tiny)" in view.status


async def test_focus_on_the_selection_with_hops_and_a_context_view() -> None:
    app = DiagramApp(load_design(SAMPLE))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        view.focus()
        view.selected = "payments"
        await pilot.press("f")
        await settle(pilot)
        assert ids(view) == {"payments", "checkout", "payments-db", "stripe"}
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "gateway" in ids(view) and "monolith" not in ids(view)
        assert "focus: payments, 2 hops" in view.status
        await pilot.press("f")  # again: the whole design
        await settle(pilot)
        assert len(ids(view)) == 10 and view.focus_on is None
        await pilot.press("x")
        await settle(pilot)
        assert view.focus_on == ("context", "payments")
        assert ids(view) == {"payments", "payments-db", "checkout", "stripe"}
        await pilot.press("x")
        await settle(pilot)
        assert view.focus_on is None


async def test_t_highlights_a_flow_path() -> None:
    app = DiagramApp(load_design(SAMPLE))
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        view.focus()
        await pilot.press("t")
        await pilot.pause()
        assert view.flow == "place-order"
        assert view.picture is not None
        box = next(
            r for r in view.picture.regions if r.component == "payments" and r.kind == "service"
        )
        strip = view.render_line(box.y0 + 1 - round(view.scroll_y))
        flow = view.get_component_rich_style("diagram--flow")
        styled = [s for s in strip if "Payment" in s.text]
        assert styled and styled[0].style is not None
        assert styled[0].style.bgcolor == flow.bgcolor


async def test_n_and_p_step_the_selection_and_post_it() -> None:
    app = DiagramApp(load_design(SAMPLE))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        view.focus()
        await pilot.press("n")
        await pilot.pause()
        first = view.selected
        assert first == "gateway"  # the leftmost column first
        await pilot.press("n", "p")
        await pilot.pause()
        assert view.selected == first
        assert app.clicked == ["gateway", app.clicked[1], "gateway"]


async def test_an_edit_keeps_unchanged_boxes_in_place() -> None:
    design = load_design(SAMPLE)
    app = DiagramApp(design)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        view.zoom = "full"
        await settle(pilot)
        assert view.picture is not None
        before = {b.id: (b.x, b.y) for b in view.picture.layout.boxes}
        dep = Dependency(**{"from": "notifications", "to": "payments"})
        app.design = design.model_copy(update={"dependencies": (*design.dependencies, dep)})
        await settle(pilot)
        after = {b.id: (b.x, b.y) for b in view.picture.layout.boxes}
        # Rows stay, and so does which box is left of which (gaps may change width
        # with their tracks and labels).
        assert all(after[k][1] == before[k][1] for k in before)
        for a in before:
            for b in before:
                left = before[a][0] < before[b][0]
                assert left == (after[a][0] < after[b][0]), (a, b)


async def test_the_full_screen_view_opens_and_gives_back_the_selection(
    design_file: Path,
) -> None:
    from stratus_tui.ui.app import make_app

    app = make_app(design_file)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        pane = app.screen.query_one(DiagramView)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, DiagramFullScreen)
        full = app.screen.view
        assert full.picture is not None and full.picture.width <= 160
        await pilot.press("n", "n")
        await settle(pilot)
        chosen = full.selected
        assert chosen is not None
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DiagramFullScreen)
        assert pane.selected == chosen
        assert app.screen.selected_component == chosen


async def test_the_services_list_follows_the_diagram_and_back(design_file: Path) -> None:
    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.widgets.collection import CollectionPane

    app = make_app(design_file)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        view = app.screen.query_one(DiagramView)
        view.focus()
        await pilot.press("n", "n")  # gateway, then the next one
        await follow(pilot)
        chosen = view.selected
        assert chosen is not None and chosen != "gateway"
        pane = app.screen.query_one("#services-pane", CollectionPane)
        assert pane.selected_id == chosen
        assert app.focused is view  # stepping keeps the keys on the diagram
        # And back: selecting in the list selects in the diagram.
        pane.select("payments")
        await settle(pilot)
        assert view.selected == "payments"


async def follow(pilot: Pilot[Any]) -> None:
    """Wait until the editors follow the diagram's last step (once the steps pause)."""
    await settle(pilot)
    while getattr(pilot.app.screen, "following", False):
        await pilot.pause(0.05)
    await settle(pilot)


async def test_steps_show_at_once_and_the_editors_follow_once_they_pause(
    design_file: Path,
) -> None:
    """A step (n, p) repaints the diagram's selection at once; the list and its form
    follow once the steps pause, on the last one (loading a form per step re-laid out
    the whole screen: ~100 ms a key at 200 services)."""
    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.widgets.collection import CollectionPane

    app = make_app(design_file)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen: Any = app.screen
        await screen.show_tab("services")
        await settle(pilot)
        pane = screen.query_one("#services-pane", CollectionPane)
        view = screen.query_one(DiagramView)
        view.focus()
        before = pane.selected_id
        assert app.design is not None
        order = [c for c in view._reading_order() if c in {s.id for s in app.design.services}]
        target = next(c for c in order if c != before)
        view.selected = order[order.index(target) - 1] if order.index(target) else None
        await settle(pilot)
        stepped_from = pane.selected_id
        await pilot.press("n")
        assert screen.following  # the editors wait for the steps to pause
        assert pane.selected_id == stepped_from
        await follow(pilot)
        assert view.selected == pane.selected_id == pane.form.model.id
        assert app.focused is view


async def test_a_pane_mounted_by_a_follow_does_not_move_the_diagram_selection(
    design_file: Path,
) -> None:
    """Following the diagram onto a datastore mounts the Stores tab, whose list
    announced its first row: the diagram's selection jumped there and back, and a step
    taken in between started from the wrong box."""
    from stratus_tui.ui.app import make_app

    app = make_app(design_file)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen: Any = app.screen
        view = screen.query_one(DiagramView)
        assert app.design is not None
        first, target = [d.id for d in app.design.datastores][:2]
        seen: list[str | None] = []
        view.watch(view, "selected", lambda value: seen.append(value), init=False)
        await screen.focus_component(target, focus=False)  # mounts the Stores tab
        await settle(pilot)
        assert view.selected == target
        assert first not in seen


async def test_the_palette_saves_the_diagram_as_svg(design_file: Path) -> None:
    from stratus_tui.ui.app import make_app

    app = make_app(design_file)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await app.run_architect("save_diagram_svg")  # what the palette entry runs
        await settle(pilot)
        out = design_file.parent / "checkout-diagram.svg"
        assert out.exists() and "<svg" in out.read_text("utf-8")


async def test_a_structural_edit_at_200_services_keeps_every_row() -> None:
    design = make_design(200)
    app = DiagramApp(design)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        assert view.picture is not None and view.memory.rank  # remembered
        before = {b.id: b.y for b in view.picture.layout.boxes}
        dep = Dependency(**{"from": "svc-00010", "to": "svc-00150"})
        app.design = design.model_copy(update={"dependencies": (*design.dependencies, dep)})
        await settle(pilot)
        routes = {(r.src, r.dst) for r in view.picture.layout.routes}
        assert ("svc-00010", "svc-00150") in routes
        assert {b.id: b.y for b in view.picture.layout.boxes} == before


async def test_payments_ledger_fits_80x24_on_the_full_screen(tmp_path: Path) -> None:
    """The full-screen diagram of payments-ledger (16 components, 5 contexts) at 80x24:
    the small boxes are too tall (30 rows), so the fit view draws one row a component
    and every component is on screen, the whole picture inside the view."""
    import shutil

    from stratus_tui.ui.app import make_app

    sample = SAMPLE.parent / "payments-ledger.yaml"
    path = tmp_path / "payments-ledger.yaml"
    shutil.copy(sample, path)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, DiagramFullScreen)
        full = app.screen.view
        assert full.picture is not None and full.zoom == "fit"
        assert full.level == "micro"
        assert ids(full) == set(load_design(sample).component_ids())
        assert full.picture.width <= full.size.width
        assert full.picture.height <= full.size.height
        text = "\n".join(full.render_line(y).text for y in range(full.size.height))
        for box in full.picture.layout.boxes:  # each name (cut) is on screen
            assert box.title.replace("…", "") in text, box.id


async def test_a_focus_view_is_laid_out_afresh_not_cut_out_of_the_whole() -> None:
    """The focused part is drawn as a diagram of its own: as small as a fresh layout
    of just those components (the whole design's remembered places are not used)."""
    from stratus_tui.core.diagram import fit_layout
    from stratus_tui.core.diagram.views import neighbourhood

    design = make_design(60)
    app = DiagramApp(design)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        whole = view.picture
        assert whole is not None and view.graph is not None
        view.focus()
        view.selected = "svc-00030"
        await pilot.press("f")
        await settle(pilot)
        part = view.picture
        assert part is not None and part is not whole
        keep = neighbourhood(view.graph, "svc-00030", 1)
        assert ids(view) == keep
        fresh = fit_layout(view.graph.subgraph(keep), *view.size)
        assert (part.layout.width, part.layout.height) == (fresh.width, fresh.height)
        assert part.layout.height < whole.layout.height
