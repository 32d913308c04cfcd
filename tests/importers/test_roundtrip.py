"""Our own Mermaid export imports back to the same components and edges."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from stratus_tui.core.export import EXPORTERS
from stratus_tui.core.export.escape import clean_text, safe_ids
from stratus_tui.core.export.topology import edge_label
from stratus_tui.core.importers import import_source
from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store import load_design
from stratus_tui.core.validation import check_references
from tests.support.design_strategies import designs

from .helpers import assert_ids_valid


def _kinds(design: Design) -> dict[str, str]:
    return {
        **{s.id: "service" for s in design.services},
        **{d.id: "datastore" for d in design.datastores},
        **{e.id: "external" for e in design.externals},
    }


def _expected_ids(design: Design) -> dict[str, str]:
    """Original id -> id the import can know.

    Exact when the node shows the id (no name). A name hides the id: the import then uses
    the name when it reads as the node id, else the node id without its `n_` prefix.
    """
    ids = safe_ids(design.component_ids(), "n_")
    out = {}
    for comp in (*design.services, *design.datastores, *design.externals):
        label = clean_text(comp.label)
        body = ids[comp.id][2:]
        if label == comp.id:
            out[comp.id] = comp.id
        elif re.sub(r"[^A-Za-z0-9_]", "_", label)[:48] == body:
            out[comp.id] = label
        else:
            out[comp.id] = body
    return out


def _check_roundtrip(original: Design, folder: Path) -> Design:
    path = folder / "topology.mmd"
    path.write_text(EXPORTERS["mermaid"](original), encoding="utf-8")
    result = import_source(path)
    imported = result.design
    assert check_references(imported) == []
    assert_ids_valid(imported)
    assert result.skipped == []
    expect = _expected_ids(original)
    kinds = _kinds(original)
    assert _kinds(imported) == {expect[c]: k for c, k in kinds.items()}
    for comp in (*original.services, *original.datastores, *original.externals):
        back = imported.component(expect[comp.id])
        assert back is not None
        assert clean_text(back.label) == clean_text(comp.label)
    assert {(expect[d.from_], expect[d.to], d.mode) for d in original.dependencies} == {
        (d.from_, d.to, d.mode) for d in imported.dependencies
    }
    labels = {(expect[d.from_], expect[d.to], d.mode): edge_label(d) for d in original.dependencies}
    for d in imported.dependencies:
        want = labels[(d.from_, d.to, d.mode)]
        assert (clean_text(want) if want else None) == edge_label(d)
    return imported


def test_sample_design_roundtrips_exactly(tmp_path: Path) -> None:
    original = load_design(sample_path("checkout"))
    imported = _check_roundtrip(original, tmp_path)
    # The sample names every component, so ids with '-' come back as written only when
    # the name shows them; names, kinds, contexts and edges always come back.
    assert {s.label: s.context for s in imported.services} == {
        s.label: s.context for s in original.services
    }
    protocols = {(d.from_, d.to): d.protocol for d in imported.dependencies}
    assert {p for p in protocols.values() if p} == {
        d.protocol for d in original.dependencies if d.protocol and d.label
    }


def test_unnamed_components_roundtrip_ids_exactly(tmp_path: Path) -> None:
    original = Design.model_validate(
        {
            "stratus": 1,
            "name": "ids",
            "services": [
                {"id": "end", "context": "order mgmt"},
                {"id": "a.b-c"},
                {"id": "a_b_c"},
                {"id": "1st"},
            ],
            "datastores": [{"id": "orders-db"}],
            "externals": [{"id": "click"}],
            "dependencies": [
                {"from": "end", "to": "orders-db", "label": 'say "hi" (v1)', "protocol": "sql"},
                {"from": "a.b-c", "to": "a_b_c", "mode": "async"},
                {"from": "a_b_c", "to": "a.b-c"},
                {"from": "1st", "to": "click", "protocol": "https"},
            ],
        }
    )
    imported = _check_roundtrip(original, tmp_path)
    assert _kinds(imported) == _kinds(original)  # every id exactly, even colliding ones
    assert {s.id: s.context for s in imported.services}["end"] == "order mgmt"
    assert {(d.from_, d.to): (d.label, d.protocol) for d in imported.dependencies}[
        ("end", "orders-db")
    ] == ('say "hi" (v1)', "sql")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(max_items=5))
def test_random_designs_roundtrip(design: Design) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _check_roundtrip(design, Path(folder))


def test_a_name_that_reads_as_another_id(tmp_path: Path) -> None:
    # id a-b named a_b draws exactly like id a_b: the import can only say a_b.
    original = Design.model_validate(
        {
            "stratus": 1,
            "name": "x",
            "services": [{"id": "a-b", "name": "a_b"}, {"id": "c"}],
            "dependencies": [{"from": "c", "to": "a-b"}],
        }
    )
    imported = _check_roundtrip(original, tmp_path)
    assert {s.id for s in imported.services} == {"a_b", "c"}
