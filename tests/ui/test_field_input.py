"""A form's Input and Select: a new value repaints the field alone (no screen layout
per key), a text longer than the field still scrolls so the cursor stays in view, and a
title's new text lays out only when it takes another number of lines."""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from stratus_tui.ui.widgets.field_input import FieldInput, FieldSelect, set_text


class FormApp(App[None]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("name")
            yield FieldInput("", id="field", compact=True)
            yield Static("below")


def count_layouts(screen: Screen[Any]) -> Counter[str]:
    """Full layout passes of `screen` from now on."""
    calls: Counter[str] = Counter()
    original = screen._refresh_layout

    def refresh_layout(*args: Any, **kwargs: Any) -> None:
        calls["layout"] += 1
        original(*args, **kwargs)

    screen._refresh_layout = refresh_layout  # type: ignore[method-assign]
    return calls


async def test_typing_lays_out_nothing_and_a_long_text_scrolls() -> None:
    app = FormApp()
    async with app.run_test(size=(30, 6)) as pilot:
        field = app.query_one("#field", Input)
        field.focus()
        await pilot.pause()
        layouts = count_layouts(app.screen)
        text = "a-long-service-name-that-does-not-fit-in-thirty-cells"
        await pilot.press(*text)
        await pilot.pause()
        assert field.value == text
        assert layouts["layout"] == 0  # plain Input: one full layout per key
        assert field.virtual_size.width > field.scrollable_content_region.width
        assert field.scroll_x > 0  # the end of the text, with the cursor, is shown
        shown = "".join(s.text for s in field.render_line(0))
        assert "thirty-cells" in shown
        assert app.query_one("Static:last-of-type", Static).region.y == 2  # nothing moved
        await pilot.press("home")
        await pilot.pause()
        assert field.scroll_x == 0
        assert "a-long" in "".join(s.text for s in field.render_line(0))


class ChoiceApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FieldSelect([("alpha", "alpha"), ("a-much-longer-choice-name", "long")], id="pick")
        yield Static("title", id="title")
        yield Static("below")


async def test_a_new_choice_or_title_of_one_line_lays_out_nothing() -> None:
    app = ChoiceApp()
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        pick = app.query_one("#pick", FieldSelect)
        title = app.query_one("#title", Static)
        layouts = count_layouts(app.screen)
        pick.value = "alpha"
        set_text(title, "another title")
        await pilot.pause()
        label = pick.query_one("#label", Static)
        assert "alpha" in "".join(s.text for s in label.render_line(0))
        assert "another title" in "".join(s.text for s in title.render_line(0))
        assert layouts["layout"] == 0  # plain Select / Static.update: a layout each
        pick.value = "long"  # one row, cut: the Select keeps its size
        await pilot.pause()
        assert layouts["layout"] == 0 and label.size.height == 1
        set_text(title, "a title much longer than twenty cells")  # wraps: laid out
        await pilot.pause()
        assert layouts["layout"] >= 1 and title.size.height > 1
