"""The STORM board at 160x48: every sticky in its own cells, dense, scrolling, zoomable."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import new_document, save_document
from stratus_tui.core.storm import board as storm
from stratus_tui.ui.app import make_app
from stratus_tui.ui.screens.storm import StormScreen
from stratus_tui.ui.widgets.storm_board import (
    GUTTER,
    HEAD_ROWS,
    LANE_LABELS,
    StormBoard,
    sticky_lines,
)

HOSTILE = "Line\nbreak \x1b[31mred\x07 and a very long word Donaudampfschifffahrt 漢字 ✓"


def sixty_stickies(path: Path) -> Design:
    design = Design(name="Big board")
    design, ctx = storm.create_context(design, "Fulfilment")
    for i in range(60):
        kind = storm.KINDS[i % len(storm.KINDS)]
        text = HOSTILE if i == 7 else f"Sticky number {i} with a longer text to wrap"
        design, _ = storm.add_sticky(design, text, kind)
    design = storm.assign_range(design, 5, 20, ctx)
    design = storm.set_pivotal(design, storm.timeline(design)[10].id)
    save_document(new_document(path, design), design)
    return design


@pytest.mark.parametrize(
    "text",
    [
        "Order Placed",
        "x" * 80,
        "a " * 60,
        "漢字の注文が確定しました本当に長い",
        "",
        "tab\there\nnl",
    ],
)
def test_sticky_lines_fill_exactly_their_cells(text: str) -> None:
    lines = sticky_lines(text, 18, 3)
    assert len(lines) == 3
    assert all(cell_len(line) == 18 for line in lines)
    assert all(ch.isprintable() for line in lines for ch in line)
    if cell_len(text) > 54:
        assert lines[-1].rstrip().endswith("…")  # cut text says so


def rows(board: StormBoard) -> list[str]:
    height = board.scrollable_content_region.height
    width = board.scrollable_content_region.width
    out = []
    for y in range(height):
        strip = board.render_line(y)
        assert strip.cell_length == width  # nothing spills past the board
        out.append("".join(segment.text for segment in strip))
    return out


def check_visible_stickies(board: StormBoard) -> int:
    """Every sticky in view is drawn whole in its own cells, in its kind's lane, in a
    time slice that keeps the timeline's order; returns how many are in view."""
    lines = rows(board)
    g = board.geometry
    scroll_x, scroll_y = int(board.scroll_x), int(board.scroll_y)
    width = board.scrollable_content_region.width
    height = board.scrollable_content_region.height
    checked = 0
    owner: dict[tuple[int, int], int] = {}
    for index, item in enumerate(board.items):
        x, y = board.cell_of(index)
        x -= scroll_x
        y -= scroll_y
        if x < GUTTER or x + g.text_w > width or y < HEAD_ROWS or y + g.text_rows > height:
            continue  # out of view
        top = HEAD_ROWS + board.lane_top[item.kind] - scroll_y
        assert top <= y < top + board.lane_rows[item.kind]  # in its own lane
        expected = sticky_lines(item.text, g.text_w, g.text_rows)
        for offset, text in enumerate(expected):
            cell = (x, y + offset)
            assert cell not in owner, (index, owner.get(cell))  # no overlap
            owner[cell] = index
            if "\n" not in item.text and not item.pivotal:  # wide chars shift str indexes
                assert lines[y + offset][x : x + g.text_w] == text, (index, offset)
        checked += 1
    slices = [board.item_slice[i] for i in range(len(board.items))]
    assert slices == sorted(slices)  # time slices follow the timeline
    return checked


async def test_sixty_stickies_readable_scrolling_no_overlap(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    design = sixty_stickies(path)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.switch_mode("storm")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StormScreen)
        board = screen.board
        assert len(board.items) == 60
        assert board.geometry.text_rows >= 2  # two lines of text per sticky
        lines = rows(board)
        for kind, label in LANE_LABELS.items():
            assert lines[HEAD_ROWS + board.lane_top[kind]].startswith(f" {label}")
        assert check_visible_stickies(board) >= 30  # issue 16: at least 30 at 160x48
        assert all("\x1b" not in line and "\x07" not in line for line in lines)
        # Scroll along the timeline with the cursor.
        await pilot.press("escape", "end")
        await pilot.pause()
        assert board.cursor == 59
        assert board.scroll_x > 0
        assert int(board.scroll_x) % board.geometry.col_w == 0  # never half a sticky
        assert check_visible_stickies(board) >= 30
        assert storm.timeline(design)[59].text[:10] in "".join(rows(board))
        await pilot.press("home")
        await pilot.pause()
        assert board.scroll_x == 0
        screen.action_cursor_to(7)  # the hostile sticky: control characters never drawn
        await pilot.pause()
        drawn = "\n".join(rows(board))
        assert "Line break" in drawn
        assert "\x1b" not in drawn and "\x07" not in drawn


