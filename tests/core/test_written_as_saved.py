"""A file that is exactly what stratus writes is saved without a round-trip tree (issue 21).

Designs made by `stratus import`, by an export or by an earlier such save carry nothing of
a person's (no comment, no key order, no quoting of their own), so saving one needs no
comment-keeping tree (ruamel's pure-Python parse: ~25 s at 5,000 services). Proofs: such a
file is recognised and saved as `to_yaml` writes the edited design, an undo gives its
bytes back, and one byte of a person's (a comment, their own quoting, a blank line) makes
the tree come back and keeps what they wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from stratus_tui.core import edits
from stratus_tui.core.model import Design
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import (
    load_design,
    open_document,
    save_document,
    with_tree,
    written_as_saved,
)
from stratus_tui.core.store.serialise import to_yaml
from tests.support.design_strategies import designs


@pytest.fixture
def written(tmp_path: Path) -> Path:
    """The checkout sample as stratus writes it (no comments, house layout)."""
    path = tmp_path / "checkout.yaml"
    path.write_text(to_yaml(load_design(samples_dir() / "checkout.yaml")), encoding="utf-8")
    return path


def test_a_file_as_stratus_writes_it_is_saved_without_a_tree(written: Path) -> None:
    original = written.read_bytes()
    doc = open_document(written, lazy=True)
    assert written_as_saved(doc)
    ready = with_tree(doc)
    assert ready.tree is None and ready.source is None and ready.digest == doc.digest
    first = doc.design.services[0]
    # A field the file did not have lands in the model's order, as in a new file.
    edited = edits.update_design(
        doc.design,
        services=(
            first.model_copy(update={"description": "Takes the order"}),
            *doc.design.services[1:],
        ),
    )
    saved = save_document(ready, edited)
    assert written.read_bytes() == to_yaml(edited).encode("utf-8")
    assert load_design(written) == edited
    assert saved.tree is None and saved.source is None
    # Undo: the earlier design saves back to the very bytes that were read.
    save_document(saved, doc.design)
    assert written.read_bytes() == original


def test_a_lazy_document_saves_as_written_on_its_first_save(written: Path) -> None:
    doc = open_document(written, lazy=True)
    renamed = edits.update_design(doc.design, name="Renamed")
    saved = save_document(doc, renamed)  # no with_tree first: the save decides
    assert saved.tree is None
    assert written.read_bytes() == to_yaml(renamed).encode("utf-8")


@pytest.mark.parametrize(
    "touch",
    [
        lambda text: "# why these services exist\n" + text,
        lambda text: text.replace("name: Checkout platform", 'name: "Checkout platform"', 1),
        lambda text: text.replace("\nservices:\n", "\n\nservices:\n", 1),
        lambda text: text.replace("\n", "\r\n"),
    ],
    ids=["comment", "own quoting", "blank line", "crlf"],
)
def test_anything_of_a_persons_brings_the_tree_back(written: Path, touch: object) -> None:
    assert callable(touch)
    text = touch(written.read_text(encoding="utf-8"))
    written.write_bytes(text.encode("utf-8"))
    doc = open_document(written, lazy=True)
    assert load_design(written) == doc.design  # the same design, said their way
    assert not written_as_saved(doc)
    assert with_tree(doc).tree is not None
    save_document(doc, edits.update_design(doc.design, name="Renamed"))
    after = written.read_bytes().decode("utf-8")
    assert "Renamed" in after
    unchanged = [line for line in text.splitlines() if "Checkout platform" not in line]
    assert [line for line in after.splitlines() if "Renamed" not in line] == unchanged


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(design=designs(), other=designs())
def test_any_design_written_by_stratus_saves_any_other_exactly(
    tmp_path: Path, design: Design, other: Design
) -> None:
    path = tmp_path / "any.yaml"
    path.write_text(to_yaml(design), encoding="utf-8")
    doc = open_document(path, lazy=True)
    # Recognised whenever the fast writer takes the design whole; long or multi-line
    # text is ruamel's to write, as slow as the tree, which then keeps the file.
    assert written_as_saved(doc) == _fast(design)
    saved = save_document(doc, other)
    assert load_design(path) == other
    if _fast(design):
        assert saved.tree is None
        assert path.read_bytes() == to_yaml(other).encode("utf-8")
    else:
        assert saved.tree is not None


def _fast(design: Design) -> bool:
    from stratus_tui.core.store.serialise import Unsure, design_data, fast_yaml

    try:
        fast_yaml(design_data(design))
    except Unsure:
        return False
    return True


def test_long_text_is_left_to_the_tree(tmp_path: Path) -> None:
    """Text only ruamel can write (multi-line with `?` and `:`, as Decide's records have:
    seconds at 1,000 services, as long as building the tree) is not written just to
    compare: the tree keeps the file."""
    design = load_design(samples_dir() / "checkout.yaml")
    design = edits.update_design(design, context="Should we split it?\n\nYes: the teams block.")
    path = tmp_path / "long.yaml"
    path.write_text(to_yaml(design), encoding="utf-8")
    doc = open_document(path, lazy=True)
    assert not _fast(design) and not written_as_saved(doc)
    assert with_tree(doc).tree is not None


def test_json_and_new_documents_are_not_taken_for_written_yaml(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    from stratus_tui.core.store.serialise import to_json

    path.write_text(to_json(load_design(samples_dir() / "checkout.yaml")), encoding="utf-8")
    assert not written_as_saved(open_document(path, lazy=True))
