"""Edits are messages (issue 13): widgets post `DesignEdited`, the app applies it.

Pilot's `press` waits for the app after every key; a terminal does not: keys typed faster
than the app handles them sit in its queue together. These tests queue keys at once, as a
terminal delivers them, and check that every edit lands, in order, each its own undo step,
and that the file on disk holds all of them.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.storm import board as storm
from stratus_tui.ui.app import StratusApp, make_app
from stratus_tui.ui.messages import DesignEdited, post_edit
from stratus_tui.ui.screens.storm import StormScreen
from stratus_tui.ui.workbench import Workbench, stratus_app

from .helpers import goto, settle, stratus

DESIGN = """\
stratus: 1
name: Shop
services:
  - {id: orders}
"""

BOARD = """\
stratus: 1
name: Shop
event_storming:
  items:
    - {id: a, kind: event, text: A, order: 10}
    - {id: b, kind: event, text: B, order: 20}
    - {id: c, kind: event, text: C, order: 30}
"""

KEY_NAMES = {"]": "right_square_bracket", "[": "left_square_bracket"}


def burst(app: StratusApp, text: str) -> None:
    """Queue `text`'s keys on the app at once, as a terminal does."""
    for char in text:
        app.post_message(events.Key(KEY_NAMES.get(char, char), char))


def texts(app: StratusApp) -> list[str]:
    assert app.design is not None
    return [item.text for item in storm.timeline(app.design)]


async def open_storm(pilot: object) -> tuple[StratusApp, StormScreen]:
    await settle(pilot)  # type: ignore[arg-type]
    app = stratus(pilot)  # type: ignore[arg-type]
    await goto(pilot, "3")  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, StormScreen)
    return app, screen


async def test_stickies_captured_faster_than_the_app_all_land_in_order(tmp_path: Path) -> None:
    """Captures submitted before the app applied the one before: each goes after the
    previous one (the cursor follows an edit still on its way), none is lost."""
    path = tmp_path / "shop.yaml"
    path.write_text(DESIGN)
    async with make_app(path).run_test(size=(160, 48)) as pilot:
        app, screen = await open_storm(pilot)
        capture = screen.capture_input
        for text in ("first", "second", "third"):  # queued at once, as Enter would
            capture.post_message(Input.Submitted(capture, text))
        await settle(pilot)
        assert texts(app) == ["first", "second", "third"]
        assert screen.board.selected is not None and screen.board.selected.text == "third"
        assert app.save_now()
        on_disk = load_design(path)
        assert [i.text for i in storm.timeline(on_disk)] == ["first", "second", "third"]
        # one undo step each
        for left in (["first", "second"], ["first"], []):
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert texts(app) == left


async def test_a_key_repeated_faster_than_the_app_acts_each_time(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(BOARD)
    async with make_app(path).run_test(size=(160, 48)) as pilot:
        app, screen = await open_storm(pilot)
        screen.board.focus()
        screen.board.cursor = 0
        await settle(pilot)
        burst(app, "]]")  # move `a` one place later, twice
        await settle(pilot)
        assert texts(app) == ["B", "C", "A"]
        assert screen.board.selected is not None and screen.board.selected.id == "a"
        assert app.save_now()
        assert [i.text for i in storm.timeline(load_design(path))] == ["B", "C", "A"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert texts(app) == ["B", "A", "C"]


async def test_an_edit_made_from_a_replaced_design_is_made_again(tmp_path: Path) -> None:
    """Two edits made from the same design: the second is made again on the first's
    result; one that no longer applies is refused with a message, nothing else changes."""
    path = tmp_path / "shop.yaml"
    path.write_text(BOARD)
    async with make_app(path).run_test(size=(160, 48)) as pilot:
        app, screen = await open_storm(pilot)
        base = app.design
        assert base is not None

        def rename(item_id: str, text: str) -> DesignEdited:
            return DesignEdited.made(
                base, lambda d: storm.edit_text(d, item_id, text), f"edit sticky {item_id}"
            )

        def delete_a(d: Design) -> Design:
            return storm.delete(d, "a")

        post_edit(screen, rename("a", "A2"))
        post_edit(screen, rename("b", "B2"))
        post_edit(screen, DesignEdited.made(base, delete_a, "delete sticky a"))
        post_edit(screen, DesignEdited.made(base, delete_a, "delete sticky a"))
        await settle(pilot)
        assert texts(app) == ["B2", "C"]
        assert len(app.history.past) == 3
        notes = [n.message for n in app._notifications]
        assert any(m.startswith("Not applied (delete sticky a)") for m in notes), notes


async def test_the_app_is_typed_for_its_widgets(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(DESIGN)
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app = stratus_app(pilot.app)
        assert isinstance(app, Workbench) and app.design is not None
    try:
        stratus_app(Workbench.__mro__[1]())  # a plain Textual App
    except TypeError as exc:
        assert "not a STRATUS workbench" in str(exc)
    else:
        raise AssertionError("stratus_app accepted an app that is not STRATUS")
