"""Ids from text, made unique: one implementation for importers, the board and the editor."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from stratus_tui.core import edits
from stratus_tui.core.ids import id_from_text, slug_id, unique_id
from stratus_tui.core.model import ID_PATTERN, Design, Service

VALID = re.compile(ID_PATTERN)


@given(st.text(max_size=120))
def test_any_text_gives_a_valid_id(text: str) -> None:
    assert VALID.fullmatch(id_from_text(text))
    assert VALID.fullmatch(slug_id(text))


@given(st.text(max_size=80), st.sets(st.text(min_size=1, max_size=70), max_size=20))
def test_a_unique_id_is_valid_free_and_short_enough(text: str, taken: set[str]) -> None:
    base = id_from_text(text)
    taken |= {base, f"{base}-2"[:64]}
    chosen = unique_id(base, taken)
    assert chosen not in taken
    assert VALID.fullmatch(chosen)


def test_the_editors_new_id_stays_within_64_characters() -> None:
    # A 64-character id taken: "<id>-2" would be 66 characters, refused by the model.
    long = "s" * 64
    design = Design(name="x", services=(Service(id=long),))
    chosen = edits.unique_id(design, long, "services")
    assert chosen == "s" * 62 + "-2"
    edits.add_service(design, Service(id=chosen))  # the model accepts it


def test_prose_becomes_lowercase_words_and_names_keep_their_shape() -> None:
    assert slug_id("Order Fulfilment & Billing") == "order-fulfilment-billing"
    assert id_from_text("Zahlungsdienst für Ä") == "Zahlungsdienst-fur-A"
    assert id_from_text("payments.api_v2") == "payments.api_v2"
