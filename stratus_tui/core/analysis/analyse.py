"""`analyse(design)`: every computed number of the review in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..flows import RequestFlow
from ..model import Design
from .availability import AvailabilityBudget, Composition, FlowAvailability
from .blast import BlastRadius, FlowBlast, blast_radius, flow_blast, flows_failed_by
from .calls import CallGap
from .context import LintContext
from .cost import CostSummary
from .cycles import SyncCycle
from .datastores import StoreUse
from .hotspots import Hotspot
from .latency import FlowLatency, Latency, LatencyBudget
from .slo import ErrorBudget, error_budgets
from .spof import Spof


@dataclass(frozen=True)
class Analysis:
    """The computed review of one design (pure data; no rendering)."""

    graph: Any
    """The dependency graph of the design (`graph.Graph`: networkx's DiGraph API for
    nodes, edges and neighbours; `graph.build_graph` gives a networkx DiGraph)."""
    availability: tuple[AvailabilityBudget, ...]
    latency: tuple[LatencyBudget, ...]
    flows: tuple[RequestFlow, ...]
    """Declared and derived request flows (`core/flows.py`)."""
    flow_availability: tuple[FlowAvailability, ...]
    """Aligned with `flows`."""
    flow_latency: tuple[FlowLatency, ...]
    """Aligned with `flows`."""
    entry_points: tuple[str, ...]
    """Services where requests enter (no synchronous caller, not an async consumer)."""
    async_consumers: tuple[str, ...]
    """Services woken by messages (checked against their own SLO only)."""
    longest_sync_chain: int
    """Most process calls in a row: the same figure as the pattern fact
    `design.longest_sync_chain` (defined in `core/topology.py`)."""
    latency_requirement_ms: float | None
    availability_requirement: float | None
    blast_radius: tuple[BlastRadius, ...]
    spofs: tuple[Spof, ...]
    cycles: tuple[SyncCycle, ...]
    stores: tuple[StoreUse, ...]
    call_gaps: tuple[CallGap, ...]
    hotspots: tuple[Hotspot, ...]
    cost: CostSummary
    error_budgets: tuple[ErrorBudget, ...]
    composition: Composition
    latency_model: Latency

    @property
    def longest_chain(self) -> FlowLatency | None:
        """The slowest request flow by p99."""
        if not self.flow_latency:
            return None
        return max(self.flow_latency, key=lambda f: f.total_ms)

    def flow_blast(self, flow: RequestFlow) -> FlowBlast:
        """What fails and what degrades one flow (computed on demand)."""
        return flow_blast(self.composition, flow)

    def flows_failed_by(self, components: list[str]) -> dict[str, list[str]]:
        """For each component, the ids of the flows it takes down, in flow order (for a
        few components: cheaper than every flow's `flow_blast`)."""
        return flows_failed_by(self.composition, self.flows, components)

    @property
    def shared_stores(self) -> tuple[StoreUse, ...]:
        """Stores used across bounded contexts."""
        return tuple(s for s in self.stores if s.shared_across_contexts)

    @property
    def multi_writer_stores(self) -> tuple[StoreUse, ...]:
        """Stores with more than one writer."""
        return tuple(s for s in self.stores if len(s.writers) > 1)

    def availability_of(self, service: str) -> AvailabilityBudget | None:
        """The availability budget of one service."""
        return self._availability_index().get(service)

    def _availability_index(self) -> dict[str, AvailabilityBudget]:
        index: dict[str, AvailabilityBudget] | None = self.__dict__.get("_avail_index")
        if index is None:
            index = {b.service: b for b in self.availability}
            object.__setattr__(self, "_avail_index", index)  # a cache, not state
        return index


def analyse(design: Design) -> Analysis:
    """Run every analysis on `design` (pure: same design, same numbers)."""
    return analysis_from(LintContext(design))


def analysis_from(ctx: LintContext) -> Analysis:
    """The analysis from a lint context, reusing whatever the rules already computed."""
    design = ctx.design
    from ..flows import async_consumers, entry_points

    index = ctx.latency
    req = design.discovery.requirements
    entries = entry_points(design, ctx.topology)
    consumers = async_consumers(design, ctx.topology)
    # a service whose declared flows are all event flows is a consumer, whatever its shape
    triggers: dict[str, set[str]] = {}
    for f in ctx.flows:
        triggers.setdefault(f.entry, set()).add(f.trigger)
    event_only = {e for e, t in triggers.items() if t == {"event"}}
    return Analysis(
        graph=ctx.graph,
        availability=tuple(ctx.availability),
        latency=index.budgets,
        flows=ctx.flows,
        flow_availability=tuple(ctx.flow_availability),
        flow_latency=index.flows,
        entry_points=tuple(e for e in entries if e not in event_only),
        async_consumers=tuple(consumers + [e for e in entries if e in event_only]),
        longest_sync_chain=ctx.topology.longest_sync_chain,
        latency_requirement_ms=req.latency_p99_ms,
        availability_requirement=req.availability,
        blast_radius=tuple(blast_radius(ctx.graph, ctx.hard_sync)),
        spofs=tuple(ctx.spofs),
        cycles=tuple(ctx.cycles),
        stores=tuple(ctx.stores),
        call_gaps=tuple(ctx.call_gaps),
        hotspots=tuple(ctx.hotspots),
        cost=ctx.cost,
        error_budgets=tuple(error_budgets(design)),
        composition=ctx.composition,
        latency_model=index,
    )
