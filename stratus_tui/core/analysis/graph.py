"""The design as a networkx DiGraph of services, datastores and externals.

Nodes carry `kind` ("service" | "datastore" | "external"), `label` and, for services,
`context`. Edges come from `dependencies` (with `mode`, `protocol`, `timeout_ms`,
`retries`, `circuit_breaker`, `label`) and from each service's own `datastore`, which
is a synchronous edge (`origin="datastore"`). networkx is imported here, not at CLI
start-up: only commands that analyse pay for it.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..model import Design

SYNC = "sync"
ASYNC = "async"


def build_graph(design: Design) -> Any:
    """A `networkx.DiGraph` of every component and every dependency of `design`.

    A pair linked both sync and async keeps one edge with `mode="sync"` (the stronger
    coupling) and `also_async=True`. Edge attributes of a sync dependency win over the
    implicit edge to a service's own datastore.
    """
    graph = nx.DiGraph()
    for s in sorted(design.services, key=lambda c: c.id):
        graph.add_node(s.id, kind="service", label=s.label, context=s.context)
    for d in sorted(design.datastores, key=lambda c: c.id):
        graph.add_node(d.id, kind="datastore", label=d.label, context=None)
    for e in sorted(design.externals, key=lambda c: c.id):
        graph.add_node(e.id, kind="external", label=e.label, context=None)
    for dep in design.dependencies:
        if dep.from_ not in graph or dep.to not in graph:
            continue  # an invalid reference; validation reports it, analysis skips it
        attrs = {
            "mode": dep.mode,
            "protocol": dep.protocol,
            "timeout_ms": dep.timeout_ms,
            "retries": dep.retries,
            "circuit_breaker": dep.circuit_breaker,
            "label": dep.label,
            "origin": "dependency",
            "also_async": False,
        }
        old = graph.get_edge_data(dep.from_, dep.to)
        if old is None:
            graph.add_edge(dep.from_, dep.to, **attrs)
        elif dep.mode == SYNC:
            attrs["also_async"] = old["mode"] == ASYNC or old["also_async"]
            graph.add_edge(dep.from_, dep.to, **attrs)
        else:
            old["also_async"] = old["mode"] == SYNC
    for s in design.services:
        if s.datastore is None or s.datastore not in graph:
            continue
        old = graph.get_edge_data(s.id, s.datastore)
        if old is None:
            graph.add_edge(
                s.id,
                s.datastore,
                mode=SYNC,
                protocol=None,
                timeout_ms=None,
                retries=None,
                circuit_breaker=None,
                label="own datastore",
                origin="datastore",
                also_async=False,
            )
        elif old["mode"] == ASYNC:
            # Owning a store means reading and writing it on the request path.
            old["also_async"] = True
            old["mode"] = SYNC
    return graph


def sync_graph(graph: Any) -> Any:
    """A new DiGraph with every node of `graph` and only its synchronous edges."""
    out = nx.DiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    out.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if d["mode"] == SYNC)
    return out


def node_kind(graph: Any, node: str) -> str:
    """The kind of a node: service, datastore or external."""
    kind: str = graph.nodes[node]["kind"]
    return kind
