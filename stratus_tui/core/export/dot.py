"""Graphviz DOT of the topology, built with the `graphviz` package, and SVG rendered by `dot`.

A `cluster_*` subgraph per bounded context, async edges dashed, one shape per kind.
Node names are the domain ids (the package quotes them, keywords included); labels go
through `escape.dot_text`.
"""

from __future__ import annotations

from typing import Any

from ..model import Design
from .escape import dot_text, safe_ids
from .topology import Node, build_topology

_NODE_STYLE: dict[str, dict[str, str]] = {
    "service": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe"},
    "datastore": {"shape": "cylinder", "style": "filled", "fillcolor": "#dcfce7"},
    "external": {"shape": "hexagon", "style": "filled,dashed", "fillcolor": "#f3f4f6"},
    "missing": {"shape": "box", "style": "filled", "fillcolor": "#fee2e2"},
}


class GraphvizMissingError(RuntimeError):
    """The `dot` program is not installed, so SVG cannot be rendered."""


def _add_node(graph: Any, node: Node) -> None:
    graph.node(dot_text(node.id), label=dot_text(node.label), **_NODE_STYLE[node.kind])


def build_digraph(design: Design) -> Any:
    """The topology as a `graphviz.Digraph` (left to right)."""
    import graphviz

    topo = build_topology(design)
    gids = safe_ids((g.key for g in topo.groups), "cluster_")
    graph = graphviz.Digraph(
        "topology",
        graph_attr={
            "rankdir": "LR",
            "fontname": "Helvetica",
            "label": dot_text(design.name),
            "labelloc": "t",
        },
        node_attr={"fontname": "Helvetica"},
        edge_attr={"fontname": "Helvetica", "fontsize": "10"},
    )
    for group in topo.groups:
        with graph.subgraph(name=gids[group.key]) as sub:
            sub.attr(label=dot_text(group.title), style="rounded", color="#94a3b8")
            for node in group.nodes:
                _add_node(sub, node)
    for node in topo.loose:
        _add_node(graph, node)
    for edge in topo.edges:
        attrs = {"style": "dashed"} if edge.mode == "async" else {}
        if edge.label:
            attrs["label"] = dot_text(edge.label)
        graph.edge(dot_text(edge.source), dot_text(edge.target), **attrs)
    return graph


def to_dot(design: Design) -> str:
    """Graphviz DOT source of the topology."""
    source: str = build_digraph(design).source
    return source


def dot_available() -> bool:
    """Whether the Graphviz `dot` program is on PATH."""
    import shutil

    return shutil.which("dot") is not None


def to_svg(design: Design) -> str:
    """The topology rendered to SVG by Graphviz; GraphvizMissingError without `dot`."""
    import graphviz

    try:
        data: bytes = build_digraph(design).pipe(format="svg")
    except graphviz.ExecutableNotFound:
        raise GraphvizMissingError(
            "Graphviz `dot` is not installed: install graphviz (e.g. apt-get install graphviz)"
        ) from None
    return data.decode("utf-8")
