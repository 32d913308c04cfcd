"""ARCHITECT Flows tab: flows and steps edited by keys, each edit one undo step, the
file valid after each; derived flows are read-only until declared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stratus_tui.core.model import Design, Flow
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.validation import check_references
from stratus_tui.ui.app import StratusApp, make_app
from stratus_tui.ui.dialogs.pick import PickDialog
from stratus_tui.ui.dialogs.prompt import PromptDialog
from stratus_tui.ui.panes.flows import FlowsPane
from stratus_tui.ui.screens.architect import ArchitectScreen

from .helpers import goto, settle, stratus, type_into

DESIGN = """\
stratus: 1
name: Shop
services:
  - {id: gateway, api: rest}
  - {id: orders}
  - {id: stock}
  - {id: pay}
datastores:
  - {id: db, kind: postgres}
dependencies:
  - {from: gateway, to: orders, mode: sync}
  - {from: orders, to: stock, mode: sync}
  - {from: orders, to: pay, mode: sync}
  - {from: orders, to: db, mode: sync}
"""


def flows(app: StratusApp) -> tuple[Flow, ...]:
    assert app.design is not None
    return app.design.flows


def saved(app: StratusApp, path: Path) -> Design:
    """Save, reload the file from disk: it loads, has no reference problem, and equals
    what the screen shows."""
    assert app.save_now()
    on_disk = load_design(path)
    assert check_references(on_disk) == []
    assert on_disk.flows == flows(app)
    return on_disk


async def pick(pilot, label: str) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, PickDialog)
    values = [v for v, text in dialog.options if text.startswith(label)]
    assert values, f"{label!r} not offered: {dialog.options}"
    dialog.dismiss(values[0])
    await settle(pilot)


async def test_flow_add_steps_parallel_compensation_undo(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(DESIGN)
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        pane = await screen.show_tab("flows")
        await settle(pilot)
        assert isinstance(pane, FlowsPane)

        # a derived flow of the entry is listed, read-only
        assert "gateway.orders" in pane.derived
        pane.select("gateway.orders")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert not isinstance(app.screen, PickDialog)
        await type_into(pilot, "#flows-form #f-name", "Renamed")
        assert flows(app) == ()
        assert "declare it" in pane.form.invalid.get("name", "")

        # add a flow by keys
        pane.table.focus()
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await type_into(pilot, "#value", "buy")
        await pilot.press("enter")
        await settle(pilot)
        assert [f.id for f in flows(app)] == ["buy"]
        assert flows(app)[0].entry == "gateway"
        saved(app, path)
        # the entry now has a declared flow: its derived one is gone
        assert "gateway.orders" not in pane.derived

        # add steps through the picker: entry's dependencies, then the callee's
        pane.table.focus()
        await pilot.press("s")
        await settle(pilot)
        assert [t for _, t in app.screen.options] == ["gateway → orders (sync)"]  # type: ignore[attr-defined]
        await pick(pilot, "gateway → orders")
        for label in ("orders → stock", "orders → pay"):
            pane.table.focus()
            await pilot.press("s")
            await settle(pilot)
            await pick(pilot, label)
            saved(app, path)
        steps = flows(app)[0].steps
        assert [(s.from_, s.to) for s in steps] == [
            ("gateway", "orders"),
            ("orders", "stock"),
            ("orders", "pay"),
        ]
        assert pane.steps_table.row_count == 3

        # the last step runs in parallel with the one before
        pane.steps_table.focus()
        pane.steps_table.move_cursor(row=2)
        await pilot.press("p")
        await settle(pilot)
        steps = saved(app, path).flows[0].steps
        assert len(steps) == 2 and steps[1].parallel is not None
        assert [(c.from_, c.to) for c in steps[1].parallel] == [
            ("orders", "stock"),
            ("orders", "pay"),
        ]

        # a compensation on the group
        pane.steps_table.move_cursor(row=1)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await type_into(pilot, "#value", "release stock")
        await pilot.press("enter")
        await settle(pilot)
        group = saved(app, path).flows[0].steps[1].parallel
        assert group is not None and {c.compensate for c in group} == {"release stock"}

        # undo each step, one at a time
        await pilot.press("escape")
        checks: list[Callable[[Flow], bool]] = [
            lambda f: f.steps[1].parallel is not None and f.steps[1].parallel[0].compensate is None,
            lambda f: len(f.steps) == 3,
            lambda f: len(f.steps) == 2,
            lambda f: len(f.steps) == 1,
            lambda f: len(f.steps) == 0,
        ]
        for expect in checks:
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert expect(flows(app)[0])
            saved(app, path)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert flows(app) == ()
        saved(app, path)


async def test_derived_flow_is_declared(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(DESIGN)
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        pane = await screen.show_tab("flows")
        await settle(pilot)
        assert isinstance(pane, FlowsPane)
        assert pane.select("gateway.orders")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert flows(app) == ()
        await pilot.press("d")
        await settle(pilot)
        flow = saved(app, path).flows[0]
        assert flow.id == "gateway.orders" and flow.entry == "gateway"
        assert [(s.from_, s.to) for s in flow.steps] == [("gateway", "orders")]
        assert "gateway.orders" not in pane.derived
        # now editable: a step from the callee
        await pilot.press("s")
        await settle(pilot)
        await pick(pilot, "orders → db")
        assert len(saved(app, path).flows[0].steps) == 2

        # an SLO value that is not a percentage is refused, never applied
        await type_into(pilot, "#flows-form #f-slo__availability", "150")
        slo = flows(app)[0].slo
        assert slo is None or slo.availability is None
        assert "slo.availability" in pane.form.invalid
        assert saved(app, path).flows[0].slo in (None, slo)
        await type_into(pilot, "#flows-form #f-slo__availability", "99.5")
        flow = saved(app, path).flows[0]
        assert flow.slo is not None and flow.slo.availability == 99.5


FLOW_KEYS = {
    "flows.add_step": "s",
    "flows.delete_step": "x",
    "flows.step_up": "[",
    "flows.step_down": "]",
    "flows.parallel": "p",
    "flows.compensate": "c",
    "flows.declare": "d",
}


async def open_flows(pilot) -> tuple[StratusApp, FlowsPane]:
    await settle(pilot)
    app = stratus(pilot)
    await goto(pilot, "2")
    screen = app.screen
    assert isinstance(screen, ArchitectScreen)
    pane = await screen.show_tab("flows")
    await settle(pilot)
    assert isinstance(pane, FlowsPane)
    return app, pane


BUY = DESIGN + "flows:\n  - {id: buy, entry: gateway}\n"


async def test_flow_keys_have_ids_in_help_and_keymap(tmp_path: Path) -> None:
    """Every Flows key has a binding id: `?` lists it there, keymap.toml remaps it."""
    from stratus_tui.ui.screens.help import HelpScreen

    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('"flows.add_step" = "ctrl+k"\n')
    path = tmp_path / "shop.yaml"
    path.write_text(BUY)
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        app, pane = await open_flows(pilot)
        assert pane.select("buy")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {row.binding_id: row for row in app.screen.rows if row.binding_id}
        keys = {bid: rows[bid].keys for bid in FLOW_KEYS if bid in rows}
        assert keys == {**FLOW_KEYS, "flows.add_step": "^k"}
        assert {rows[bid].where for bid in FLOW_KEYS} == {"FlowsPane"}
        await pilot.press("escape")
        await settle(pilot)
        pane.table.focus()
        await pilot.press("s")  # remapped away: no step picker
        await settle(pilot)
        assert not isinstance(app.screen, PickDialog)
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, PickDialog)


async def test_a_refused_slo_leaves_no_empty_slo_in_the_file(tmp_path: Path) -> None:
    """Typing 150 (then abc, then -5) as a flow's availability target: each refused, the
    file never gets `slo: {}` (an empty block the user did not write)."""
    path = tmp_path / "shop.yaml"
    path.write_text(BUY)
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        app, pane = await open_flows(pilot)
        assert pane.select("buy")
        await settle(pilot)
        for refused in ("150", "abc", "-5"):
            await type_into(pilot, "#flows-form #f-slo__availability", refused)
            assert "slo.availability" in pane.form.invalid
            assert saved(app, path).flows[0].slo is None
            assert "slo" not in path.read_text()
        # a valid target is kept; clearing it again removes the block, not leaves it empty
        await type_into(pilot, "#flows-form #f-slo__availability", "99.5")
        assert saved(app, path).flows[0].slo is not None
        assert "slo: {availability: 99.5}" in path.read_text()
        await type_into(pilot, "#flows-form #f-slo__availability", "")
        assert saved(app, path).flows[0].slo is None
        assert "slo" not in path.read_text()
