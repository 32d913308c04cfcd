"""Random designs never crash the diagram and never overlap or cross boxes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.diagram import build_graph, layout_graph, render
from stratus_tui.core.model import Design

from .helpers import check_frames, check_grid, check_layout

NAMES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


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
