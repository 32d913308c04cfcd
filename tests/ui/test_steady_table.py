"""A list pane's second table (a flow's steps) refilled per highlighted item: a refill
lays out nothing unless a scrollbar comes or goes, and rows past the box still scroll."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from stratus_tui.ui.widgets.fit_table import SteadyTable

from .test_field_input import count_layouts


class StepsApp(App[None]):
    CSS = "SteadyTable { height: 6; }"

    def compose(self) -> ComposeResult:
        table = SteadyTable(cursor_type="row")
        table.add_columns("#", "call")
        yield table
        yield Static("below")


def fill(table: SteadyTable, count: int) -> None:
    table.clear()
    for i in range(count):
        table.add_row(str(i + 1), f"svc-{i} -> svc-{i + 1}", key=str(i))


async def test_refills_lay_out_only_when_a_scrollbar_changes() -> None:
    app = StepsApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(SteadyTable)
        fill(table, 2)
        await pilot.pause()
        layouts = count_layouts(app.screen)
        fill(table, 4)  # still fits: no scrollbar
        await pilot.pause()
        assert layouts["layout"] == 0  # a DataTable lays the screen out per refill
        assert table.virtual_size.height == 5 and not table.show_vertical_scrollbar
        fill(table, 30)  # past the box: the scrollbar appears (a layout)
        await pilot.pause()
        assert table.show_vertical_scrollbar
        assert layouts["layout"] >= 1
        table.move_cursor(row=29, animate=False)
        await pilot.pause()
        assert table.scroll_y == table.max_scroll_y > 0  # the last row is in view
        shown = "".join(s.text for s in table.render_line(table.size.height - 1))
        assert "svc-29" in shown
        fill(table, 3)  # back inside the box: the scrollbar goes
        await pilot.pause()
        assert not table.show_vertical_scrollbar and table.scroll_y == 0
