"""DISCOVER: answers change the model and the verdicts; bad input never enters the model."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from stratus_tui.ui.app import make_app
from stratus_tui.ui.screens.discover import DiscoverScreen

from .helpers import settle, stratus, type_into


def verdicts(screen: DiscoverScreen) -> dict[str, str]:
    return {str(v.pattern): str(v.verdict) for v in screen.verdicts}


async def test_answers_change_verdicts_and_bad_input_is_refused(design_file: Path) -> None:
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        screen = app.screen
        assert isinstance(screen, DiscoverScreen)
        before = verdicts(screen)
        assert before["microservices"] == "recommend"

        # A tiny team that deploys together: microservices stop being the answer.
        await type_into(pilot, "#f-team__engineers", "3")
        await type_into(pilot, "#f-team__teams", "1")
        assert app.design is not None
        assert app.design.discovery.team.engineers == 3
        assert app.design.discovery.team.teams == 1
        after = verdicts(screen)
        assert after["microservices"] != before["microservices"]
        assert "microservices" in screen.changed
        table = screen.query_one("#verdicts", DataTable)
        assert table.row_count == len(after)

        # Not a number: inline message, the model keeps the last valid value.
        await type_into(pilot, "#f-team__engineers", "3x")
        assert app.design.discovery.team.engineers == 3
        error = screen.query_one("#f-team__engineers-error", Static)
        assert "whole number" in str(error.render())
        assert error.has_class("-shown")

        # Parses, but breaks a model rule (a percentage above 100): refused inline;
        # the model keeps the value from before the field was typed in, not the "14"
        # passed on the way (issue 11, item 3).
        await type_into(pilot, "#f-requirements__availability", "140")
        assert app.design.discovery.requirements.availability == 99.9
        error = screen.query_one("#f-requirements__availability-error", Static)
        assert "100" in str(error.render())

        # Clearing a field makes the question unanswered again.
        await type_into(pilot, "#f-workload__peak_rps", "")
        assert app.design.discovery.workload.peak_rps is None


async def test_boolean_and_enum_answers(design_file: Path) -> None:
    from textual.widgets import Select

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        mtls = app.screen.query_one("#f-requirements__mtls", Select)
        assert mtls.value is False
        mtls.value = True
        await settle(pilot)
        assert app.design is not None and app.design.discovery.requirements.mtls is True
        mtls.clear()  # unanswered
        await settle(pilot)
        assert app.design.discovery.requirements.mtls is None
        assert mtls.has_class("-unanswered")
        topology = app.screen.query_one("#f-current__topology", Select)
        topology.value = "microservices"
        await settle(pilot)
        assert app.design.discovery.current.topology == "microservices"


async def test_pain_points_list_editor(design_file: Path) -> None:
    from stratus_tui.ui.widgets.list_field import ItemList, ListField

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        field = app.screen.query_one("#f-current__pain_points", ListField)
        assert field.items == ("slow-deploys", "cascading-failures", "release-coordination")
        await type_into(pilot, "#f-current__pain_points Input", "noisy neighbours")
        await pilot.press("enter")
        await settle(pilot)
        assert app.design is not None
        assert app.design.discovery.current.pain_points == (
            "slow-deploys",
            "cascading-failures",
            "release-coordination",
            "noisy neighbours",
        )
        items = field.query_one(ItemList)
        items.focus()
        items.highlighted = 0
        await pilot.press("delete")
        await settle(pilot)
        after: tuple[str, ...] = app.design.discovery.current.pain_points
        assert after[0] == "cascading-failures"
        for _ in range(3):
            items.highlighted = 0
            await pilot.press("delete")
            await settle(pilot)
        assert app.design.discovery.current.pain_points is None  # unanswered again


async def test_verdicts_show_the_portfolio_as_the_cli_does(design_file: Path) -> None:
    """DISCOVER's table says which recommendations to act on now and which later (issue 14,
    item 7), in the words `stratus recommend` prints; the reasons pane gives the trigger
    that would promote a later one and the other scope of a scoped verdict."""
    from stratus_tui.core.patterns import recommend
    from stratus_tui.core.patterns.wording import verdict_label as _label
    from stratus_tui.ui.widgets.reasons import ReasonsView

    async with make_app(design_file).run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = stratus(pilot).screen
        assert isinstance(screen, DiscoverScreen)
        table = screen.query_one("#verdicts", DataTable)
        shown = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        expected = [_label(v) for v in recommend(stratus(pilot).design)]  # type: ignore[arg-type]
        assert shown == expected
        assert "recommend now" in shown and "recommend later" in shown
        later = next(i for i, label in enumerate(shown) if label == "recommend later")
        table.move_cursor(row=later)
        await settle(pilot)
        reasons = screen.query_one("#reasons", ReasonsView).text
        assert "later, when:" in reasons
        serverless = next(i for i, v in enumerate(screen.verdicts) if v.pattern == "serverless")
        table.move_cursor(row=serverless)
        await settle(pilot)
        reasons = screen.query_one("#reasons", ReasonsView).text
        assert "on the request path" in reasons and "off the request path" in reasons
