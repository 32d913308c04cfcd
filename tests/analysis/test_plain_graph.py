"""The analyses' plain graph (issue 21: lint and the report without networkx) is the
networkx graph of the same design: same nodes, edges, attributes and orders, and the
same answers to everything the analyses ask of it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.graphs import make_data
from stratus_tui.core.analysis.graph import build_graph, plain_graph, sync_graph
from stratus_tui.core.model import Design

IDS = ["a", "b", "c", "d", "s1", "x"]


def _same(ours: Any, theirs: Any) -> None:
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(data=True)) == list(theirs.edges(data=True))
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    for n in theirs:
        assert ours.nodes[n] == theirs.nodes[n]
        assert list(ours.successors(n)) == list(theirs.successors(n))
        assert list(ours.predecessors(n)) == list(theirs.predecessors(n))
        assert dict(ours.pred[n]) == dict(theirs.pred[n]) and dict(ours[n]) == dict(theirs[n])
        assert ours.in_edges(n) == list(theirs.in_edges(n))
        assert ours.out_edges(n) == list(theirs.out_edges(n))
        assert ours.degree(n) == theirs.degree(n)
    for u, v in theirs.edges():
        assert ours.edges[u, v] == theirs.edges[u, v] and ours.has_edge(u, v)
        assert ours.get_edge_data(u, v) == theirs.get_edge_data(u, v)


def _design(deps: list[tuple[str, str, str]], stores: list[bool]) -> Design:
    return Design.model_validate(
        {
            "stratus": 1,
            "name": "random",
            "services": [
                {"id": s, **({"datastore": "s1"} if own else {})}
                for s, own in zip(["a", "b", "c", "d"], stores, strict=False)
            ],
            "datastores": [{"id": "s1"}],
            "externals": [{"id": "x"}],
            "dependencies": [{"from": a, "to": b, "mode": m} for a, b, m in deps],
        }
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(["sync", "async"])),
        max_size=14,
    ),
    st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_plain_graph_is_the_networkx_graph(
    deps: list[tuple[str, str, str]], stores: list[bool]
) -> None:
    design = _design(deps, stores)
    ours, theirs = plain_graph(design), build_graph(design)
    _same(ours, theirs)
    _same(sync_graph(ours), sync_graph(theirs))
    a, b = sync_graph(ours).copy(), sync_graph(theirs).copy()
    drop = [(u, v) for u, v, _d in deps[::2]]
    a.remove_edges_from([e for e in drop if a.has_edge(*e)])
    b.remove_edges_from([e for e in drop if b.has_edge(*e)])
    _same(a, b)


def test_a_realistic_design() -> None:
    design = Design.model_validate(make_data(150))
    _same(plain_graph(design), build_graph(design))
