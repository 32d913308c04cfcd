"""Latency that never invents time: each hop's own time, summed along a request (issue 14).

A service's SLO `latency_p99_ms` is its *budget*: what its callers may wait for, calls
below included. It is never read as time spent. The time a request spends is built from
each hop's **own** p99:

* a service: its `own_p99_ms` (its own work, its own datastore included), else
  `ASSUMED_OWN_MS` (20 ms), plus `ASSUMED_STORE_MS` (10 ms) when it has a datastore;
* a datastore called as a dependency: `ASSUMED_STORE_MS` (a store declares no latency);
* an external: its declared `latency_p99_ms`, else `ASSUMED_EXTERNAL_MS` (300 ms).

Every default is named as assumed in the outputs. A service's end-to-end p99 is its own
time plus its synchronous calls one after another; in a flow, a parallel group takes the
slowest of its calls. Asynchronous calls add nothing (the send is part of the caller's own
work). Adding p99s along a path is an upper bound, which is what a budget needs.

An entry point serves one route per request, so its figure is its slowest flow, never the
sum of its routes. Cycles are cut where they close (flagged on their own).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..flows import RequestFlow, flows_of
from ..model import Design
from ..topology import Call
from .availability import Composition, postorder

ASSUMED_OWN_MS = 20.0
"""A service's own work per request at p99 when `own_p99_ms` is not declared."""
ASSUMED_STORE_MS = 10.0
"""One datastore access at p99 (a datastore declares no latency)."""
ASSUMED_EXTERNAL_MS = 300.0
"""A third party's p99 when it publishes none (a call over the internet)."""


@dataclass(frozen=True, slots=True)
class OwnTime:
    """One hop's own p99 and where it comes from."""

    component: str
    ms: float
    assumed: bool
    basis: str


@dataclass(frozen=True, slots=True)
class LatencyBudget:
    """One service: its p99 budget (SLO) against its own time plus its calls."""

    service: str
    own_slo_ms: float | None
    """Its SLO p99: the budget."""
    own_ms: float
    """Its own time."""
    total_ms: float
    """Its own time plus its calls (an entry point: its slowest flow)."""
    entry: bool
    own_assumed: bool = False

    @property
    def downstream_ms(self) -> float:
        """Time spent waiting on calls."""
        return max(0.0, self.total_ms - self.own_ms)

    @property
    def over_own_slo(self) -> bool:
        """True when its own time and calls exceed its budget."""
        return self.own_slo_ms is not None and self.total_ms > self.own_slo_ms + 1e-9


@dataclass(frozen=True, slots=True)
class FlowLatency:
    """One flow's p99 and the hops that make it up."""

    flow: str
    total_ms: float
    hops: tuple[OwnTime, ...]
    """Each hop's own time on the slowest way through, in call order."""
    target_ms: float | None
    target_source: str | None
    """'flow SLO', 'entry SLO' or 'requirement'."""

    @property
    def assumed(self) -> tuple[str, ...]:
        """Hops whose own time is an assumed default."""
        return tuple(dict.fromkeys(h.component for h in self.hops if h.assumed))

    @property
    def over(self) -> bool:
        """True when the flow's p99 exceeds its target."""
        return self.target_ms is not None and self.total_ms > self.target_ms + 1e-9


