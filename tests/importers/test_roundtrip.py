"""Our own Mermaid export imports back to the same components and edges."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from stratus_tui.core.escape import clean_text
from stratus_tui.core.export import EXPORTERS
from stratus_tui.core.export.topology import edge_label
from stratus_tui.core.importers import import_source
from stratus_tui.core.model import ID_PATTERN, Design
from stratus_tui.core.resources import sample_path, samples_dir
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.validation import check_references
from tests.support.design_strategies import designs

from .helpers import assert_ids_valid


def _kinds(design: Design) -> dict[str, str]:
    return {
        **{s.id: "service" for s in design.services},
        **{d.id: "datastore" for d in design.datastores},
        **{e.id: "external" for e in design.externals},
    }


def _contexts(design: Design) -> dict[str, str | None]:
    """Service id -> context, for the contexts the export can state exactly: design ids
    (written as `%% stratus-id` when the subgraph id cannot spell them)."""
    return {
        s.id: s.context.strip()
        for s in design.services
        if s.context and re.fullmatch(ID_PATTERN, s.context.strip())
    }


def _check_roundtrip(original: Design, folder: Path) -> Design:
    path = folder / "topology.mmd"
    path.write_text(EXPORTERS["mermaid"](original), encoding="utf-8")
    result = import_source(path)
    imported = result.design
    assert check_references(imported) == []
    assert_ids_valid(imported)
    assert result.skipped == []
    # Every id exactly: shown by the label, spelled by the node id or stated in a comment.
    assert _kinds(imported) == _kinds(original)
    for cid in original.component_ids():
        comp, back = original.component(cid), imported.component(cid)
        assert comp is not None and back is not None
        assert clean_text(back.label) == clean_text(comp.label)
    contexts = {s.id: s.context for s in imported.services}
    assert {c: contexts[c] for c in _contexts(original)} == _contexts(original)
    assert {(d.from_, d.to, d.mode) for d in original.dependencies} == {
        (d.from_, d.to, d.mode) for d in imported.dependencies
    }
    # The own-store line (issue 15) brings back which service owns which store.
    stores = {d.id for d in original.datastores}
    owned = {s.id: s.datastore for s in original.services if s.datastore in stores}
    assert {s.id: s.datastore for s in imported.services if s.datastore} == owned
    labels = {(d.from_, d.to, d.mode): edge_label(d) for d in original.dependencies}
    for d in imported.dependencies:
        want = labels[(d.from_, d.to, d.mode)]
        assert (clean_text(want) if want else None) == edge_label(d)
    return imported


def test_sample_design_roundtrips_exactly(tmp_path: Path) -> None:
    original = load_design(sample_path("checkout"))
    imported = _check_roundtrip(original, tmp_path)
    # The sample names every component; ids with '-' come back from the comments.
    assert imported.component("checkout-db") is not None
    assert {s.id: s.context for s in imported.services} == {
        s.id: s.context for s in original.services
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


def test_every_sample_roundtrips_exact_ids(tmp_path: Path) -> None:
    for path in sorted(samples_dir().glob("*.yaml")):
        original = load_design(path)
        imported = _check_roundtrip(original, tmp_path)
        assert {s.id: s.context for s in imported.services} == {
            s.id: (s.context or "").strip() or None for s in original.services
        }, path.name


def test_named_context_ids_roundtrip_exactly(tmp_path: Path) -> None:
    original = Design.model_validate(
        {
            "stratus": 1,
            "name": "ctx",
            "services": [
                {"id": "a", "context": "order-mgmt"},
                {"id": "b.c", "name": "B", "context": "order.mgmt"},
            ],
            "event_storming": {"contexts": [{"id": "order-mgmt", "name": "Orders"}]},
        }
    )
    imported = _check_roundtrip(original, tmp_path)
    assert {s.id: s.context for s in imported.services} == {"a": "order-mgmt", "b.c": "order.mgmt"}


def test_long_ids_roundtrip_exactly(tmp_path: Path) -> None:
    # Node ids keep 48 characters of the id: longer ids come back from the comments, and
    # a 48-character id whose name merely starts with it is not mistaken for the name.
    long48, long64 = "a" * 48, "b" * 63 + "c"
    original = Design.model_validate(
        {
            "stratus": 1,
            "name": "long",
            "services": [
                {"id": long48, "name": long48 + "-and-more"},
                {"id": long64},
                {"id": long64[:-1] + "d", "name": "D"},
            ],
            "dependencies": [{"from": long48, "to": long64}],
        }
    )
    imported = _check_roundtrip(original, tmp_path)
    assert {s.id for s in imported.services} == {s.id for s in original.services}


def test_a_name_that_reads_as_another_id(tmp_path: Path) -> None:
    # id a-b named a_b draws exactly like id a_b would: the comment tells them apart.
    original = Design.model_validate(
        {
            "stratus": 1,
            "name": "x",
            "services": [{"id": "a-b", "name": "a_b"}, {"id": "c"}],
            "dependencies": [{"from": "c", "to": "a-b"}],
        }
    )
    imported = _check_roundtrip(original, tmp_path)
    assert {s.id: s.label for s in imported.services} == {"a-b": "a_b", "c": "c"}


def _import_text(tmp_path: Path, text: str) -> Design:
    path = tmp_path / "hand.mmd"
    path.write_text(text, encoding="utf-8")
    return import_source(path).design


def test_id_comments_only_rename_seen_nodes_to_valid_ids(tmp_path: Path) -> None:
    head = "flowchart LR\n  %% Generated by stratus\n"
    body = '  n_a("A"):::service\n  n_b("B"):::service\n  n_c("C"):::service\n'
    comments = (
        "  %% stratus-id n_a a-1\n"  # applies
        "  %% stratus-id n_a a-2\n"  # a second line for the same node: the first wins
        "  %% stratus-id n_b -bad\n"  # not a valid id: ignored
        "  %% stratus-id n_zz zz-9\n"  # names no node: ignored
        '  n_c("C"):::service %% stratus-id n_c c-1\n'  # not a line of its own: ignored
        "  %% stratus-id n_b\nend\n"  # the id is never read from the next line
    )
    design = _import_text(tmp_path, head + body + comments)
    assert {s.id for s in design.services} == {"a-1", "b", "c"}
    assert design.component("zz-9") is None
    # Without the mapping the same diagram falls back to the node ids.
    plain = _import_text(tmp_path, head + body)
    assert {s.id for s in plain.services} == {"a", "b", "c"}
