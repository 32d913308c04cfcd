"""Saving keeps the author's layout where only the emitter would re-wrap it, and id-less
lists keep each item's node (quoting, comments) when a neighbour is deleted."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core import edits
from stratus_tui.core.model import AcceptedRisk
from stratus_tui.core.store.design_file import open_document, save_document
from stratus_tui.core.store.layout import keep_layout
from stratus_tui.core.yaml_io import parse_text

WRAPPED_SEQ = """\
stratus: 1
name: Wrapped
services:
  - {id: api, owns: [orders, carts,
       refunds]}
  - {id: billing}
"""


def test_a_wrapped_flow_sequence_survives_an_edit_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(WRAPPED_SEQ, encoding="utf-8")
    doc = open_document(path)
    save_document(doc, edits.set_discovery(doc.design, "team.engineers", 4))
    text = path.read_text("utf-8")
    assert text.startswith(WRAPPED_SEQ)
    assert "engineers: 4" in text


def test_an_edit_inside_the_wrapped_item_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(WRAPPED_SEQ, encoding="utf-8")
    doc = open_document(path)
    api = doc.design.services[0]
    changed = edits.update_item(doc.design, "services", "api", owns=(*api.owns, "returns"))
    save_document(doc, changed)
    again = open_document(path).design
    assert again.services[0].owns == ("orders", "carts", "refunds", "returns")


def test_whitespace_that_is_data_is_never_kept_from_the_old_text() -> None:
    written = 'a: "x  y"\nb: 1\n'
    rendered = 'a: "x y"\nb: 1\n'
    assert keep_layout(written, rendered) == rendered


def test_a_literal_block_is_not_re_wrapped_into_other_data() -> None:
    written = "text: |\n  one\n  two\nn: 1\n"
    rendered = "text: |\n  one two\nn: 1\n"
    assert keep_layout(written, rendered) == rendered


_words = st.text(alphabet="abc xyz", min_size=1, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_words, min_size=1, max_size=5), min_size=1, max_size=6),
    st.lists(st.integers(min_value=0, max_value=3), min_size=6, max_size=6),
)
def test_the_result_always_means_what_was_rendered(rows: list[list[str]], wraps: list[int]) -> None:
    # written: flow sequences wrapped after some items; rendered: the same data (or with a
    # row dropped, as an edit would) on one line each. The result must parse to exactly
    # the rendered data, whatever was kept.
    def flow(items: list[str], wrap: int) -> str:
        quoted = [f'"{w}"' for w in items]
        if 0 < wrap < len(quoted):
            return "[" + ", ".join(quoted[:wrap]) + ",\n    " + ", ".join(quoted[wrap:]) + "]"
        return "[" + ", ".join(quoted) + "]"

    written = "".join(f"k{i}: {flow(r, wraps[i % len(wraps)])}\n" for i, r in enumerate(rows))
    kept_rows = rows[1:] if len(rows) > 1 else rows
    rendered = "".join(f"k{i + (len(rows) > 1)}: {flow(r, 0)}\n" for i, r in enumerate(kept_rows))
    result = keep_layout(written, rendered)
    assert parse_text(result, "-") == parse_text(rendered, "-")


CHECKOUT_RISKS = """\
stratus: 1
name: Risks
services:
  - {id: a}
  - {id: b}
accepted_risks:
  - rule: spof
    component: a
    reason: plain reason for a
  - rule: spof
    component: b
    reason: "quoted: reason for b"   # why b is fine
"""


def test_deleting_an_id_less_item_leaves_its_neighbour_as_written(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(CHECKOUT_RISKS, encoding="utf-8")
    doc = open_document(path)
    before = doc.design
    fewer = before.model_copy(update={"accepted_risks": before.accepted_risks[1:]})
    doc = save_document(doc, fewer)
    text = path.read_text("utf-8")
    assert '    reason: "quoted: reason for b"   # why b is fine\n' in text
    assert "plain reason for a" not in text
    save_document(doc, before)  # undo: the item comes back as written
    assert path.read_text("utf-8") == CHECKOUT_RISKS
    assert isinstance(before.accepted_risks[0], AcceptedRisk)