class Latency:
    """Own times, per-service end-to-end p99s and per-flow p99s of one design."""

    def __init__(self, design: Design, comp: Composition | None = None) -> None:
        self.design = design
        self.comp = comp or Composition(design)
        self.topo = self.comp.topo
        self._own: dict[str, OwnTime] = {}  # every flow's walk asks again
        self._next: dict[str, tuple[str, ...]] = {}

    def own(self, cid: str) -> OwnTime:
        """One hop's own p99 (see the module docstring)."""
        known = self._own.get(cid)
        if known is None:
            known = self._own[cid] = self._own_time(cid)
        return known

    def _own_time(self, cid: str) -> OwnTime:
        c = self.comp.components[cid]
        kind = self.topo.kind(cid)
        if kind == "service":
            declared = getattr(c, "own_p99_ms", None)
            if declared is not None:
                return OwnTime(cid, float(declared), False, "declared own_p99_ms")
            if cid in self.comp.store_of:
                return OwnTime(
                    cid,
                    ASSUMED_OWN_MS + ASSUMED_STORE_MS,
                    True,
                    f"assumed: {ASSUMED_OWN_MS:g} ms own work + {ASSUMED_STORE_MS:g} ms own store",
                )
            return OwnTime(cid, ASSUMED_OWN_MS, True, f"assumed: {ASSUMED_OWN_MS:g} ms own work")
        if kind == "external":
            declared = getattr(c, "latency_p99_ms", None)
            if declared is not None:
                return OwnTime(cid, float(declared), False, "declared latency_p99_ms")
            return OwnTime(cid, ASSUMED_EXTERNAL_MS, True, "assumed for an external")
        return OwnTime(cid, ASSUMED_STORE_MS, True, "assumed for a datastore access")

    @cached_property
    def _total(self) -> dict[str, float]:
        """Component id -> own time plus every sync call, one after another."""
        out: dict[str, float] = {}

        def children(n: str) -> list[str]:
            return [c.target for c in self.comp.sync_calls(n)] if n in self.comp.services else []

        for node in postorder(sorted(self.comp.services), children):
            total = self.own(node).ms
            if node in self.comp.services:
                for c in self.comp.sync_calls(node):
                    total += out.get(c.target, 0.0)  # absent: closes a cycle
            out[node] = total
        return out

    def total(self, cid: str) -> float:
        """A component's end-to-end p99 when it makes all its calls in sequence."""
        return self._total[cid]

    def _stage_ms(
        self, flow: RequestFlow, stage: tuple[Call, ...], value: dict[str, float]
    ) -> float:
        times = [self._figure(flow, c.target, value) for c in stage if c.sync]
        return max(times, default=0.0)

    def _figure(self, flow: RequestFlow, target: str, value: dict[str, float]) -> float:
        if target in flow.detailed:
            return value.get(target, self.own(target).ms)
        return self._total[target]

    def flow(self, flow: RequestFlow) -> FlowLatency:
        """One flow's p99: own times along its steps, parallel groups at their slowest."""
        detailed = flow.detailed

        def children(node: str) -> list[str]:
            if node not in detailed:
                return []
            return [c.target for st in flow.stages_from(self.topo, node) for c in st if c.sync]

        value: dict[str, float] = {}
        for node in postorder([flow.entry], children):
            if node not in detailed and node != flow.entry:
                continue
            total = self.own(node).ms
            for stage in flow.stages_from(self.topo, node):
                stage = tuple(c for c in stage if c.target != self.comp.store_of.get(node))
                total += self._stage_ms(flow, stage, value)
            value[node] = total
        target, source = self._target(flow)
        return FlowLatency(
            flow.id, value[flow.entry], tuple(self._hops(flow, value)), target, source
        )

    def _hops(self, flow: RequestFlow, value: dict[str, float]) -> list[OwnTime]:
        """The own times that add up to the flow's p99 (slowest branch of each group)."""
        out: list[OwnTime] = []
        entry, detailed = flow.entry, flow.detailed
        work: list[str] = [entry]
        on_path: set[str] = set()
        own, known, onward = self.own, self._own, self._next
        limit = 200  # a report line, not a trace: long chains are elided by the caller
        while work and len(out) < limit:
            node = work.pop()
            if node in on_path:
                continue
            on_path.add(node)
            out.append(known.get(node) or own(node))
            if node not in detailed and node != entry:
                # one call a stage: each is followed, whatever the flow (the common hop)
                work.extend(onward.get(node) or self._onward(node))
                continue
            if self.topo.kind(node) != "service":
                continue
            nxt: list[str] = []
            for stage in flow.stages_from(self.topo, node):
                calls = [c for c in stage if c.sync and c.target != self.comp.store_of.get(node)]
                if calls:
                    slow = max(calls, key=lambda c: self._figure(flow, c.target, value))
                    nxt.append(slow.target)
            work.extend(reversed(nxt))
        return out

    def _onward(self, node: str) -> tuple[str, ...]:
        """What a hop outside a flow's own steps calls, in the order `_hops` pops them."""
        known = self._next.get(node)
        if known is None:
            calls = self.comp.sync_calls(node) if self.topo.kind(node) == "service" else []
            store = self.comp.store_of.get(node)
            known = tuple(reversed([c.target for c in calls if c.sync and c.target != store]))
            self._next[node] = known
        return known

    def _target(self, flow: RequestFlow) -> tuple[float | None, str | None]:
        if flow.slo_latency_p99_ms is not None:
            return flow.slo_latency_p99_ms, "flow SLO"
        s = self.comp.services.get(flow.entry)
        if s is not None and s.slo is not None and s.slo.latency_p99_ms is not None:
            return s.slo.latency_p99_ms, "entry SLO"
        required = self.design.discovery.requirements.latency_p99_ms
        if required is not None and flow.trigger == "request":
            return required, "requirement"
        return None, None

    @cached_property
    def flows(self) -> tuple[FlowLatency, ...]:
        """Every flow's latency, in flow order."""
        return tuple(self.flow(f) for f in flows_of(self.design))

    @cached_property
    def budgets(self) -> tuple[LatencyBudget, ...]:
        """Every service's budget, in id order."""
        by_entry: dict[str, float] = {}
        for f, fl in zip(flows_of(self.design), self.flows, strict=True):
            by_entry[f.entry] = max(by_entry.get(f.entry, 0.0), fl.total_ms)
        out: list[LatencyBudget] = []
        for sid in sorted(self.comp.services):
            s = self.comp.services[sid]
            own = self.own(sid)
            slo = s.slo.latency_p99_ms if s.slo is not None else None
            total = by_entry.get(sid, self._total[sid])
            out.append(LatencyBudget(sid, slo, own.ms, total, sid in by_entry, own.assumed))
        return tuple(out)
