"""Editing a commented file into any other design: the file then loads as that design.

`save_document` merges the new design into the person's round-trip tree (comments, key
order, layout). Whatever the two designs are, what is saved must load back exactly as
the design that was saved, and the sample's comments that still apply must survive.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design, open_document, save_document
from tests.support.design_strategies import designs

MERGE = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@MERGE
@given(first=designs(), second=designs())
def test_any_design_saved_over_another_loads_back_exactly(
    tmp_path: Path, first: Design, second: Design
) -> None:
    path = tmp_path / "d.yaml"
    path.unlink(missing_ok=True)
    from stratus_tui.core.store.design_file import new_document

    save_document(new_document(path, first), first)
    doc = save_document(open_document(path), second)
    assert load_design(path) == second
    # A second save of the same design through the reopened tree changes nothing.
    before = path.read_bytes()
    save_document(open_document(path), doc.design)
    assert path.read_bytes() == before


@MERGE
@given(replacement=designs())
def test_a_commented_sample_edited_into_any_design_loads_back(
    tmp_path: Path, replacement: Design
) -> None:
    path = tmp_path / "checkout.yaml"
    shutil.copyfile(sample_path("checkout"), path)
    doc = open_document(path)
    # Keep the sample's name and version line; replace everything else.
    save_document(doc, replacement.model_copy(update={"name": doc.design.name}))
    saved = load_design(path)
    assert saved == replacement.model_copy(update={"name": doc.design.name})
    assert path.read_text(encoding="utf-8").lstrip().startswith("#")  # header comment kept


@MERGE
@given(text=st.text(alphabet=st.sampled_from(list("ab \t\n#:|-'\"")), max_size=12))
def test_any_text_written_into_a_commented_file_reads_back(tmp_path: Path, text: str) -> None:
    """Multi-line text once became a `|2+` block that gained a newline on reload."""
    path = tmp_path / "checkout.yaml"
    shutil.copyfile(sample_path("checkout"), path)
    doc = open_document(path)
    first = doc.design.services[0]
    edited = doc.design.model_copy(
        update={
            "context": text,
            "services": (first.model_copy(update={"api": text}), *doc.design.services[1:]),
        }
    )
    save_document(doc, edited)
    back = load_design(path)
    assert (back.context, back.services[0].api) == (text, text)
