"""Regressions found by the exploration guard (tests/ui/explore), one test each."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input

from stratus_tui.core.fields import FieldSpec
from stratus_tui.core.store.design_file import load_design, open_document, save_document
from stratus_tui.ui.app import make_app
from stratus_tui.ui.screens.architect import ArchitectScreen
from stratus_tui.ui.widgets.collection import CollectionPane
from stratus_tui.ui.widgets.form import ModelForm, display, parse

from .helpers import settle, stratus

COMMA_ITEMS = """\
stratus: 1
name: Commas
services:
  - id: api
    owns: ["orders, refunds", "carts"]
"""

LIST = FieldSpec("owns", "owns", kind="list")
ITEM = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12
).filter(lambda s: s.strip() == s)


@given(st.lists(ITEM, min_size=1, max_size=5).map(tuple))
def test_a_list_field_shows_text_that_parses_back_to_its_items(items: tuple[str, ...]) -> None:
    # Found on the hostile design: `owns: ["a, b", ...]` was shown as "a, b, ..." and any
    # keystroke in the field split the item in two.
    assert parse(LIST, display(items)) == items


async def test_typing_in_a_list_field_keeps_an_item_that_holds_a_comma(tmp_path: Path) -> None:
    path = tmp_path / "commas.yaml"
    path.write_text(COMMA_ITEMS, encoding="utf-8")
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        app = stratus(pilot)
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        pane = await screen.show_tab("services")
        assert isinstance(pane, CollectionPane)
        await settle(pilot)
        field = pane.form.query_one("#f-owns", Input)
        field.focus()
        await pilot.press("end", *", sessions")
        await settle(pilot)
        assert app.save_now()
        assert load_design(path).services[0].owns == ("orders, refunds", "carts", "sessions")


async def test_a_refused_answer_stays_red_after_leaving_the_field(design_file: Path) -> None:
    # Found by the guard (soak, iot-telemetry at 80x24: shift+tab, `-1`, tab): Textual's
    # own Input validation cleared the form's `-invalid` mark on blur, so `-1` looked
    # accepted while the file kept the old budget.
    async with make_app(design_file).run_test(size=(80, 24)) as pilot:
        app = stratus(pilot)
        await settle(pilot)
        form = app.screen.query_one("#answers", ModelForm)
        field = form._widget("budget.monthly_usd")
        assert isinstance(field, Input)
        field.focus()
        await pilot.press("-", "1")
        await settle(pilot)
        assert field.has_class("-invalid")
        for key in ("enter", "tab"):
            await pilot.press(key)
            await settle(pilot)
            assert field.value == "-1" and field.has_class("-invalid"), key
        assert load_design(design_file).discovery.budget.monthly_usd == 20000


WRAPPED = """\
stratus: 1
name: Wrapped
services:
  - {id: api}
  - {id: db-proxy}
dependencies:
  - {from: api, to: db-proxy, mode: sync, protocol: rest, timeout_ms: 500,
     label: read}
"""


def test_an_edit_elsewhere_leaves_a_wrapped_flow_mapping_as_written(tmp_path: Path) -> None:
    from stratus_tui.core import edits

    path = tmp_path / "wrapped.yaml"
    path.write_text(WRAPPED, encoding="utf-8")
    doc = open_document(path)
    save_document(doc, edits.set_discovery(doc.design, "team.engineers", 4))
    assert path.read_text("utf-8").startswith(WRAPPED)
