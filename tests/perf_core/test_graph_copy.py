"""The plain graph's copy and synchronous part are built directly (issue 21) rather than
edge by edge: the same graph as adding the nodes and edges one by one, in the same
orders, with attribute dicts of its own (edited without touching the original)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis.graph import SYNC, Graph, sync_graph

IDS = ["a", "b", "c", "d", "e"]


def one_by_one(graph: Graph, sync_only: bool) -> Graph:
    """What copy and sync_graph did before."""
    out = Graph()
    out.add_nodes_from((n, dict(d)) for n, d in graph.nodes(data=True))
    out.add_edges_from(
        (u, v, dict(d)) for u, v, d in graph.edges(data=True) if not sync_only or d["mode"] == SYNC
    )
    return out


def shape(g: Graph) -> tuple[object, ...]:
    return (
        list(g.nodes(data=True)),
        list(g.edges(data=True)),
        {n: list(g.pred[n].items()) for n in g},
        {n: list(g.succ[n].items()) for n in g},
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(IDS), max_size=6),
    st.lists(
        st.tuples(st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(["sync", "async"])),
        max_size=14,
    ),
)
def test_the_same_graph_as_one_by_one(nodes: list[str], edges: list[tuple[str, str, str]]) -> None:
    g = Graph()
    for n in nodes:
        g.add_node(n, kind="service", label=n.upper())
    for u, v, mode in edges:
        g.add_edge(u, v, mode=mode, label=f"{u}{v}")
    for fast, slow in ((g.copy(), one_by_one(g, False)), (sync_graph(g), one_by_one(g, True))):
        assert shape(fast) == shape(slow)
        before = shape(g)
        for n in fast:  # its own dicts: editing the copy leaves the original alone
            fast.nodes[n]["kind"] = "edited"
        for u, v, d in list(fast.edges(data=True)):
            d["mode"] = "edited"
            assert fast.pred[v][u] is d  # one dict per edge, seen from both ends
        fast.remove_edges_from(list(fast.edges()))
        assert shape(g) == before
