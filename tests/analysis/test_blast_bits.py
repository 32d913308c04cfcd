"""Blast radius reachability without networkx's condensation (issue 21): the bit sets
name exactly networkx's ancestors on random graphs, cycles and self-loops included."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis.blast import _ancestor_bits, _names


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
        )
    )
)
def test_ancestors_are_networkx_ancestors(spec: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = spec
    graph = nx.DiGraph()
    graph.add_nodes_from(f"n{i:02d}" for i in range(n))
    graph.add_edges_from((f"n{a:02d}", f"n{b:02d}") for a, b in edges)
    nodes = sorted(graph)
    bits = _ancestor_bits(graph, {v: i for i, v in enumerate(nodes)})
    for v in nodes:
        assert _names(bits[v], nodes) == frozenset(nx.ancestors(graph, v))
