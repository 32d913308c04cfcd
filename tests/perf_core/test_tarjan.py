"""The topology's Tarjan (blast radius, hard reach, cycles, process groups: seven runs
per report) compares in place and sorts only groups of several nodes (issue 21); it
numbers and orders groups exactly as before, and its groups are networkx's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.topology import strongly_connected


def reference(adj: Mapping[str, Iterable[str]]) -> tuple[dict[str, int], list[list[str]]]:
    """The implementation before (verbatim but for names)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    group_of: dict[str, int] = {}
    members: list[list[str]] = []
    succ = {n: list(ts) for n, ts in adj.items()}
    for root in sorted(succ):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work[-1]
            if i == 0 and node not in index:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = succ[node]
            if i < len(targets):
                work[-1] = (node, i + 1)
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group_of[member] = len(members)
                    group.append(member)
                    if member == node:
                        break
                members.append(sorted(group))
    return group_of, members


names = st.sampled_from([f"n{i}" for i in range(14)])


@settings(max_examples=800, deadline=None)
@given(st.dictionaries(names, st.lists(names, max_size=5), max_size=14))
def test_same_groups_in_the_same_order(raw: dict[str, list[str]]) -> None:
    adj = {n: list(ts) for n, ts in raw.items()}
    for targets in raw.values():  # every target is a node too
        for t in targets:
            adj.setdefault(t, [])
    got = strongly_connected(adj)
    assert got == reference(adj)
    graph = nx.DiGraph()
    graph.add_nodes_from(adj)
    graph.add_edges_from((n, t) for n, ts in adj.items() for t in ts)
    assert {frozenset(g) for g in got[1]} == {
        frozenset(c) for c in nx.strongly_connected_components(graph)
    }


def test_a_long_chain_needs_no_recursion() -> None:
    chain = {f"n{i:05}": [f"n{i + 1:05}"] for i in range(20000)}
    chain["n20000"] = ["n00000"]
    group_of, members = strongly_connected(chain)
    assert set(group_of.values()) == {0}
    assert len(members) == 1 and len(members[0]) == 20001
