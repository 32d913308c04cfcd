"""Board operations of stratus_tui.core.storm.board, on real designs."""

from __future__ import annotations

import pytest

from stratus_tui.core.ids import slug_id, unique_id
from stratus_tui.core.model import Design, EventStorming, StormItem
from stratus_tui.core.store.validation import check_references
from stratus_tui.core.storm import board as storm


def texts(design: Design) -> list[str]:
    return [item.text for item in storm.timeline(design)]


def orders(design: Design) -> list[float]:
    return [item.order for item in storm.timeline(design)]


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("!Order Placed", "event", "Order Placed"),
        ("> Place Order", "command", "Place Order"),
        ("@Shopper", "actor", "Shopper"),
        ("#Cart", "aggregate", "Cart"),
        ("~ Whenever paid, ship", "policy", "Whenever paid, ship"),
        ("=Order summary", "read_model", "Order summary"),
        ("$Stripe", "external", "Stripe"),
        ("?What if it times out?", "hotspot", "What if it times out?"),
        ("Payment Captured", "event", "Payment Captured"),
        ("  spaced out  ", "event", "spaced out"),
    ],
)
def test_parse_capture_prefixes(typed: str, kind: str, text: str) -> None:
    assert storm.parse_capture(typed) == (kind, text)


def test_every_kind_has_a_prefix_and_capture_text_round_trips() -> None:
    assert set(storm.PREFIXES.values()) == set(storm.KINDS)
    for kind in storm.KINDS:
        item = StormItem(id="s1", kind=kind, text="Thing")
        assert storm.parse_capture(storm.capture_text(item)) == (kind, "Thing")


def test_capture_on_empty_board_then_append(blank: Design) -> None:
    d, first = storm.capture(blank, "Order Placed")
    d, second = storm.capture(d, "> Pay", index=1)
    assert texts(d) == ["Order Placed", "Pay"]
    assert storm.find_item(d, first).kind == "event"
    assert storm.find_item(d, second).kind == "command"
    assert first != second
    assert orders(d) == sorted(set(orders(d)))


def test_insert_between_keeps_other_orders(checkout: Design) -> None:
    before = {i.id: i.order for i in checkout.event_storming.items}
    d, new_id = storm.add_sticky(checkout, "Cart Checked Out", "event", index=2)
    assert storm.timeline(d)[2].id == new_id
    after = {i.id: i.order for i in d.event_storming.items if i.id != new_id}
    assert after == before  # nobody else moved: a one-line diff
    assert float(storm.find_item(d, new_id).order).is_integer()


def test_insert_without_room_renumbers(blank: Design) -> None:
    board = EventStorming(
        items=(StormItem(id="e1", text="A", order=1), StormItem(id="e2", text="B", order=1.5))
    )
    d = blank.model_copy(update={"event_storming": board})
    d, _new_id = storm.add_sticky(d, "Between", index=1)
    assert texts(d) == ["A", "Between", "B"]
    assert orders(d) == sorted(set(orders(d)))


def test_insert_first_and_clamped_index(checkout: Design) -> None:
    d, first = storm.add_sticky(checkout, "Start", index=0)
    d, last = storm.add_sticky(d, "End", index=999)
    line = storm.timeline(d)
    assert line[0].id == first
    assert line[-1].id == last


def test_generated_ids_follow_kind_letter_and_are_unique(checkout: Design) -> None:
    d, cid = storm.capture(checkout, "> Cancel Order")
    d, eid = storm.capture(d, "Order Cancelled")
    assert cid == "c2"  # the sample already has c1
    assert eid == "e3"
    d, gid = storm.capture(d, "#Order")
    assert gid.startswith("g")
    ids = [i.id for i in d.event_storming.items]
    assert len(ids) == len(set(ids))
    assert check_references(d) == []


def test_empty_text_is_refused(blank: Design) -> None:
    with pytest.raises(storm.StormError):
        storm.capture(blank, "!   ")
    with pytest.raises(storm.StormError):
        storm.add_sticky(blank, "x", context="nowhere")


