"""Property: whatever the facilitator does, the timeline is what a plain list would say,
and orders stay distinct, with nobody else moving on an insertion that has room."""

from __future__ import annotations

import itertools
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.model import Design, EventStorming, StickyKind, StormItem
from stratus_tui.core.storm import board as storm

ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(-2, 40), st.sampled_from(storm.KINDS)),
        st.tuples(st.just("move"), st.integers(0, 40), st.integers(-3, 3)),
        st.tuples(st.just("delete"), st.integers(0, 40), st.none()),
    ),
    max_size=40,
)
start_orders = st.lists(st.floats(-50, 50, allow_nan=False), max_size=8)


@settings(max_examples=120, deadline=None)
@given(start=start_orders, steps=ops)
def test_orders_stay_distinct_and_match_a_list_model(
    start: list[float], steps: list[tuple[str, int, object]]
) -> None:
    items = tuple(StormItem(id=f"s{i}", text=f"t{i}", order=o) for i, o in enumerate(start))
    design = Design(name="p", event_storming=EventStorming(items=items))
    model = [i.id for i in storm.timeline(design)]
    distinct = len(set(start)) == len(start)
    for op, pos, arg in steps:
        if op == "add":
            design, new_id = storm.add_sticky(design, "new", cast(StickyKind, arg), index=pos)
            model.insert(max(0, min(pos, len(model))), new_id)
        elif model and op == "move":
            assert isinstance(arg, int)
            target = model[pos % len(model)]
            design = storm.move(design, target, arg)
            old = model.index(target)
            model.insert(max(0, min(old + arg, len(model) - 1)), model.pop(old))
        elif model and op == "delete":
            design = storm.delete(design, model.pop(pos % len(model)))
        line = storm.timeline(design)
        assert [i.id for i in line] == model
        # Adding or moving makes orders distinct; deleting keeps them as they were.
        distinct = distinct or (op != "delete" and bool(model))
        if distinct:
            values = [i.order for i in line]
            assert values == sorted(set(values))  # distinct and increasing
        ids = [i.id for i in design.event_storming.items]
        assert len(ids) == len(set(ids))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=10, unique=True), st.integers(0, 12))
def test_insertion_with_room_moves_nobody(values: list[int], index: int) -> None:
    items = tuple(StormItem(id=f"s{i}", text="t", order=v * 3) for i, v in enumerate(values))
    design = Design(name="p", event_storming=EventStorming(items=items))
    after, new_id = storm.add_sticky(design, "new", index=index)
    kept = {i.id: i.order for i in after.event_storming.items if i.id != new_id}
    line = [i.order for i in storm.timeline(after)]
    assert line == sorted(set(line))
    spread = sorted(v * 3 for v in values)
    # Whole numbers free between every pair (and before the first): nobody moves.
    if spread[0] >= 2 and all(b - a >= 2 for a, b in itertools.pairwise(spread)):
        assert kept == {i.id: i.order for i in items}
