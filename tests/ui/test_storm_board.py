"""STORM board driven through the real app (make_app on a copy of the checkout sample)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.storm import board as storm
from stratus_tui.ui.app import StratusApp, make_app
from stratus_tui.ui.screens.storm import StormScreen
from stratus_tui.ui.widgets.storm_board import StormBoard
from stratus_tui.ui.widgets.storm_dialogs import ContextPicker, DerivePreview

SIZE = (160, 48)


@pytest.fixture
def design_file(tmp_path: Path) -> Path:
    target = tmp_path / "checkout.yaml"
    shutil.copy(sample_path("checkout"), target)
    return target


async def open_storm(app: StratusApp, pilot: object) -> StormScreen:
    await app.switch_mode("storm")
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, StormScreen)
    return screen


async def type_text(pilot: object, text: str) -> None:
    await pilot.press(*text)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def ids(app: StratusApp) -> list[str]:
    assert app.design is not None
    return [i.id for i in storm.timeline(app.design)]


CAPTURES = [  # short texts: Pilot takes ~70 ms a key
    ("Go", "event", "Go"),
    ("!a", "event", "a"),
    ("> b", "command", "b"),
    ("@c", "actor", "c"),
    ("#d", "aggregate", "d"),
    ("~f", "policy", "f"),
    ("=g", "read_model", "g"),
    ("$h", "external", "h"),
    ("?i", "hotspot", "i"),
]


async def test_capture_every_kind_by_prefix_in_order(design_file: Path) -> None:
    app = make_app(design_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_storm(app, pilot)
        assert app.focused is screen.capture_input
        before = ids(app)
        for typed, _kind, _text in CAPTURES:
            await type_text(pilot, typed)
        assert app.design is not None
        line = storm.timeline(app.design)
        new = [i for i in line if i.id not in before]
        assert [(i.kind, i.text) for i in new] == [(k, t) for _, k, t in CAPTURES]
        # Each sticky went right after the previous one, starting after the cursor (1st).
        positions = [ids(app).index(i.id) for i in new]
        assert positions == list(range(1, 1 + len(CAPTURES)))
        assert screen.board.selected is not None
        assert screen.board.selected.id == new[-1].id
        assert screen.capture_input.value == ""
        app.save_now()
    on_disk = load_design(design_file)
    assert {(i.kind, i.text) for i in on_disk.event_storming.items} >= {
        (k, t) for _, k, t in CAPTURES
    }


async def test_reorder_edit_kind_pivotal_delete_and_undo(design_file: Path) -> None:
    app = make_app(design_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_storm(app, pilot)
        await pilot.press("escape")
        assert app.focused is screen.board
        start = ids(app)
        await pilot.press("right")  # cursor on the 2nd sticky
        moving = start[1]
        await pilot.press("shift+right")
        assert ids(app)[2] == moving
        await pilot.press("right_square_bracket")
        assert ids(app)[3] == moving
        await pilot.press("left_square_bracket", "shift+left", "shift+left")
        assert ids(app)[0] == moving
        # Board keys are not typed while the capture input has focus...
        await pilot.press("e")
        assert screen.capture_input.has_focus
        assert app.design is not None
        assert screen.capture_input.value == storm.capture_text(storm.find_item(app.design, moving))
        screen.capture_input.value = ""
        await pilot.press(*"?S", "enter")
        await pilot.pause()
        item = storm.find_item(app.design, moving)
        assert (item.kind, item.text) == ("hotspot", "S")
        assert screen.editing is None
        await pilot.press("escape", "k")
        assert storm.find_item(app.design, moving).kind == storm.KINDS[0]
        await pilot.press("p")
        assert storm.find_item(app.design, moving).pivotal
        await pilot.press("d")
        assert moving not in ids(app)
        # Undo walks back through every board edit.
        await pilot.press("ctrl+z")
        assert moving in ids(app)
        for _ in range(8):  # 5 moves, edit, kind, pivotal (delete already undone)
            await pilot.press("ctrl+z")
        await pilot.pause()
        assert ids(app) == start
        assert app.design == load_design(design_file)


async def test_contexts_range_new_existing_rename(design_file: Path) -> None:
    app = make_app(design_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_storm(app, pilot)
        await pilot.press("escape", "home", "v", "right", "right")
        assert screen.board.marked == (0, 2)
        await pilot.press("c")
        assert isinstance(app.screen, ContextPicker)
        await pilot.press("tab")
        await pilot.press(*"Web", "enter")
        await pilot.pause()
        assert app.design is not None
        assert storm.context_name(app.design, "web") == "Web"
        line = storm.timeline(app.design)
        assert [i.context for i in line[:3]] == ["web"] * 3
        assert line[3].context != "web"
        assert screen.board.marked is None
        # An existing context for the single sticky under the cursor (the 4th).
        await pilot.press("right", "c")
        assert isinstance(app.screen, ContextPicker)
        await pilot.press("home", "enter")  # the first context: ordering
        await pilot.pause()
        assert storm.timeline(app.design)[3].context == "ordering"
        # Rename the cursor's context.
        await pilot.press("r")
        await pilot.press("ctrl+a", "ctrl+k", *"Od", "enter")
        await pilot.pause()
        assert storm.context_name(app.design, "ordering") == "Od"
        # Clicking a sticky moves the cursor to it (stickies share time slices now).
        x, y = screen.board.cell_of(1)
        await pilot.click(StormBoard, offset=(x + 2, y))
        assert screen.board.cursor == 1


BOARD = """\
stratus: 1
name: Workshop
services:
  - {id: shipping, name: Logistics, owns: [parcels], replicas: 4}
