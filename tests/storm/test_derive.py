"""derive_services / apply_derived: candidate services, async dependencies, safe merge."""

from __future__ import annotations

from pathlib import Path

from stratus_tui.core.model import Design, Service
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.validation import check_references
from stratus_tui.core.storm import board as storm
from stratus_tui.core.storm import derive


def workshop(tmp_path: Path) -> Design:
    """A board typed the way a room would: two contexts, a cross-context policy."""
    text = """\
stratus: 1
name: Workshop
event_storming:
  contexts:
    - {id: ordering, name: Ordering}
    - {id: shipping, name: Shipping}
    - {id: empty, name: Nothing here}
  items:
    - {id: a1, kind: actor, text: Shopper, order: 10}
    - {id: c1, kind: command, text: Place Order, context: ordering, order: 20}
    - {id: g1, kind: aggregate, text: Order, context: ordering, order: 25}
    - {id: e1, kind: event, text: Order Placed, context: ordering, order: 30}
    - {id: p1, kind: policy, text: "Whenever placed, ship", context: shipping, order: 40}
    - {id: c2, kind: command, text: Ship Order, context: shipping, order: 50}
    - {id: g2, kind: aggregate, text: Shipment, context: shipping, order: 55}
    - {id: c3, kind: command, text: place order, context: ordering, order: 56}
    - {id: x1, kind: external, text: DHL API, context: shipping, order: 60}
    - {id: e2, kind: event, text: Order Shipped, context: shipping, order: 70}
    - {id: p2, kind: policy, text: "Whenever shipped, email", context: shipping, order: 80}
"""
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    return load_design(path)


def test_plan_for_a_fresh_design(tmp_path: Path) -> None:
    design = workshop(tmp_path)
    plan = derive.derive_services(design)
    by_id = {s.id: s for s in plan.services}
    assert set(by_id) == {"ordering", "shipping"}  # the empty context derives nothing
    assert by_id["ordering"].owns == ("Order",)
    assert by_id["ordering"].commands == ("Place Order",)  # "place order" is the same
    assert by_id["shipping"].owns == ("Shipment",)
    assert by_id["shipping"].name == "Shipping"
    assert not any(s.existing for s in plan.services)
    assert [(e.id, e.name, e.existing) for e in plan.externals] == [("dhl-api", "DHL API", False)]
    deps = {(d.from_, d.to, d.mode): d for d in plan.dependencies}
    # The shipping policy reacts to Order Placed (ordering): shipping depends on ordering.
    assert deps[("shipping", "ordering", "async")].label == "on Order Placed"
    assert ("shipping", "dhl-api", "sync") in deps
    # p2 reacts to an event of its own context: no self-dependency.
    assert all(f != t for f, t, _ in deps)


def test_apply_adds_services_externals_dependencies_validly(tmp_path: Path) -> None:
    design = workshop(tmp_path)
    applied = derive.apply_derived(design, derive.derive_services(design))
    services = {s.id: s for s in applied.services}
    assert services["ordering"].owns == ("Order",)
    assert services["ordering"].api == "Commands: Place Order"
    assert services["shipping"].context == "shipping"
    assert [e.id for e in applied.externals] == ["dhl-api"]
    asyncs = [(d.from_, d.to) for d in applied.dependencies if d.mode == "async"]
    assert asyncs == [("shipping", "ordering")]
    assert check_references(applied) == []
    # Applying again is a no-op.
    again = derive.apply_derived(applied, derive.derive_services(applied))
    assert again == applied


def test_apply_never_loses_edits(tmp_path: Path) -> None:
    design = workshop(tmp_path)
    edited = Service(
        id="shipping",
        name="Logistics",
        context="logistics",
        owns=("parcels",),
        api="REST: POST /shipments",
        replicas=4,
    )
    design = design.model_copy(update={"services": (edited,)})
    plan = derive.derive_services(design)
    assert {s.id: s.existing for s in plan.services} == {"ordering": False, "shipping": True}
    merged = {s.id: s for s in derive.apply_derived(design, plan).services}["shipping"]
    assert merged.name == "Logistics"  # existing fields win
    assert merged.context == "logistics"
    assert merged.replicas == 4
    assert merged.owns == ("parcels", "Shipment")  # new entries appended
    assert merged.api == "REST: POST /shipments; Commands: Ship Order"


def test_sample_maps_contexts_onto_existing_services(checkout: Design) -> None:
    plan = derive.derive_services(checkout)
    ids = {s.context: s.id for s in plan.services}
    # No service is called "ordering", but exactly one service has that context.
    assert ids == {"ordering": "checkout", "payments": "payments"}
    assert all(s.existing for s in plan.services)
    assert [e.id for e in plan.externals] == ["stripe"]
    applied = derive.apply_derived(checkout, plan)
    assert len(applied.services) == len(checkout.services)
    assert len(applied.externals) == len(checkout.externals)
    new = set(applied.dependencies) - set(checkout.dependencies)
    assert [(d.from_, d.to, d.mode) for d in new] == [("payments", "checkout", "async")]
    assert check_references(applied) == []


def test_context_id_taken_by_a_datastore_gets_a_fresh_service_id(tmp_path: Path) -> None:
    design = workshop(tmp_path)
    design = design.model_copy(
        update={"datastores": (*design.datastores, *load_design_store(tmp_path).datastores)}
    )
    plan = derive.derive_services(design)
    assert "ordering" not in {s.id for s in plan.services}
    assert "ordering-2" in {s.id for s in plan.services}
    assert check_references(derive.apply_derived(design, plan)) == []


def load_design_store(tmp_path: Path) -> Design:
    path = tmp_path / "store.yaml"
    path.write_text("stratus: 1\nname: s\ndatastores:\n  - {id: ordering}\n", encoding="utf-8")
    return load_design(path)


def test_empty_board_plans_nothing(blank: Design) -> None:
    plan = derive.derive_services(blank)
    assert plan.empty
    assert derive.apply_derived(blank, plan) == blank


def test_preview_lines_stay_one_line_and_carry_no_escape_codes() -> None:
    from stratus_tui.core.storm.derive import derive_services, plan_lines

    hostile = 'Order "placed"\nsecond line \x1b[2J [b]bold[/b] %%{init}%%'
    design = Design(name="x")
    design, ctx = storm.create_context(design, "Ordering\nwith a newline")
    for typed in (f"!{hostile}", f"#{hostile}", f">{hostile}", f"${hostile}"):
        design = storm.capture(design, typed, context=ctx)[0]
    lines = plan_lines(derive_services(design))
    assert len(lines) > 3
    for line in lines:
        assert "\n" not in line and "\x1b" not in line, line
    text = "\n".join(lines)
    assert "second line" in text and "[b]bold[/b]" in text  # flattened, not dropped
