"""Layouts of hand-made designs, with Graphviz dot and with the built-in layering."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratus_tui.core.diagram import build_graph, draw, layout_graph, render
from stratus_tui.core.diagram.ranking import dot_available
from stratus_tui.core.store.design_file import load_design

from .helpers import DASHED, SOLID, check_frames, check_grid, check_layout, make, route_cells

ENGINES = ["dot", "layered"]
SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"

needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz dot not installed")


def shop():
    return make(
        [("web", "edge"), ("orders", "ordering"), ("pay", "payments"), ("mail", None)],
        [
            ("web", "orders", "sync"),
            ("orders", "pay", "sync"),
            ("orders", "bus", "async"),
            ("mail", "bus", "async"),
            ("pay", "psp", "sync"),
        ],
        stores=["bus"],
        externals=["psp"],
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_every_component_gets_one_box_and_nothing_overlaps(engine: str) -> None:
    design = shop()
    layout = layout_graph(build_graph(design), engine)  # type: ignore[arg-type]
    assert sorted(b.id for b in layout.boxes) == sorted(design.component_ids())
    check_layout(layout)
    check_frames(layout, design)


@needs_dot
def test_dot_is_used_when_installed() -> None:
    layout = layout_graph(build_graph(shop()), "auto")
    assert layout.engine == "dot" and layout.notes == ()


@pytest.mark.parametrize("engine", ENGINES)
def test_async_edges_are_dashed_and_sync_edges_solid(engine: str) -> None:
    design = make(
        [("a", None), ("b", None), ("c", None)], [("a", "b", "async"), ("b", "c", "sync")]
    )
    picture = draw(design, engine)  # type: ignore[arg-type]
    routes = {(r.src, r.dst): r for r in picture.layout.routes}
    glyphs = {
        pair: {picture.rows[y].get(x) for x, y in route_cells(r)} - {None}
        for pair, r in routes.items()
    }
    async_glyphs = glyphs[("a", "b")] - {"▷"}
    sync_glyphs = glyphs[("b", "c")] - {"▶"}
    assert async_glyphs and async_glyphs <= DASHED
    assert sync_glyphs and sync_glyphs <= SOLID
    assert picture.rows[routes[("a", "b")].arrow[1]][routes[("a", "b")].arrow[0]] == "▷"
    assert picture.rows[routes[("b", "c")].arrow[1]][routes[("b", "c")].arrow[0]] == "▶"


@pytest.mark.parametrize("engine", ENGINES)
def test_cycles_are_drawn_with_the_arrow_on_the_right_end(engine: str) -> None:
    design = make(
        [("a", None), ("b", None), ("c", None)],
        [("a", "b", "sync"), ("b", "c", "sync"), ("c", "a", "sync")],
    )
    layout = layout_graph(build_graph(design), engine)  # type: ignore[arg-type]
    check_layout(layout)
    assert len(layout.routes) == 3
    assert any(r.arrow_dir == "left" for r in layout.routes)


@pytest.mark.parametrize("engine", ENGINES)
def test_long_edges_run_in_their_own_lane(engine: str) -> None:
    # a -> b -> c -> d and a -> d: the long edge must pass b and c without touching them.
    design = make(
        [(x, "ctx") for x in "abcd"],
        [("a", "b", "sync"), ("b", "c", "sync"), ("c", "d", "sync"), ("a", "d", "async")],
    )
    layout = layout_graph(build_graph(design), engine)  # type: ignore[arg-type]
    check_layout(layout)
    check_frames(layout, design)
    xs = {b.id: b.x for b in layout.boxes}
    assert xs["a"] < xs["b"] < xs["c"] < xs["d"]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_sample_design_draws_with_frames_labels_and_legend(engine: str) -> None:
    design = load_design(SAMPLE)
    picture = draw(design, engine)  # type: ignore[arg-type]
    check_layout(picture.layout)
    check_frames(picture.layout, design)
    check_grid(picture)
    text = "\n".join(picture.lines)
    assert "sync call" in picture.lines[0] and "async message" in picture.lines[0]
    for s in design.services:
        assert s.label in text
    assert "Ordering" in text  # the storm context's name labels the frame
    labelled = [r for r in picture.regions if r.kind == "edge-label"]
    assert labelled, "at least one edge label has room"
    for r in labelled:
        shown = picture.line(r.y0, r.x0, r.x1)
        dep = next(d for d in design.dependencies if (d.from_, d.to) == r.edges[0])
        assert shown.rstrip("…") in (dep.label or dep.protocol or "")


def test_a_service_is_linked_to_its_own_datastore() -> None:
    design = make([("a", "x")], [], stores=["db"])
    design = design.model_copy(
        update={"services": (design.services[0].model_copy(update={"datastore": "db"}),)}
    )
    graph = build_graph(design)
    assert [(e.src, e.dst) for e in graph.edges] == [("a", "db")]
    assert {n.id: n.cluster for n in graph.nodes}["db"] == "x"


def test_an_empty_design_renders_only_the_legend() -> None:
    picture = render(layout_graph(build_graph(make([], []))))
    assert picture.layout.boxes == () and picture.height >= 1
    check_grid(picture)


def test_regions_cover_boxes_and_name_their_components() -> None:
    picture = draw(shop(), "layered")
    boxes = {
        r.component: r for r in picture.regions if r.kind in ("service", "datastore", "external")
    }
    assert set(boxes) == {"web", "orders", "pay", "mail", "bus", "psp"}
    assert boxes["bus"].kind == "datastore" and boxes["psp"].kind == "external"
    b = boxes["bus"]
    assert picture.line(b.y0, b.x0, b.x1).startswith("╭")
    assert picture.line(boxes["psp"].y0, boxes["psp"].x0, boxes["psp"].x1).startswith("╔")
    edges = {pair for r in picture.regions if r.kind == "edge" for pair in r.edges}
    assert edges == {(d.from_, d.to) for d in shop().dependencies}
