"""Random designs never crash the diagram and never overlap or cross boxes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.diagram import (
    LEVELS,
    LayoutMemory,
    build_graph,
    fit_layout,
    layout_graph,
    render,
)
from stratus_tui.core.model import Design

from .helpers import check_frames, check_grid, check_layout

NAMES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@st.composite
def designs(draw: st.DrawFn) -> Design:
    n_svc = draw(st.integers(0, 18))
    n_store = draw(st.integers(0, 7))
    n_ext = draw(st.integers(0, 4))
    contexts = draw(st.lists(NAMES, min_size=1, max_size=4))
    svc_ids = [f"s{i}" for i in range(n_svc)]
    ids = svc_ids + [f"d{i}" for i in range(n_store)] + [f"x{i}" for i in range(n_ext)]
    services = [
        {
            "id": sid,
            "name": draw(NAMES),
            "context": draw(st.none() | st.sampled_from(contexts)),
            "runtime": draw(st.none() | NAMES),
            "datastore": draw(st.none() | st.sampled_from([f"d{i}" for i in range(n_store)]))
            if n_store
            else None,
        }
        for sid in svc_ids
    ]
    deps = []
    if svc_ids:
        for _ in range(draw(st.integers(0, 45))):
            deps.append(
                {
                    "from": draw(st.sampled_from(svc_ids)),
                    "to": draw(st.sampled_from(ids)),
                    "mode": draw(st.sampled_from(["sync", "async"])),
                    "label": draw(st.none() | NAMES),
                }
            )
    return Design.model_validate(
        {
            "name": "random",
            "services": services,
            "datastores": [
                {"id": f"d{i}", "name": draw(NAMES), "kind": draw(st.none() | NAMES)}
                for i in range(n_store)
            ],
            "externals": [{"id": f"x{i}", "name": draw(NAMES)} for i in range(n_ext)],
            "dependencies": deps,
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(), st.sampled_from(["dot", "layered"]))
def test_random_designs_lay_out_cleanly(design: Design, engine: str) -> None:
    layout = layout_graph(build_graph(design), engine)  # type: ignore[arg-type]
    assert len(layout.boxes) == len(design.component_ids())
    check_layout(layout)
    check_frames(layout, design)
    check_grid(render(layout))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(), st.sampled_from(LEVELS), st.sampled_from(["dot", "layered"]))
def test_every_level_of_detail_lays_out_cleanly(design: Design, detail: Any, engine: str) -> None:
    layout = layout_graph(build_graph(design).at(detail), engine)  # type: ignore[arg-type]
    assert len(layout.boxes) == len(design.component_ids())
    check_layout(layout)
    check_frames(layout, design)
    check_grid(render(layout))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs(), st.integers(20, 220), st.integers(8, 70))
def test_the_fit_view_shows_every_component(design: Design, width: int, height: int) -> None:
    """Whatever the pane size, the fit view has a box for every component of the
    design, with its name (or id) on it, and is drawn cleanly; when it fits the pane
    it is no bigger than the pane."""
    graph = build_graph(design)
    layout = fit_layout(graph, width, height, memory=LayoutMemory())
    boxes = {b.id: b for b in layout.boxes}
    assert set(boxes) == set(design.component_ids())
    names = {n.id: n.title for n in graph.nodes}
    for cid, box in boxes.items():
        shown = (box.title + box.subtitle).replace("…", "")
        # A short label is a cut of the name or of the id, never empty when they are not.
        assert shown or not (names[cid] or cid), cid
    check_layout(layout)
    check_frames(layout, design)
    picture = render(layout)
    check_grid(picture)
    if layout.detail != "tiny":  # a more detailed level is only chosen when it fits
        assert picture.width <= width and picture.height <= height
