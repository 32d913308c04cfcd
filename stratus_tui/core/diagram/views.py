"""Parts of the topology to look at: a component and its neighbours, one context, one
request flow's path. Each is a set of node ids (a subgraph to lay out) or of edges
(to highlight in the whole picture)."""

from __future__ import annotations

from stratus_tui.core.flows import flows_of
from stratus_tui.core.model import Design

from .graph import DiagramGraph

Pair = tuple[str, str]


def neighbourhood(graph: DiagramGraph, node: str, hops: int) -> set[str]:
    """`node`, what it reaches in up to `hops` calls, and what reaches it in as many
    (both directions: callers and callees, not callers' other callees)."""
    succ: dict[str, list[str]] = {}
    pred: dict[str, list[str]] = {}
    for e in graph.edges:
        succ.setdefault(e.src, []).append(e.dst)
        pred.setdefault(e.dst, []).append(e.src)
    keep = {node}
    for links in (succ, pred):
        frontier = {node}
        for _ in range(hops):
            frontier = {m for n in frontier for m in links.get(n, ())} - keep
            keep |= frontier
    return keep if any(n.id == node for n in graph.nodes) else set()


def context_members(graph: DiagramGraph, context: str) -> set[str]:
    """The members of `context` and every component they call or are called by."""
    members = {n.id for n in graph.nodes if n.cluster == context}
    near = {e.dst for e in graph.edges if e.src in members}
    near |= {e.src for e in graph.edges if e.dst in members}
    return members | near


def flow_path(design: Design, flow_id: str) -> tuple[set[str], set[Pair]]:
    """The components and calls (src, dst) of request flow `flow_id`; empty when the
    design has no such flow."""
    for flow in flows_of(design):
        if flow.id == flow_id:
            pairs = {(h.call.source, h.call.target) for h in flow.hops}
            nodes = {flow.entry} | {n for pair in pairs for n in pair}
            return nodes, pairs
    return set(), set()


def flow_names(design: Design) -> list[tuple[str, str]]:
    """(id, name) of every request flow, declared first, then derived."""
    return [(f.id, f.name) for f in flows_of(design)]
