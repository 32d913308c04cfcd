"""The explanation beside a list: a new text of as many lines repaints it alone (no
screen layout per arrow key); one of another length is laid out and shown whole."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from stratus_tui.ui.widgets.reasons import ReasonsView

from .test_field_input import count_layouts


class HintApp(App[None]):
    CSS = "ReasonsView { height: 7; }"

    def compose(self) -> ComposeResult:
        yield ReasonsView("first finding: one line", id="hint")
        yield Static("below")


def shown(view: ReasonsView) -> list[str]:
    static = view.query_one(Static)
    return [
        "".join(s.text for s in static.render_line(y)).rstrip() for y in range(static.size.height)
    ]


async def test_same_length_repaints_other_length_lays_out() -> None:
    app = HintApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        view = app.query_one(ReasonsView)
        layouts = count_layouts(app.screen)
        view.update("second finding: one line")
        await pilot.pause()
        assert layouts["layout"] == 0
        assert shown(view) == ["second finding: one line"]
        view.update("third finding\nHint: a second line\nand a third")
        await pilot.pause()
        assert layouts["layout"] >= 1
        laid = layouts["layout"]
        assert shown(view) == ["third finding", "Hint: a second line", "and a third"]
        long = "a finding whose message is far longer than the forty cells of this pane"
        view.update(long)  # wraps: laid out again, every word shown
        await pilot.pause()
        assert layouts["layout"] > laid
        assert " ".join(shown(view)).split() == long.split()


async def test_text_given_before_mount_is_shown() -> None:
    """A design read before the first frame brings its verdicts before the view has
    mounted its text: the latest text is shown, nothing raises."""

    class EarlyApp(App[None]):
        def compose(self) -> ComposeResult:
            view = ReasonsView("placeholder", id="hint")
            view.update("the verdicts' reasons, early")  # before compose and mount
            yield view

    app = EarlyApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert shown(app.query_one(ReasonsView)) == ["the verdicts' reasons, early"]
