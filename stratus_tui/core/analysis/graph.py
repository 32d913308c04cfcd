"""The design as a directed graph of services, datastores and externals.

Derived from the one topology of the design (`core/topology.py`, see its docstring for
what a call, a store link and a sync chain are): nodes carry `kind` ("service" |
"datastore" | "external"), `label` and, for services, `context`; edges come from
`dependencies` (with `mode`, `protocol`, `timeout_ms`, `retries`, `circuit_breaker`,
`label`) and from each service's own `datastore`, a synchronous edge with
`origin="datastore"`.

`build_graph` gives a networkx DiGraph, for callers that run networkx's algorithms.
The analyses run their own (linear) ones, so lint and the report read the same graph
as a `Graph` of plain dicts: networkx costs ~70 ms to import and builds ~5x slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Design
from ..topology import topology_of

SYNC = "sync"
ASYNC = "async"

Attrs = dict[str, Any]


class _Nodes:
    """`graph.nodes`: iterate ids, `nodes[n]` for attributes, `nodes(data=True)`."""

    __slots__ = ("_node",)

    def __init__(self, node: dict[str, Attrs]) -> None:
        self._node = node

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n: object) -> bool:
        return n in self._node

    def __getitem__(self, n: str) -> Attrs:
        return self._node[n]

    def __call__(self, data: bool = False) -> Iterable[Any]:
        return self._node.items() if data else iter(self._node)


class _Edges:
    """`graph.edges`: `edges()` pairs, `edges(data=True)` triples, `edges[u, v]`."""

    __slots__ = ("_succ",)

    def __init__(self, succ: dict[str, dict[str, Attrs]]) -> None:
        self._succ = succ

    def __call__(self, data: bool = False) -> Iterator[Any]:
        for u, nbrs in self._succ.items():
            for v, d in nbrs.items():
                yield (u, v, d) if data else (u, v)

    def __iter__(self) -> Iterator[Any]:
        return self()

    def __getitem__(self, edge: tuple[str, str]) -> Attrs:
        u, v = edge
        return self._succ[u][v]


class Graph:
    """A directed graph of plain dicts with the part of networkx's `DiGraph` API the
    analyses read (same iteration order: nodes and neighbours as added)."""

    def __init__(self) -> None:
        self._node: dict[str, Attrs] = {}
        self.succ: dict[str, dict[str, Attrs]] = {}
        self.pred: dict[str, dict[str, Attrs]] = {}

    @property
    def adj(self) -> dict[str, dict[str, Attrs]]:
        return self.succ

    @property
    def nodes(self) -> _Nodes:
        return _Nodes(self._node)

    @property
    def edges(self) -> _Edges:
        return _Edges(self.succ)

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n: object) -> bool:
        return n in self._node

    def __getitem__(self, n: str) -> dict[str, Attrs]:
        return self.succ[n]

    def add_node(self, n: str, **attrs: Any) -> None:
        if n not in self._node:
            self._node[n] = {}
            self.succ[n] = {}
            self.pred[n] = {}
        self._node[n].update(attrs)

    def add_nodes_from(self, nodes: Iterable[Any]) -> None:
        for item in nodes:
            if isinstance(item, tuple):
                self.add_node(item[0], **item[1])
            else:
                self.add_node(item)

    def add_edge(self, u: str, v: str, **attrs: Any) -> None:
        self.add_node(u)
        self.add_node(v)
        data = self.succ[u].get(v)
        if data is None:
            data = self.succ[u][v] = {}
            self.pred[v][u] = data
        data.update(attrs)

    def add_edges_from(self, edges: Iterable[tuple[Any, ...]]) -> None:
        for e in edges:
            self.add_edge(e[0], e[1], **(e[2] if len(e) > 2 else {}))

    def has_edge(self, u: str, v: str) -> bool:
        return v in self.succ.get(u, {})

    def get_edge_data(self, u: str, v: str, default: Any = None) -> Any:
        return self.succ.get(u, {}).get(v, default)

    def remove_edges_from(self, edges: Iterable[tuple[str, str]]) -> None:
        for u, v in edges:
            if v in self.succ.get(u, {}):
                del self.succ[u][v]
                del self.pred[v][u]

    def successors(self, n: str) -> Iterator[str]:
        return iter(self.succ[n])

    def predecessors(self, n: str) -> Iterator[str]:
        return iter(self.pred[n])

    def in_edges(self, n: str) -> list[tuple[str, str]]:
        return [(u, n) for u in self.pred[n]]

    def out_edges(self, n: str) -> list[tuple[str, str]]:
        return [(n, v) for v in self.succ[n]]

    def degree(self, n: str) -> int:
        """In plus out edges (a self-loop counts twice, as in networkx)."""
        return len(self.succ[n]) + len(self.pred[n])

    def number_of_nodes(self) -> int:
        return len(self._node)

    def copy(self) -> Graph:
        """A new graph with copies of the attribute dicts (as networkx's `copy`)."""
        return self.with_edges_where(None)

    def with_edges_where(self, key: str | None, value: Any = None) -> Graph:
        """A copy (new attribute dicts) with every node and the edges whose `key`
        attribute is `value` (every edge for None): what adding them one by one gives,
        same orders, built directly (issue 21: the synchronous and hard graphs were
        ~10 ms of lint at 1,000 services)."""
        out = Graph()
        out._node = {n: dict(d) for n, d in self._node.items()}
        succ: dict[str, dict[str, Attrs]] = {n: {} for n in self._node}
        pred: dict[str, dict[str, Attrs]] = {n: {} for n in self._node}
        for u, nbrs in self.succ.items():
            mine = succ[u]
            for v, d in nbrs.items():
                if key is None or d[key] == value:
                    mine[v] = pred[v][u] = dict(d)
        out.succ, out.pred = succ, pred
        return out


def build_graph(design: Design) -> Any:
    """A new `networkx.DiGraph` of every component and every dependency of `design`.

    A pair linked both sync and async keeps one edge with `mode="sync"` (the stronger
    coupling) and `also_async=True`. Edge attributes of a sync dependency win over the
    implicit edge to a service's own datastore.
    """
    return topology_of(design).to_networkx()


def plain_graph(design: Design) -> Graph:
    """The same graph as `build_graph`, as a `Graph` (no networkx)."""
    graph: Graph = topology_of(design).fill(Graph())
    return graph


def sync_graph(graph: Any) -> Any:
    """A new graph of the same type with every node of `graph` and only its synchronous
    edges (a networkx DiGraph for one, a `Graph` for the other)."""
    if type(graph) is Graph:
        return graph.with_edges_where("mode", SYNC)
    out = type(graph)()
    out.add_nodes_from(graph.nodes(data=True))
    out.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if d["mode"] == SYNC)
    return out


def node_kind(graph: Any, node: str) -> str:
    """The kind of a node: service, datastore or external."""
    kind: str = graph.nodes[node]["kind"]
    return kind
