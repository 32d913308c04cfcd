"""`LintContext`: one design and the analyses lint rules and the report share, each
computed once, on first use, so a design that nothing needs a graph for never builds one.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ..flows import RequestFlow, flows_of
from ..model import Design
from ..topology import Topology, topology_of
from .availability import (
    AvailabilityBudget,
    Composition,
    FlowAvailability,
    availability_budgets,
    flow_availability,
)
from .calls import CallGap, call_gaps
from .cost import CostSummary, cost_summary
from .cycles import SyncCycle, sync_cycles
from .datastores import StoreUse, store_usage
from .graph import Graph, plain_graph, sync_graph
from .hotspots import Hotspot, hotspots
from .latency import Latency
from .recovery import StoreRecovery, store_recovery
from .spof import Spof, find_spofs


class LintContext:
    """One design and the analyses rules share, each computed on first use."""

    def __init__(self, design: Design) -> None:
        self.design = design

    @property
    def topology(self) -> Topology:
        """The one topology of the design (cached per design)."""
        return topology_of(self.design)

    @cached_property
    def graph(self) -> Graph:
        """The full dependency graph (plain dicts: no networkx, see `graph.py`)."""
        return plain_graph(self.design)

    @cached_property
    def sync(self) -> Any:
        """The synchronous part of the graph."""
        return sync_graph(self.graph)

    @cached_property
    def hard_sync(self) -> Any:
        """The synchronous graph without soft calls (a circuit breaker with a fallback):
        a caller survives those failing, degraded."""
        hard = self.sync.copy()
        soft = [
            (c.source, c.target)
            for c in self.topology.process_calls
            if c.circuit_breaker is True and c.index in self.composition.fallbacks
        ]
        # a pair that also has a hard call or store link stays (only soft pairs go)
        hard_pairs = {
            (c.source, c.target)
            for c in self.topology.calls
            if c.sync and c.index not in self.composition.fallbacks
        } | {(link.service, link.store) for link in self.topology.store_links}
        hard.remove_edges_from([p for p in soft if p not in hard_pairs and hard.has_edge(*p)])
        return hard

    @property
    def flows(self) -> tuple[RequestFlow, ...]:
        """Declared and derived request flows (cached per design)."""
        return flows_of(self.design)

    @cached_property
    def composition(self) -> Composition:
        """What every component and flow achieves."""
        return Composition(self.design, self.topology)

    @cached_property
    def availability(self) -> list[AvailabilityBudget]:
        """Availability budget per service."""
        return availability_budgets(self.design, comp=self.composition)

    @cached_property
    def flow_availability(self) -> list[FlowAvailability]:
        """Availability per flow."""
        return flow_availability(self.design, self.composition)

    @cached_property
    def latency(self) -> Latency:
        """Own times, per-service and per-flow p99s."""
        return Latency(self.design, self.composition)

    @cached_property
    def spofs(self) -> list[Spof]:
        """Single points of failure."""
        return find_spofs(self.design, self.sync)

    @cached_property
    def cycles(self) -> list[SyncCycle]:
        """Synchronous cycles."""
        return sync_cycles(self.sync)

    @cached_property
    def stores(self) -> list[StoreUse]:
        """Datastore usage."""
        return store_usage(self.design)

    @cached_property
    def call_gaps(self) -> list[CallGap]:
        """Unprotected calls."""
        return call_gaps(self.design)

    @cached_property
    def hotspots(self) -> list[Hotspot]:
        """Fan-in / fan-out hot spots."""
        return hotspots(self.sync)

    @cached_property
    def recovery(self) -> list[StoreRecovery]:
        """Recovery point and time of every written store."""
        return store_recovery(self.design)

    @cached_property
    def cost(self) -> CostSummary:
        """Cost at baseline and 10x."""
        return cost_summary(self.design)
