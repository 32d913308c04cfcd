"""The design as a networkx DiGraph of services, datastores and externals.

Derived from the one topology of the design (`core/topology.py`, see its docstring for
what a call, a store link and a sync chain are): nodes carry `kind` ("service" |
"datastore" | "external"), `label` and, for services, `context`; edges come from
`dependencies` (with `mode`, `protocol`, `timeout_ms`, `retries`, `circuit_breaker`,
`label`) and from each service's own `datastore`, a synchronous edge with
`origin="datastore"`. networkx is imported here, not at CLI start-up: only commands
that analyse pay for it.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..model import Design
from ..topology import topology_of

SYNC = "sync"
ASYNC = "async"


def build_graph(design: Design) -> Any:
    """A new `networkx.DiGraph` of every component and every dependency of `design`.

    A pair linked both sync and async keeps one edge with `mode="sync"` (the stronger
    coupling) and `also_async=True`. Edge attributes of a sync dependency win over the
    implicit edge to a service's own datastore.
    """
    return topology_of(design).to_networkx()


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