async def test_empty_board_hint_then_first_sticky(tmp_path: Path) -> None:
    path = tmp_path / "fresh.yaml"
    app = make_app(path)  # a new design: created on open
    async with app.run_test(size=(100, 30)) as pilot:
        await app.switch_mode("storm")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StormScreen)
        assert "Empty: type below" in "\n".join(rows(screen.board))
        assert screen.check_action("edit", ()) is False  # typing: board keys hidden
        await pilot.press("escape")
        assert screen.check_action("edit", ()) is None  # nothing to edit
        await pilot.press("i", "x", "enter")
        assert app.design is not None
        assert [(i.kind, i.text) for i in app.design.event_storming.items] == [("event", "x")]
        assert screen.board.cursor == 0
        assert "x" in "\n".join(rows(screen.board))


def chaotic_exploration(path: Path, count: int) -> Design:
    """A board as chaotic exploration leaves it: mostly events, some hotspots and actors."""
    design = Design(name="Chaos")
    for i in range(count):
        kind = "hotspot" if i % 10 == 9 else ("actor" if i % 7 == 3 else "event")
        design, _ = storm.add_sticky(design, f"Thing {i} happened in the domain", kind)  # type: ignore[arg-type]
    save_document(new_document(path, design), design)
    return design


async def test_chaotic_exploration_shows_dozens_stacked_and_the_overview_all(
    tmp_path: Path,
) -> None:
    path = tmp_path / "chaos.yaml"
    chaotic_exploration(path, 150)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.switch_mode("storm")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StormScreen)
        board = screen.board
        assert check_visible_stickies(board) >= 30
        # Several stickies share a time slice (stacked in their lane).
        assert max(len(ids) for piece in board.slices for ids in piece.lanes.values()) > 1
        await pilot.press("escape", "z")
        await pilot.pause()
        assert board.overview
        # The overview: the whole 150-sticky timeline on one screen.
        assert len(board.slices) <= board.visible_columns()
        assert check_visible_stickies(board) == 150
        await pilot.press("z")
        await pilot.pause()
        assert not board.overview


async def test_slash_finds_a_sticky_and_jumps_to_it(tmp_path: Path) -> None:
    path = tmp_path / "chaos.yaml"
    chaotic_exploration(path, 150)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.switch_mode("storm")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StormScreen)
        await pilot.press("escape", "slash", *"thing 123 ", "enter")
        await pilot.pause()
        board = screen.board
        assert board.selected is not None
        assert board.selected.text.startswith("Thing 123 ")
        x, _y = board.cell_of(board.cursor)
        assert GUTTER <= x - int(board.scroll_x) < board.scrollable_content_region.width
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"no such words", "enter")
        await pilot.pause()
        assert board.selected.text.startswith("Thing 123 ")  # not found: the cursor stays


async def test_a_lane_is_no_taller_than_its_deepest_stack(tmp_path: Path) -> None:
    """Two events and an actor at 160x48 used to get an EVENTS lane of 8 rows (most of
    them empty): a lane is as tall as the stickies it can stack, no taller."""
    path = tmp_path / "few.yaml"
    design = Design(name="Few")
    for text, kind in (("Order placed", "event"), ("Shopper", "actor"), ("Paid", "event")):
        design, _ = storm.add_sticky(design, text, kind)  # type: ignore[arg-type]
    save_document(new_document(path, design), design)
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.switch_mode("storm")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StormScreen)
        board = screen.board
        g = board.geometry
        assert board.lane_rows["event"] == 2 * g.rows  # the two events can stack
        assert board.lane_rows["actor"] == g.rows
        assert all(
            rows == 1 for kind, rows in board.lane_rows.items() if kind not in ("event", "actor")
        )
        assert check_visible_stickies(board) == 3


LONG_POLICY = "When an order is placed, reserve stock and charge"  # 4 lines of 14 cells


@pytest.mark.parametrize(("size", "whole"), [((160, 48), True), ((160, 24), False)])
async def test_stickies_grow_taller_only_when_the_board_has_the_rows(
    tmp_path: Path, size: tuple[int, int], whole: bool
) -> None:
    """A board with room shows a long sticky's text whole (up to four lines) instead of
    two lines and an ellipsis over empty rows; a short terminal keeps two lines, so
    every lane still fits without scrolling."""
    path = tmp_path / "few.yaml"
    design = Design(name="Few stickies")
    design, _ = storm.add_sticky(design, "Order Placed", "event")
    design, _ = storm.add_sticky(design, LONG_POLICY, "policy")
    design, _ = storm.add_sticky(design, "What if the card is declined twice?", "hotspot")
    save_document(new_document(path, design), design)
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await app.switch_mode("storm")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StormScreen)
        board = screen.board
        text = "\n".join(rows(board))
        assert check_visible_stickies(board) == 3  # all in view, whole cells, no overlap
        assert board.virtual_size.height <= board.scrollable_content_region.height
        if whole:
            assert board.geometry.text_rows == 4
            assert "…" not in text
            assert "reserve stock" in text and "and charge" in text
        else:
            assert board.geometry.text_rows == 2
            assert "…" in text
        board.set_overview(True)  # zooming out and back in gives the same geometry
        assert board.geometry.text_rows == 1
        board.set_overview(False)
        assert board.geometry.text_rows == (4 if whole else 2)
