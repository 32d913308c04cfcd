"""The STORM board at 160x48 with 60 stickies: every sticky in its own cells, scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from stratus_tui.core import storm
from stratus_tui.core.model import Design
from stratus_tui.core.store import new_document, save_document
from stratus_tui.ui.app import make_app
from stratus_tui.ui.screens.storm import StormScreen
from stratus_tui.ui.widgets.storm_board import (
    COL_W,
    GUTTER,
    HEAD_ROWS,
    LANE_LABELS,
    STICKY_W,
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
    """Every sticky in view is drawn in its own column, in its kind's lane."""
    lines = rows(board)
    first = int(board.scroll_x) // COL_W
    visible = (board.scrollable_content_region.width - GUTTER) // COL_W
    checked = 0
    for column in range(first, min(first + visible, len(board.items))):
        item = board.items[column]
        if "\n" in item.text:
            continue  # wide characters shift str indexes; covered by the cell-length check
        lane = storm.KINDS.index(item.kind)
        x = GUTTER + (column - first) * COL_W + 1
        expected = sticky_lines(item.text, STICKY_W - 2, board.lane_h - 1)
        for offset, text in enumerate(expected):
            row = lines[HEAD_ROWS + lane * board.lane_h + offset]
            assert row[x : x + STICKY_W - 2] == text, (column, offset)
        checked += 1
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
        assert board.lane_h >= 4  # three lines of text per sticky at 48 rows
        lines = rows(board)
        for kind, label in LANE_LABELS.items():
            assert lines[HEAD_ROWS + storm.KINDS.index(kind) * board.lane_h].startswith(f" {label}")
        assert check_visible_stickies(board) >= 6
        assert all("\x1b" not in line and "\x07" not in line for line in lines)
        # Scroll along the timeline with the cursor.
        await pilot.press("escape", "end")
        await pilot.pause()
        assert board.cursor == 59
        assert board.scroll_x > 0
        assert int(board.scroll_x) % COL_W == 0  # whole columns, never half a sticky
        assert check_visible_stickies(board) >= 6
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
