"""The one graph of a design: components, calls, store links and bounded contexts.

Every part that needs the shape of a design reads it here: the pattern facts
(`rules/facts.py`), the analysis (`analysis/graph.py` turns it into networkx), the
exporters' grouping (`export/topology.py`) and the terminal diagram (`diagram/graph.py`).
So they agree on what a call, a store link and a sync chain are.

Plain Python data, cheap to import (no networkx: `Topology.to_networkx()` imports it on
first use). Built once per design: `topology_of(design)` caches by identity, which is
safe because a `Design` is a frozen pydantic model that edits replace, never mutate.

Definitions
-----------
* **Node**: a service, datastore or external (`NodeKind`), in file order; when an id is
  used twice (an invalid design) the first component keeps it.
* **Call**: one entry of `dependencies`, in file order, kept as written (references to
  unknown ids included: validation reports them; each consumer skips or draws them).
* **Store link**: a service's own `datastore`: an implicit synchronous access, kept apart
  from calls (a service reads and writes its own store on the request path, but owning
  it is not a call to another process). Links to unknown ids are dropped.
* **Process call**: a synchronous call from a known component to a service or an
  external (another running process). A call to a datastore, declared or implicit, is
  *store access*, not a process call.
* **Sync chain** (`longest_sync_chain`): the most process calls one request can make in
  a row. Store access is not counted (almost every service ends at its store, so it
  would add one to every chain); the slowest path of the latency analysis shows it. A
  group of services that call each other in a cycle counts each member once, as one
  pass through the group, so the figure is defined (and linear to compute) on any graph.
* **Sync cycle** (`has_sync_cycle`): two or more components that reach each other over
  process calls.

Request flows (issue 14) will be added here as named, ordered sequences of `Call`s;
`Call.index` is the stable handle a flow step will point at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

from .identity_cache import IdentityCache
from .model import Datastore, Design, External, Mode, Service

NodeKind = Literal["service", "datastore", "external"]
"""What a component is; the only definition of the kinds in the core."""

KINDS: tuple[NodeKind, ...] = ("service", "datastore", "external")
"""The kinds in the order the design file lists them."""

PROCESS_KINDS = frozenset({"service", "external"})
"""Kinds that run code and answer calls; a datastore is accessed, not called."""


@dataclass(frozen=True, slots=True)
class Node:
    """One component."""

    id: str
    kind: NodeKind
    label: str
    """Its name, or its id when unnamed."""
    context: str | None
    """The bounded context a service declares, as written; None for stores and externals."""
    detail: str | None
    """A service's runtime or a datastore's kind."""
    description: str | None


@dataclass(frozen=True, slots=True)
class Call:
    """One declared dependency `source -> target`."""

    index: int
    """Its position in `design.dependencies` (a stable handle for flow steps)."""
    source: str
    target: str
    mode: Mode
    protocol: str | None
    timeout_ms: float | None
    retries: int | None
    circuit_breaker: bool | None
    label: str | None

    @property
    def sync(self) -> bool:
        """True for a request/response call."""
        return self.mode == "sync"


@dataclass(frozen=True, slots=True)
class StoreLink:
    """A service's own datastore (`service.datastore`), distinct from any call."""

    service: str
    store: str


@dataclass(frozen=True, slots=True)
class Context:
    """A bounded context some service declares (its text stripped)."""

    id: str
    title: str
    """Its name on the event-storming board, else its id."""
    services: tuple[str, ...]
    """Member services in file order."""


