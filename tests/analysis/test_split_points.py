"""Chokepoints without networkx's biconnected components (issue 21): one linear
articulation-point search gives the same answer as the block-cut tree it replaced."""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis.spof import chokepoints


def reference(sync: Any) -> list[tuple[str, int]]:
    """The block-cut-tree computation chokepoints used before (networkx)."""
    undirected = nx.Graph(sync.to_undirected(as_view=True))
    undirected.remove_nodes_from([n for n in list(undirected) if undirected.degree(n) == 0])
    if undirected.number_of_nodes() < 3:
        return []
    cut = set(nx.articulation_points(undirected))
    is_service = {n: sync.nodes[n]["kind"] == "service" for n in undirected}
    out = []
    for v in cut:
        rest = undirected.subgraph([n for n in undirected if n != v])
        near = set(undirected[v])
        groups = [
            c for c in nx.connected_components(rest) if c & near and any(is_service[n] for n in c)
        ]
        if len(groups) >= 2:
            out.append((v, len(groups)))
    return sorted(out)


graphs = st.integers(1, 14).flatmap(
    lambda n: st.tuples(
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
    )
)


@settings(max_examples=400, deadline=None)
@given(graphs)
def test_same_chokepoints_as_networkx(spec: tuple[list[bool], list[tuple[int, int]]]) -> None:
    kinds, edges = spec
    sync = nx.DiGraph()
    for i, service in enumerate(kinds):
        sync.add_node(f"n{i:02d}", kind="service" if service else "datastore")
    sync.add_edges_from((f"n{a:02d}", f"n{b:02d}") for a, b in edges)
    assert chokepoints(sync) == reference(sync)


def test_a_chain_thousands_deep_needs_no_recursion() -> None:
    sync = nx.DiGraph()
    ids = [f"s{i:05d}" for i in range(20_000)]
    sync.add_nodes_from(ids, kind="service")
    sync.add_edges_from(itertools.pairwise(ids))  # every inner link splits the chain in two
    found = chokepoints(sync)
    assert len(found) == len(ids) - 2 and {g for _, g in found} == {2}