def test_move_earlier_and_later_swaps_with_neighbour(checkout: Design) -> None:
    line = [i.id for i in storm.timeline(checkout)]
    target = line[3]
    d = storm.move(checkout, target, -1)
    moved = [i.id for i in storm.timeline(d)]
    assert moved[2] == target and moved[3] == line[2]
    assert sorted(orders(d)) == sorted(orders(checkout))  # same order values, swapped
    d = storm.move(d, target, +1)
    assert [i.id for i in storm.timeline(d)] == line


def test_move_clamps_at_the_ends(checkout: Design) -> None:
    first = storm.timeline(checkout)[0].id
    assert storm.move(checkout, first, -1) == checkout
    d = storm.move(checkout, first, 100)
    assert storm.timeline(d)[-1].id == first


def test_move_with_duplicate_orders_renumbers_first(blank: Design) -> None:
    board = EventStorming(
        items=(StormItem(id="e1", text="A", order=5), StormItem(id="e2", text="B", order=5))
    )
    d = storm.move(blank.model_copy(update={"event_storming": board}), "e2", -1)
    assert texts(d) == ["B", "A"]
    assert len(set(orders(d))) == 2


def test_edit_delete_kind_pivotal(checkout: Design) -> None:
    d = storm.edit_text(checkout, "e1", "Order Submitted")
    assert storm.find_item(d, "e1").text == "Order Submitted"
    d = storm.edit_capture(d, "e1", "?Is it submitted?")
    assert storm.find_item(d, "e1").kind == "hotspot"
    d = storm.edit_capture(d, "e1", "Plain keeps kind")
    assert storm.find_item(d, "e1").kind == "hotspot"
    d = storm.set_kind(d, "e1", "event")
    assert storm.find_item(d, "e1").kind == "event"
    d = storm.cycle_kind(d, "e1")
    assert storm.find_item(d, "e1").kind == storm.KINDS[1]
    d = storm.cycle_kind(d, "e1", -1)
    assert storm.find_item(d, "e1").kind == "event"
    assert storm.find_item(d, "e2").pivotal is False
    d = storm.set_pivotal(d, "e2")
    assert storm.find_item(d, "e2").pivotal is True
    d = storm.set_pivotal(d, "e2", False)
    assert storm.find_item(d, "e2").pivotal is False
    d = storm.delete(d, "e2")
    assert "e2" not in {i.id for i in d.event_storming.items}
    with pytest.raises(storm.StormError):
        storm.delete(d, "e2")
    with pytest.raises(storm.StormError):
        storm.edit_text(d, "e1", "  ")


def test_contexts_create_rename_assign(checkout: Design) -> None:
    d, cid = storm.create_context(checkout, "Shipping & Delivery")
    assert cid == "shipping-delivery"
    d, again = storm.create_context(d, "Shipping & Delivery")
    assert again == "shipping-delivery-2"
    d = storm.rename_context(d, cid, "Fulfilment")
    assert storm.context_name(d, cid) == "Fulfilment"
    d = storm.assign_range(d, 5, 3, cid)  # either order, inclusive
    line = storm.timeline(d)
    assert [i.context for i in line[3:6]] == [cid] * 3
    assert line[2].context != cid
    d = storm.assign_context(d, [line[0].id], None)
    assert storm.find_item(d, line[0].id).context is None
    assert check_references(d) == []
    with pytest.raises(storm.StormError):
        storm.assign_context(d, ["e1"], "nowhere")
    with pytest.raises(storm.StormError):
        storm.rename_context(d, "nowhere", "x")
    with pytest.raises(storm.StormError):
        storm.create_context(d, "Again", context_id=cid)


def test_slug_and_unique_id_make_valid_ids() -> None:
    assert slug_id("  ", "context") == "context"
    assert slug_id("Ünïcode only ✓") == "unicode-only"  # accents folded, as importers do
    assert len(slug_id("x" * 200)) == 64
    assert unique_id("a", ["a", "a-2"]) == "a-3"
    assert len(unique_id("y" * 64, ["y" * 64])) == 64
