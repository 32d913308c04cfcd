"""Saves that diff cleanly (issue 11, item 9): whole numbers stay whole, an undone delete
puts back the very bytes, adding a sticky touches one line. Real files, real saves."""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from stratus_tui.core import edits
from stratus_tui.core.model import Datastore, Dependency, Design, External, Service
from stratus_tui.core.store.design_file import Document, open_document, save_document
from stratus_tui.core.storm import board as storm

SAMPLES = Path(__file__).resolve().parents[2] / "sample_designs"
NAMES = ("checkout", "payments-ledger", "iot-telemetry")


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / f"{name}.yaml"
    shutil.copy(SAMPLES / f"{name}.yaml", target)
    return target


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(
        before.decode().splitlines(), after.decode().splitlines(), n=0, lineterm=""
    )
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def deletions(design: Design) -> list[tuple[str, Callable[[Design], Design]]]:
    """Every delete the workbench offers, one per item of the design."""
    cases: list[tuple[str, Callable[[Design], Design]]] = []
    for i, d in enumerate(design.dependencies):
        cases.append((f"dependency {d.from_}->{d.to}", partial(edits.delete_dependency, index=i)))
    components: list[Service | Datastore | External] = [
        *design.services,
        *design.datastores,
        *design.externals,
    ]
    for c in components:
        cases.append((c.id, partial(edits.delete_component, component_id=c.id)))
    sections: tuple[edits.Section, ...] = ("failure_modes", "decisions", "migration")
    for section in sections:
        for item in getattr(design, section):
            cases.append((item.id, partial(edits.delete_item, section=section, item_id=item.id)))
    for sticky in design.event_storming.items:
        cases.append((f"sticky {sticky.id}", partial(storm.delete, item_id=sticky.id)))
    return cases


@pytest.mark.parametrize("name", NAMES)
def test_delete_then_undo_restores_the_bytes(tmp_path: Path, name: str) -> None:
    path = copy(tmp_path, name)
    original = path.read_bytes()
    doc: Document = open_document(path)
    before = doc.design
    for label, delete in deletions(before):
        doc = save_document(doc, delete(before))
        assert path.read_bytes() != original, label
        doc = save_document(doc, before)  # what undo saves: the design from before
        assert path.read_bytes() == original, (label, changed_lines(original, path.read_bytes()))


def test_cleared_fields_come_back_in_place(tmp_path: Path) -> None:
    path = copy(tmp_path, "checkout")
    original = path.read_bytes()
    doc = open_document(path)
    before = doc.design
    cleared = [
        edits.update_dependency(before, 0, timeout_ms=None, retries=None),
        edits.update_service(before, "gateway", name=None, slo=None, rollback=None),
        edits.set_discovery(before, "workload.growth_18m", None),
    ]
    for design in cleared:
        doc = save_document(doc, design)
        doc = save_document(doc, before)
        assert path.read_bytes() == original


def test_whole_numbers_are_written_as_integers(tmp_path: Path) -> None:
    path = copy(tmp_path, "checkout")
    original = path.read_bytes()
    doc = open_document(path)
    design = edits.update_dependency(doc.design, 0, timeout_ms=250.0)
    design = edits.set_discovery(design, "workload.growth_18m", 4.0)
    design = edits.add_dependency(
        design, Dependency(from_="notifications", to="stripe", timeout_ms=300.0)
    )
    doc = save_document(doc, design)
    changes = changed_lines(original, path.read_bytes())
    assert "+    growth_18m: 4" in changes
    assert any("timeout_ms: 250," in line for line in changes if line.startswith("+"))
    assert "+  - {from: notifications, to: stripe, timeout_ms: 300}" in changes
    assert not any(".0," in line or line.endswith(".0") for line in changes if line[0] == "+")


@pytest.mark.parametrize("name", NAMES)
def test_adding_a_sticky_adds_one_line(tmp_path: Path, name: str) -> None:
    path = copy(tmp_path, name)
    original = path.read_bytes()
    doc = open_document(path)
    design, item_id = storm.capture(doc.design, "! Something happened")
    doc = save_document(doc, design)
    changes = changed_lines(original, path.read_bytes())
    assert len(changes) == 1 and changes[0].startswith(f"+    - {{id: {item_id},"), changes
    assert not changes[0].rstrip("}").endswith(".0")


def test_a_new_item_with_a_deleted_ones_ends_is_written_fresh(tmp_path: Path) -> None:
    """Only the very same item comes back as written; another one is not given its comment."""
    path = copy(tmp_path, "checkout")
    doc = open_document(path)
    before = doc.design
    index = next(
        i for i, d in enumerate(before.dependencies) if (d.from_, d.to) == ("checkout", "monolith")
    )
    doc = save_document(doc, edits.delete_dependency(before, index))
    fresh = edits.add_dependency(doc.design, Dependency(from_="checkout", to="monolith"))
    save_document(doc, fresh)
    text = path.read_text()
    assert "Known gap" not in text
    assert "  - {from: checkout, to: monolith}\n" in text