@dataclass(frozen=True)
class Topology:
    """The graph of one design. Read-only; derived figures are computed on first use."""

    nodes: Mapping[str, Node]
    """Every component by id, in file order: services, datastores, externals."""
    calls: tuple[Call, ...]
    store_links: tuple[StoreLink, ...]
    """In the order of `design.services`; only links to a known component."""
    contexts: tuple[Context, ...]
    """Declared contexts in order of first appearance."""
    context_titles: Mapping[str, str] = field(default_factory=dict)
    """Names of the contexts the event-storming board declares, by id."""

    def kind(self, node_id: str) -> NodeKind | None:
        """The kind of a component, None for an unknown id."""
        node = self.nodes.get(node_id)
        return node.kind if node is not None else None

    def of_kind(self, kind: NodeKind) -> list[Node]:
        """Components of one kind, in file order."""
        return [n for n in self.nodes.values() if n.kind == kind]

    def resolved(self, call: Call) -> bool:
        """True when both ends of `call` are components of the design."""
        return call.source in self.nodes and call.target in self.nodes

    @cached_property
    def process_calls(self) -> tuple[Call, ...]:
        """Synchronous calls from a known component to a service or an external."""
        return tuple(
            c
            for c in self.calls
            if c.sync and c.source in self.nodes and self.kind(c.target) in PROCESS_KINDS
        )

    @cached_property
    def _process_groups(self) -> tuple[dict[str, int], list[list[str]], list[set[int]]]:
        """Strongly connected groups of the process-call graph: node -> group, members of
        each group, callee groups of each group. Groups come out callees first."""
        adj: dict[str, list[str]] = {}
        for c in self.process_calls:
            adj.setdefault(c.source, []).append(c.target)
            adj.setdefault(c.target, [])
        group_of, members = strongly_connected(adj)
        below: list[set[int]] = [set() for _ in members]
        for src, targets in adj.items():
            g = group_of[src]
            below[g].update(group_of[t] for t in targets if group_of[t] != g)
        return group_of, members, below

    @cached_property
    def longest_sync_chain(self) -> int:
        """Most process calls in a row (see the module docstring for the definition)."""
        _group_of, members, below = self._process_groups
        depth: list[int] = []  # processes on the longest run starting in each group
        for g, ms in enumerate(members):  # callees first, so `below` is already known
            depth.append(len(ms) + max((depth[b] for b in below[g]), default=0))
        return max(depth) - 1 if depth else 0

    @cached_property
    def has_sync_cycle(self) -> bool:
        """True when two or more components reach each other over process calls."""
        return any(len(ms) > 1 for ms in self._process_groups[1])

    def to_networkx(self) -> Any:
        """A new `networkx.DiGraph` for the analyses that need graph algorithms.

        Nodes (sorted by id within each kind) carry `kind`, `label` and `context`. One
        edge per ordered pair: a pair linked both sync and async keeps the sync call's
        attributes (`mode`, `protocol`, `timeout_ms`, `retries`, `circuit_breaker`,
        `label`) with `also_async=True`; `origin` is "dependency". A store link becomes a
        synchronous edge with `origin="datastore"` unless a sync call already joins the
        pair (an async one is promoted: owning a store means using it on the request
        path). Calls with an unknown end are left out.
        """
        import networkx as nx  # only the analyses that run its algorithms pay for it

        graph = nx.DiGraph()
        self.fill(graph)
        return graph

    def fill(self, graph: Any) -> Any:
        """Add the nodes and edges `to_networkx` describes to `graph` (a networkx DiGraph
        or `analysis.graph.Graph`: the same graph either way); returns it."""
        for kind in KINDS:
            for n in sorted(self.of_kind(kind), key=lambda n: n.id):
                graph.add_node(n.id, kind=n.kind, label=n.label, context=n.context)
        for c in self.calls:
            if not self.resolved(c):
                continue
            attrs = {
                "mode": c.mode,
                "protocol": c.protocol,
                "timeout_ms": c.timeout_ms,
                "retries": c.retries,
                "circuit_breaker": c.circuit_breaker,
                "label": c.label,
                "origin": "dependency",
                "also_async": False,
            }
            old = graph.get_edge_data(c.source, c.target)
            if old is None:
                graph.add_edge(c.source, c.target, **attrs)
            elif c.sync:
                attrs["also_async"] = old["mode"] == "async" or old["also_async"]
                graph.add_edge(c.source, c.target, **attrs)
            else:
                old["also_async"] = old["mode"] == "sync"
        for link in self.store_links:
            old = graph.get_edge_data(link.service, link.store)
            if old is None:
                graph.add_edge(
                    link.service,
                    link.store,
                    mode="sync",
                    protocol=None,
                    timeout_ms=None,
                    retries=None,
                    circuit_breaker=None,
                    label="own datastore",
                    origin="datastore",
                    also_async=False,
                )
            elif old["mode"] == "async":
                old["also_async"] = True
                old["mode"] = "sync"
        return graph


def strongly_connected(adj: Mapping[str, Iterable[str]]) -> tuple[dict[str, int], list[list[str]]]:
    """Tarjan's strongly connected components, iteratively (chains can be thousands of
    calls deep). Groups are numbered in the order Tarjan closes them: every group's
    callees are closed before it."""
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
                elif nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
                continue
            work.pop()
            mine = low[node]
            if work:
                parent = work[-1][0]
                if mine < low[parent]:
                    low[parent] = mine
            if mine == index[node]:
                member = stack.pop()
                on_stack.discard(member)
                group_of[member] = len(members)
                if member == node:  # most groups are one node: nothing to sort
                    members.append([member])
                    continue
                group = [member]
                while member != node:
                    member = stack.pop()
                    on_stack.discard(member)
                    group_of[member] = len(members)
                    group.append(member)
                members.append(sorted(group))
    return group_of, members


def _node(component: Service | Datastore | External) -> Node:
    if isinstance(component, Service):
        return Node(
            component.id,
            "service",
            component.label,
            component.context,
            component.runtime,
            component.description,
        )
    if isinstance(component, Datastore):
        return Node(component.id, "datastore", component.label, None, component.kind, None)
    return Node(component.id, "external", component.label, None, None, component.description)


def build_topology(design: Design) -> Topology:
    """The topology of `design`, freshly built (prefer the cached `topology_of`)."""
    nodes: dict[str, Node] = {}
    components: list[Service | Datastore | External] = [
        *design.services,
        *design.datastores,
        *design.externals,
    ]
    for component in components:
        if component.id not in nodes:
            nodes[component.id] = _node(component)
    calls = tuple(
        Call(
            i,
            d.from_,
            d.to,
            d.mode,
            d.protocol,
            d.timeout_ms,
            d.retries,
            d.circuit_breaker,
            d.label,
        )
        for i, d in enumerate(design.dependencies)
    )
    links = tuple(
        StoreLink(s.id, s.datastore)
        for s in design.services
        if s.datastore is not None and s.datastore in nodes
    )
    titles = {c.id: (c.name or c.id) for c in design.event_storming.contexts}
    members: dict[str, list[str]] = {}
    for s in design.services:
        key = (s.context or "").strip()
        if key:
            members.setdefault(key, []).append(s.id)
    contexts = tuple(Context(k, titles.get(k, k), tuple(ms)) for k, ms in members.items())
    return Topology(MappingProxyType(nodes), calls, links, contexts, MappingProxyType(titles))


_TOPOLOGIES: IdentityCache[Design, Topology] = IdentityCache(build_topology)


def topology_of(design: Design) -> Topology:
    """The topology of `design`, built once per design object.

    Keyed by identity (hashing a whole design would cost more than building its graph);
    the entry goes when the design is garbage-collected. The topology holds no reference
    to the design, so caching never keeps a design alive.
    """
    return _TOPOLOGIES(design)
