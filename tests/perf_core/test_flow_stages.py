"""A flow keeps each detailed service's own stages (issue 21: `stages_from` walked every
stage of the flow for each service asked, at every hop of latency, availability and the
sequence diagrams); the answers are the walk's, for every service of every flow."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.graphs import make_design
from stratus_tui.core.flows import RequestFlow, flows_of
from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.topology import Call, Topology, topology_of


def reference(flow: RequestFlow, topo: Topology, service: str) -> list[tuple[Call, ...]]:
    """stages_from before (verbatim but for names)."""
    sources = frozenset(h.call.source for stage in flow.stages for h in stage)
    if service in sources:
        out: list[tuple[Call, ...]] = []
        for stage in flow.stages:
            mine = tuple(h.call for h in stage if h.call.source == service)
            if mine:
                out.append(mine)
        return out
    from stratus_tui.core.flows import calls_from

    return [(c,) for c in calls_from(topo, service)]


def check(design: Design) -> None:
    topo = topology_of(design)
    for flow in flows_of(design):
        assert flow.detailed == frozenset(h.call.source for s in flow.stages for h in s)
        for service in [*topo.nodes, "not-a-component"]:
            got = flow.stages_from(topo, service)
            assert got == reference(flow, topo, service)
            got.append(())  # a fresh list each time: callers may extend it
            assert flow.stages_from(topo, service) == reference(flow, topo, service)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=8, max_value=80), st.integers(min_value=0, max_value=10_000))
def test_the_walks_answers_on_random_designs(n: int, seed: int) -> None:
    check(make_design(n, seed))


def test_samples_with_parallel_steps() -> None:
    for name in sample_names():
        check(load_design(sample_path(name)))
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "parallel",
            "services": [{"id": i} for i in ("a", "b", "c", "d")],
            "dependencies": [
                {"from": "a", "to": "b"},
                {"from": "a", "to": "c"},
                {"from": "b", "to": "d"},
                {"from": "c", "to": "d"},
            ],
            "flows": [
                {
                    "id": "f",
                    "name": "F",
                    "entry": "a",
                    "steps": [
                        {"parallel": [{"from": "a", "to": "b"}, {"from": "a", "to": "c"}]},
                        {"from": "b", "to": "d"},
                        {"from": "a", "to": "b"},
                        {"from": "c", "to": "d"},
                    ],
                }
            ],
        }
    )
    check(design)
    [flow] = [f for f in flows_of(design) if f.id == "f"]
    assert len(flow.stages_from(topology_of(design), "a")) == 2
