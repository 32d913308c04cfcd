"""DiagramView: in a minimal app holding a `design` reactive, then in the real app."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.reactive import reactive

from stratus_tui.core.model import Dependency, Design, Service
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.widgets.diagram import DiagramView

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"


class DiagramApp(App[None]):
    """Just the widget and the reactive it watches."""

    design: reactive[Design | None] = reactive(None, init=False)

    def __init__(self, design: Design | None) -> None:
        super().__init__()
        self.set_reactive(DiagramApp.design, design)
        self.drawn: list[DiagramView.Rendered] = []
        self.clicked: list[str] = []

    def compose(self) -> ComposeResult:
        yield DiagramView()

    def on_diagram_view_rendered(self, event: DiagramView.Rendered) -> None:
        self.drawn.append(event)

    def on_diagram_view_selected(self, event: DiagramView.Selected) -> None:
        self.clicked.append(event.component)


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: App[Any]) -> str:
    view = app.query_one(DiagramView)
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def with_service(design: Design, sid: str, name: str) -> Design:
    return design.model_copy(
        update={
            "services": (*design.services, Service(id=sid, name=name, context="ordering")),
            "dependencies": (*design.dependencies, Dependency(**{"from": "checkout", "to": sid})),
        }
    )


async def test_draws_the_design_and_redraws_on_structural_edits() -> None:
    design = load_design(SAMPLE)
    app = DiagramApp(design)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        assert view.picture is not None and view.layouts_run == 1
        assert "Checkout Service" in screen_text(app)
        assert app.drawn and app.drawn[-1].picture is view.picture

        app.design = with_service(design, "fraud", "Fraud Check")
        await settle(pilot)
        assert view.layouts_run == 2
        assert any(b.id == "fraud" for b in view.picture.layout.boxes)
        assert any((r.src, r.dst) == ("checkout", "fraud") for r in view.picture.layout.routes)

        # An edit the picture does not show (the owner) lays nothing out again.
        before = view.picture
        app.design = app.design.model_copy(
            update={
                "services": tuple(
                    s.model_copy(update={"owner": "someone-else"}) for s in app.design.services
                )
            }
        )
        await settle(pilot)
        assert view.layouts_run == 2 and view.picture is before

        # Undoing to an earlier structure comes from the cache.
        app.design = design
        await settle(pilot)
        assert view.layouts_run == 2
        assert not any(b.id == "fraud" for b in view.picture.layout.boxes)


async def test_rapid_edits_coalesce_to_the_latest_design() -> None:
    design = load_design(SAMPLE)
    app = DiagramApp(design)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        current = design
        for i in range(8):
            current = with_service(current, f"svc-{i}", f"Service {i}")
            app.design = current
        await settle(pilot)
        assert view.picture is not None
        ids = {b.id for b in view.picture.layout.boxes}
        assert {f"svc-{i}" for i in range(8)} <= ids
        assert view._key is not None and view.picture is view._cache[view._key]


async def test_selection_highlights_and_keys_pan() -> None:
    app = DiagramApp(load_design(SAMPLE))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        view.zoom = "full"  # bigger than the pane, so it pans
        await settle(pilot)
        view.focus()
        await pilot.press("home")
        assert (view.scroll_x, view.scroll_y) == (0, 0)
        await pilot.press("l", "l", "j")
        await pilot.pause()
        assert view.scroll_x == 8 and view.scroll_y == 2
        await pilot.press("h", "left", "k")
        await pilot.pause()
        assert (view.scroll_x, view.scroll_y) == (0, 0)

        view.selected = "stripe"
        await pilot.pause()
        assert view.picture is not None
        box = next(r for r in view.picture.regions if r.component == "stripe")
        # The box is brought into view and drawn with the selection style.
        y = box.y0 + 1 - round(view.scroll_y)
        assert 0 <= y < view.size.height
        strip = view.render_line(y)
        selected = view.get_component_rich_style("diagram--selected")
        styled = [s for s in strip if "Stripe" in s.text]
        assert styled and styled[0].style is not None
        assert styled[0].style.bgcolor == selected.bgcolor
        bindings = {b.id for b in view.BINDINGS if isinstance(b, Binding)}
        assert {
            "diagram.pan_left",
            "diagram.pan_right",
            "diagram.pan_up",
            "diagram.pan_down",
        } <= bindings


async def test_clicking_a_box_selects_it() -> None:
    app = DiagramApp(load_design(SAMPLE))
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        assert view.picture is not None
        box = next(
            r for r in view.picture.regions if r.component == "gateway" and r.kind == "service"
        )
        await pilot.click(DiagramView, offset=(box.x0 + 2, box.y0 + 1))
        await pilot.pause()
        assert view.selected == "gateway" and app.clicked == ["gateway"]


async def test_no_design_shows_a_hint() -> None:
    app = DiagramApp(None)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "No components yet" in screen_text(app)
        app.design = load_design(SAMPLE)
        view = app.query_one(DiagramView)
        # Until its picture is drawn, a design with components is not called empty.
        assert view.placeholder() == "Laying out the topology: 10 components ..."
        await settle(pilot)
        assert "API Gateway" in screen_text(app)


async def test_real_app_shows_an_added_service(tmp_path: Path) -> None:
    from stratus_tui.ui.app import make_app

    path = tmp_path / "checkout.yaml"
    shutil.copy(SAMPLE, path)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        view = app.screen.query_one(DiagramView)
        assert view.picture is not None
        design = app.design
        assert design is not None
        app.apply(with_service(design, "fraud", "Fraud Check"), "add service fraud")
        await settle(pilot)
        # Fitted into the pane: the name may be cut or wrapped, never gone.
        assert any(b.id == "fraud" and "Fraud" in b.title for b in view.picture.layout.boxes)
        assert any((r.src, r.dst) == ("checkout", "fraud") for r in view.picture.layout.routes)


async def test_a_big_diagram_paints_the_visible_part_first() -> None:
    from benchmarks.gen import make_design

    app = DiagramApp(make_design(60))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.query_one(DiagramView)
        kinds = [m.picture.partial for m in app.drawn if m.picture is not None]
        assert kinds == [True, False]
        first, whole = (m.picture for m in app.drawn)
        assert first is not None and whole is not None and view.picture is whole
        # What the first paint drew inside the viewport is what the whole picture has.
        for y in range(24):
            assert first.line(y, 0, 80) == whole.line(y, 0, 80)
        assert len(first.regions) < len(whole.regions)
