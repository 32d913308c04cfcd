"""Derive maps a board context onto the services already in it (issue 14, item 10)."""

from __future__ import annotations

from pathlib import Path

from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.validation import check_references
from stratus_tui.core.storm import derive

BOARD = """\
event_storming:
  contexts:
    - {id: ordering, name: Ordering}
  items:
    - {id: c1, kind: command, text: Place Order, context: ordering, order: 10}
    - {id: g1, kind: aggregate, text: Order, context: ordering, order: 20}
"""


def design(tmp_path: Path, services: str) -> Design:
    path = tmp_path / "d.yaml"
    path.write_text(f"stratus: 1\nname: d\nservices:\n{services}{BOARD}", encoding="utf-8")
    return load_design(path)


def test_a_context_with_two_services_gets_no_duplicate(tmp_path: Path) -> None:
    """cart and checkout are both in 'ordering': the old rule (exactly one service with
    that context, else a new service 'ordering') added a third, duplicate service."""
    d = design(
        tmp_path,
        "  - {id: cart, context: ordering}\n  - {id: checkout, context: ordering}\n",
    )
    plan = derive.derive_services(d)
    assert [(s.id, s.existing) for s in plan.services] == [("cart", True)]
    applied = derive.apply_derived(d, plan)
    assert [s.id for s in applied.services] == ["cart", "checkout"]
    assert check_references(applied) == []


def test_the_context_is_matched_by_name_and_case(tmp_path: Path) -> None:
    """A service whose context is written 'Ordering ' (the board's name, another case)."""
    d = design(tmp_path, "  - {id: shop, context: 'Ordering '}\n")
    [candidate] = derive.derive_services(d).services
    assert (candidate.id, candidate.existing) == ("shop", True)


def test_of_several_the_one_named_like_the_context_wins(tmp_path: Path) -> None:
    d = design(
        tmp_path,
        "  - {id: cart, context: ordering}\n  - {id: orders, name: Ordering, context: ordering}\n",
    )
    [candidate] = derive.derive_services(d).services
    assert candidate.id == "orders"
