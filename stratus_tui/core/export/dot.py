"""Graphviz DOT of the topology, built with the `graphviz` package, and SVG rendered by `dot`.

A `cluster_*` subgraph per bounded context, async edges dashed, each service's own store
a thick green line without an arrowhead, one shape per kind.
Node names are the domain ids (the package quotes them, keywords included); labels go
through `escape.dot_text`.
"""

from __future__ import annotations

from typing import Any

from ..escape import dot_text, safe_ids
from ..gc_pause import gc_paused
from ..model import Design
from .topology import Node, build_topology

_NODE_STYLE: dict[str, dict[str, str]] = {
    "service": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe"},
    "datastore": {"shape": "cylinder", "style": "filled", "fillcolor": "#dcfce7"},
    "external": {"shape": "hexagon", "style": "filled,dashed", "fillcolor": "#f3f4f6"},
    "missing": {"shape": "box", "style": "filled", "fillcolor": "#fee2e2"},
}


STORE_EDGE_STYLE: dict[str, str] = {"dir": "none", "color": "#15803d", "penwidth": "2.5"}
"""A service's own datastore: ownership, not a call (no arrowhead), green like stores."""


class GraphvizError(RuntimeError):
    """`dot` could not render the topology (a crash, an error, too slow): SVG is skipped."""


class GraphvizMissingError(GraphvizError):
    """The `dot` program is not installed, so SVG cannot be rendered."""


DOT_TIMEOUT_S = 120.0
"""Longest a `dot -Tsvg` run may take; 300 services take about 2 s."""


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
            # Graphviz 2.43's default ranking fails ("trouble in init_rank") on many
            # clustered graphs of 100-300 services; newrank ranks them all.
            "newrank": "true",
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
    for link in topo.stores:
        graph.edge(dot_text(link.service), dot_text(link.store), **STORE_EDGE_STYLE)
    return graph


@gc_paused()  # batch work: see gc_pause
def to_dot(design: Design) -> str:
    """Graphviz DOT source of the topology."""
    source: str = build_digraph(design).source
    return source


def dot_available() -> bool:
    """Whether the Graphviz `dot` program is on PATH."""
    import shutil

    return shutil.which("dot") is not None


def to_svg(design: Design) -> str:
    """The topology rendered to SVG by Graphviz.

    GraphvizMissingError without `dot`; GraphvizError (one line saying why) when `dot`
    fails or runs longer than DOT_TIMEOUT_S.
    """
    return render_svg(to_dot(design))


def render_svg(source: str) -> str:
    """DOT `source` rendered to SVG by `dot -Tsvg` (errors as in `to_svg`)."""
    import shutil
    import subprocess

    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissingError(
            "Graphviz `dot` is not installed: install graphviz (e.g. apt-get install graphviz)"
        )
    try:
        proc = subprocess.run(
            [dot, "-Tsvg"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz `dot` took longer than {DOT_TIMEOUT_S:.0f} s") from None
    except OSError as exc:
        raise GraphvizError(f"Graphviz `dot` could not run: {exc.strerror or exc}") from None
    if proc.returncode != 0 or not proc.stdout:
        raise GraphvizError(f"Graphviz `dot` failed: {_first_error(proc.stderr)}")
    return proc.stdout.decode("utf-8")


def _first_error(stderr: bytes) -> str:
    """dot's first `Error:` line (its stderr can run to thousands of lines)."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("Error")]
    first = (errors or lines or ["no output"])[0]
    return first[:200]