event_storming:
  contexts:
    - {id: ordering, name: Ordering}
    - {id: shipping, name: Shipping}
  items:
    - {id: c1, kind: command, text: Place Order, context: ordering, order: 10}
    - {id: g1, kind: aggregate, text: Order, context: ordering, order: 20}
    - {id: e1, kind: event, text: Order Placed, context: ordering, order: 30}
    - {id: p1, kind: policy, text: "Whenever placed, ship", context: shipping, order: 40}
    - {id: c2, kind: command, text: Ship Order, context: shipping, order: 50}
    - {id: g2, kind: aggregate, text: Shipment, context: shipping, order: 60}
    - {id: x1, kind: external, text: DHL, context: shipping, order: 70}
"""


async def test_derive_services_preview_apply_and_undo(tmp_path: Path) -> None:
    path = tmp_path / "workshop.yaml"
    path.write_text(BOARD, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_storm(app, pilot)
        original = app.design
        await pilot.press("escape", "s")
        assert isinstance(app.screen, DerivePreview)
        await pilot.press("escape")  # cancel changes nothing
        assert app.design == original
        await pilot.press("s", "y")
        await pilot.pause()
        assert app.design is not None
        services = {s.id: s for s in app.design.services}
        assert set(services) == {"ordering", "shipping"}
        assert services["ordering"].owns == ("Order",)
        assert services["ordering"].api == "Commands: Place Order"
        assert services["shipping"].name == "Logistics"  # the existing edit wins
        assert services["shipping"].replicas == 4
        assert services["shipping"].owns == ("parcels", "Shipment")
        deps = {(d.from_, d.to, d.mode) for d in app.design.dependencies}
        assert ("shipping", "ordering", "async") in deps
        assert ("shipping", "dhl", "sync") in deps
        assert [e.id for e in app.design.externals] == ["dhl"]
        await pilot.press("ctrl+z")
        assert app.design == original


async def test_edit_cancel_disabled_keys_phases_and_timer(design_file: Path) -> None:
    from stratus_tui.ui.widgets.storm_phases import PHASES, StormPhases

    app = make_app(design_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_storm(app, pilot)
        await pilot.press("escape", "home")
        assert screen.check_action("move", (-1,)) is None  # nothing before the first
        assert screen.check_action("move", (1,)) is True
        design = app.design
        await pilot.press("e", "x", "escape")
        assert screen.editing is None and screen.capture_input.value == ""
        assert app.design == design
        await pilot.press("i")
        assert app.focused is screen.capture_input
        assert screen.check_action("edit", ()) is False  # hidden while typing
        phases = app.screen.query_one(StormPhases)
        await pilot.press("escape", "n", "n")
        assert phases.phase == 2
        assert PHASES[2].title in str(phases.render())
        await pilot.press("N")
        assert phases.phase == 1
        for _ in range(len(PHASES) + 2):
            await pilot.press("n")
        assert phases.phase == len(PHASES) - 1
        await pilot.press("t")
        assert phases.running
        await pilot.press("t")
        assert not phases.running
