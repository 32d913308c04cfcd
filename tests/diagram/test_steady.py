"""Steady layout (LayoutMemory), views of a part, and the SVG render."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from benchmarks.bench_displacement import EDITS, designs, measure
from stratus_tui.core.confine import EXPORT_ROOT_ENV, OutsideRootError
from stratus_tui.core.diagram import TINY, LayoutMemory, build_graph, layout_graph, render
from stratus_tui.core.diagram.svg import save_svg, to_svg
from stratus_tui.core.diagram.views import context_members, flow_path, neighbourhood
from stratus_tui.core.edits import rename_component
from stratus_tui.core.store.design_file import load_design

from .helpers import check_layout, make

SAMPLES = Path(__file__).resolve().parents[2] / "sample_designs"


def chain() -> list[tuple[str, str, str]]:
    return [("a", "b", "sync"), ("b", "c", "sync"), ("c", "d", "sync"), ("x", "b", "async")]


def test_neighbourhood_goes_n_hops_both_ways() -> None:
    graph = build_graph(make([(s, None) for s in "abcdx"], chain()))
    assert neighbourhood(graph, "b", 1) == {"a", "b", "c", "x"}
    assert neighbourhood(graph, "b", 2) == {"a", "b", "c", "d", "x"}
    # Callers' other callees are not neighbours: from c, a is 2 hops up, x too.
    assert neighbourhood(graph, "c", 1) == {"b", "c", "d"}
    assert neighbourhood(graph, "gone", 3) == set()


def test_a_context_view_has_its_members_and_their_neighbours() -> None:
    graph = build_graph(make([("a", None), ("b", "k"), ("c", "k"), ("d", None)], chain()))
    assert context_members(graph, "k") == {"a", "b", "c", "d"}  # x is unknown: no edge
    part = graph.subgraph(context_members(graph, "k"))
    assert {c.id for c in part.clusters} == {"k"}
    check_layout(layout_graph(part, "layered"))


def test_a_flow_path_is_its_calls() -> None:
    design = load_design(SAMPLES / "checkout.yaml")
    nodes, pairs = flow_path(design, "place-order")
    assert ("gateway", "checkout") in pairs and ("checkout", "payments") in pairs
    assert {"gateway", "checkout", "payments"} <= nodes
    assert flow_path(design, "no-such-flow") == (set(), set())


def test_a_remembered_layout_keeps_every_box_where_it_was() -> None:
    design = load_design(SAMPLES / "payments-ledger.yaml")
    memory = LayoutMemory()
    first = layout_graph(build_graph(design), memory=memory)
    again = layout_graph(build_graph(design), memory=memory)
    assert first.boxes == again.boxes


def test_a_renamed_id_keeps_its_place() -> None:
    design = load_design(SAMPLES / "checkout.yaml")
    memory = LayoutMemory()
    before = {b.id: (b.x, b.y) for b in layout_graph(build_graph(design), memory=memory).boxes}
    renamed = rename_component(design, "payments", "billing")
    after = {b.id: (b.x, b.y) for b in layout_graph(build_graph(renamed), memory=memory).boxes}
    assert memory.renamed == {"billing": "payments"}
    assert after["billing"] == before["payments"]
    assert all(after[k] == v for k, v in before.items() if k != "payments")


def test_a_new_edge_inside_one_column_moves_only_its_head() -> None:
    design = make([("a", None), ("b", None), ("c", None)], [("a", "b", "sync"), ("a", "c", "sync")])
    memory = LayoutMemory()
    layout_graph(build_graph(design), "layered", memory=memory)
    ranks = dict(memory.rank)
    assert ranks["b"] == ranks["c"]
    edited = make(
        [("a", None), ("b", None), ("c", None)],
        [("a", "b", "sync"), ("a", "c", "sync"), ("b", "c", "sync")],
    )
    layout = layout_graph(build_graph(edited), "layered", memory=memory)
    check_layout(layout)
    assert memory.rank["a"] < memory.rank["b"] < memory.rank["c"]


def test_a_different_design_is_laid_out_afresh() -> None:
    memory = LayoutMemory()
    layout_graph(build_graph(load_design(SAMPLES / "checkout.yaml")), memory=memory)
    other = build_graph(load_design(SAMPLES / "iot-telemetry.yaml"))
    assert memory.ranking_for(other) is None


def test_unchanged_boxes_barely_move_after_one_edit() -> None:
    """Steady layout, measured: after each single edit (add a dependency, add or delete
    a service, rename an id or a title) on every sample and a 200-service design, the
    boxes that stay keep their places.

    Thresholds: on average over all these edits, unchanged boxes move at most 1 row
    (what the issue is about: contexts jumping up and down; a fresh dot layout moves
    them 9 rows on average here) and at most 10 cells sideways (a new column or a
    wider track gap shifts what lies right of it by a box's width, ~10-30 cells, so
    a few such edits average near 5). At most 2 % of pairs of unchanged boxes swap
    places: a new edge between two boxes of one column moves its head into a new
    column, and that is the only reordering allowed. Each figure is well inside what
    `python -m benchmarks.bench_displacement` prints for the steady layout and well
    outside what it prints for a fresh one.
    """
    dx, dy, swapped = [], [], []
    for design in designs().values():
        for edit in EDITS.values():
            steady, _ = measure(design, edit)
            dx.append(steady.dx)
            dy.append(steady.dy)
            swapped.append(steady.reordered)
    assert sum(dy) / len(dy) <= 1.0
    assert sum(dx) / len(dx) <= 10.0
    assert sum(swapped) / len(swapped) <= 0.02


def test_the_svg_has_every_component_and_parses() -> None:
    design = load_design(SAMPLES / "checkout.yaml")
    picture = render(layout_graph(build_graph(design).at(TINY)))
    text = to_svg(picture, "checkout", {"checkout"}, {("gateway", "checkout")})
    root = ET.fromstring(text)
    assert root.tag.endswith("svg")
    shown = "".join(root.itertext())
    for b in picture.layout.boxes:
        assert b.title in shown


def test_saving_the_svg_writes_beside_the_design_and_stays_confined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = render(layout_graph(build_graph(load_design(SAMPLES / "checkout.yaml"))))
    design_file = tmp_path / "shop.yaml"
    monkeypatch.delenv(EXPORT_ROOT_ENV, raising=False)
    out = save_svg(picture, design_file)
    assert out == tmp_path / "shop-diagram.svg"
    assert "API Gateway" in out.read_text("utf-8")
    # Served: only inside the export root; a design elsewhere gets nothing written.
    root = tmp_path / "root"
    root.mkdir()
    monkeypatch.setenv(EXPORT_ROOT_ENV, str(root))
    elsewhere = tmp_path / "other" / "x.yaml"
    elsewhere.parent.mkdir()
    with pytest.raises(OutsideRootError):
        save_svg(picture, elsewhere)
    assert not (elsewhere.parent / "x-diagram.svg").exists()
    assert save_svg(picture, root / "y.yaml").exists()
