"""Availability: what each service and each request flow achieves (FACTS.md, issue 14).

Serial composition: a service that needs every one of its synchronous dependencies is at
most as available as the product of its own copies and what each dependency *achieves*:

* a service achieves the lower of its SLO (what it promises) and its own composition
  (its own copies x its own datastore x its hard dependencies, recursively), so a caller
  never counts 99.95 % from a callee that can only reach 99.85 %;
* a datastore or external achieves its declared `availability`, else an assumed default;
* a service's own copies (there is no field for them, so this is always assumed):
  one copy of a VM or container is `ASSUMED_INSTANCE` (99.5 %, its zone included: a
  single instance's SLA); n >= 2 copies, assumed spread over zones, fail together only
  if all do, 1 - (1 - 0.995)^n, capped at `ASSUMED_SHARED_FATE` (99.99 %) because copies
  share a region, a deploy and a configuration; a serverless or managed runtime is the
  provider's `ASSUMED_PLATFORM` (99.95 %); replicas undeclared, `ASSUMED_SERVICE` (99.9 %).
  A single-copy VM service on a single-zone store is 99.5 % x 99.5 % = 99.0 %.

A synchronous call guarded by a circuit breaker *and* a declared `fallback` is soft: when
the callee fails the caller degrades (serves the fallback) instead of failing, so it is
not multiplied in. Asynchronous calls are left out: behind a durable queue the caller
depends on the broker, not on the consumer.

A request flow (`core/flows.py`) composes the same way from its entry, through its own
steps: a gateway's routes are separate flows, never multiplied together. An entry
point's per-service figure is its weakest flow (every request kind must meet its SLO).

A component reached along two paths of one request is counted on each (conservative).
Cycles are cut where they close (the cycle is flagged on its own).

The "extra nine" rule (Treynor et al., ACM Queue 2017): each critical dependency should
be about one nine more available than the service that depends on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from ..flows import RequestFlow, flows_of
from ..model import Datastore, Design, External, Service
from ..topology import Call, Topology, topology_of

ASSUMED_INSTANCE = 99.5
"""One copy of a VM or container service, its zone included (a single instance's SLA)."""
ASSUMED_SERVICE_SINGLE = ASSUMED_INSTANCE
"""Kept for callers of the previous name."""
ASSUMED_SHARED_FATE = 99.99
"""Ceiling for n >= 2 copies across zones: they share a region, a deploy, a config."""
ASSUMED_PLATFORM = 99.95
"""A serverless or managed runtime: the provider's typical SLA."""
ASSUMED_SERVICE = 99.9
"""A service whose replicas are not declared."""
PLATFORM_RUNTIMES = frozenset({"serverless", "managed"})
ASSUMED_EXTERNAL = 99.9
"""A third party that publishes no availability is assumed to deliver 99.9 %."""
ASSUMED_STORE_REPLICATED = 99.95
"""A datastore with at least two replicas across zones: 99.95 % (typical managed SLA)."""
ASSUMED_STORE_PARTIAL = 99.9
"""A datastore with either replicas or multi-AZ, or that declares neither: 99.9 %."""
ASSUMED_STORE_SINGLE = 99.5
"""A single-instance, single-zone datastore: 99.5 %."""

EPSILON = 1e-9

Source = Literal["declared", "slo", "assumed", "composed"]


@dataclass(frozen=True, slots=True)
class ComponentAvailability:
    """The availability used for one component, and where the number comes from."""

    component: str
    percent: float
    source: Source
    """declared (the file says), slo (a service's promise, below its composition),
    composed (a service's own copies and dependencies), assumed (a default)."""
    basis: str


@dataclass(frozen=True, slots=True)
class AvailabilityBudget:
    """One service: its SLO against its own copies and its hard dependencies."""

    service: str
    slo: float | None
    achievable: float
    """Percent: own copies x what each hard dependency achieves (an entry point: its
    weakest flow)."""
    dependencies: tuple[ComponentAvailability, ...]
    """What each hard synchronous dependency achieves (its own datastore included)."""
    extra_nine_target: float | None
    """Availability each dependency should have under the extra-nine rule."""
    below_extra_nine: tuple[str, ...]
    own: ComponentAvailability | None = None
    """Its own copies (always assumed)."""
    degrades: tuple[str, ...] = ()
    """Dependencies behind a circuit breaker with a fallback: they degrade it."""
    entry: bool = False
    """True when the service starts flows: judged per flow, not here."""

    @property
    def meets_slo(self) -> bool | None:
        """None without an SLO; else whether the SLO is reachable."""
        if self.slo is None:
            return None
        return self.achievable + EPSILON >= self.slo


@dataclass(frozen=True, slots=True)
class FlowAvailability:
    """One request flow: what it achieves against its target."""

    flow: str
    percent: float
    factors: tuple[ComponentAvailability, ...]
    """The entry's own copies, then what each hard step from the entry achieves."""
    target: float | None
    target_source: str | None
    """'flow SLO', 'entry SLO' or 'requirement'."""
    soft: tuple[str, ...]
    """Hops behind a breaker with a fallback, anywhere in the flow."""

    @property
    def meets(self) -> bool | None:
        """None without a target."""
        if self.target is None:
            return None
        return self.percent + EPSILON >= self.target


def _store_assumption(d: Datastore) -> tuple[float, str]:
    replicated = d.replicas is not None and d.replicas >= 2
    if replicated and d.multi_az:
        return ASSUMED_STORE_REPLICATED, "assumed for a replicated multi-AZ store"
    if (d.replicas is not None and d.replicas < 2) and d.multi_az is False:
        return ASSUMED_STORE_SINGLE, "assumed for a single-instance, single-zone store"
    return ASSUMED_STORE_PARTIAL, "assumed for a store that is not both replicated and multi-AZ"


def own_copies(service: Service) -> ComponentAvailability:
    """A service's own copies, from replicas and runtime (see the module docstring)."""
    runtime = (service.runtime or "").strip().lower()
    n = service.replicas
    if n is not None and n >= 2:
        raw = 100.0 * (1.0 - ((100.0 - ASSUMED_INSTANCE) / 100.0) ** n)
        value = min(raw, ASSUMED_SHARED_FATE)
        return ComponentAvailability(
            service.id, value, "assumed", f"{n} copies across zones, assumed"
        )
    if runtime in PLATFORM_RUNTIMES:
        return ComponentAvailability(
            service.id, ASSUMED_PLATFORM, "assumed", f"{runtime} platform, assumed"
        )
    if n == 1:
        return ComponentAvailability(service.id, ASSUMED_INSTANCE, "assumed", "1 copy, assumed")
    return ComponentAvailability(
        service.id, ASSUMED_SERVICE, "assumed", "replicas undeclared, assumed"
    )


def component_availability(component: Service | Datastore | External) -> ComponentAvailability:
    """What a component offers on its own: a service's copies, a store's or an external's
    declared or assumed figure (no dependencies; see `Composition.achieves`)."""
    if isinstance(component, Service):
        return own_copies(component)
    if component.availability is not None:
        return ComponentAvailability(component.id, component.availability, "declared", "declared")
    if isinstance(component, Datastore):
        value, basis = _store_assumption(component)
        return ComponentAvailability(component.id, value, "assumed", basis)
    return ComponentAvailability(
        component.id,
        ASSUMED_EXTERNAL,
        "assumed",
        "assumed for an external without a published figure",
    )


def serial(percents: Iterable[float]) -> float:
    """Serial composition in percent: the product of the availabilities."""
    return 100.0 * math.prod(p / 100.0 for p in percents)


def extra_nine(slo: float) -> float:
    """The availability a dependency needs to be one nine better than `slo`."""
    return 100.0 - (100.0 - slo) / 10.0


def is_soft(call: Call, fallbacks: frozenset[int]) -> bool:
    """True for a sync call with a circuit breaker and a declared fallback."""
    return call.circuit_breaker is True and call.index in fallbacks


def postorder(starts: Iterable[str], children: Callable[[str], Iterable[str]]) -> list[str]:
    """Nodes reachable from `starts`, each after its children (iterative: chains can be
    thousands deep); an edge back into the current path is skipped (a cycle)."""
    done: set[str] = set()
    on_path: set[str] = set()
    out: list[str] = []
    for root in starts:
        if root in done:
            continue
        stack: list[tuple[str, Any]] = [(root, iter(children(root)))]
        on_path.add(root)
        while stack:
            node, it = stack[-1]
            nxt = next((c for c in it if c not in done and c not in on_path), None)
            if nxt is not None:
                on_path.add(nxt)
                stack.append((nxt, iter(children(nxt))))
                continue
            stack.pop()
            on_path.discard(node)
            done.add(node)
            out.append(node)
    return out


class Composition:
    """Availability of every component and flow of one design, computed once."""

    def __init__(self, design: Design, topo: Topology | None = None) -> None:
        self.design = design
        self.topo = topo or topology_of(design)
        self.components: dict[str, Service | Datastore | External] = {}
        for group in (design.services, design.datastores, design.externals):
            for c in group:
                self.components.setdefault(c.id, c)
        self.services = {s.id: s for s in reversed(design.services)}
        self.fallbacks = frozenset(
            i for i, d in enumerate(design.dependencies) if (d.fallback or "").strip()
        )
        self.store_of = {link.service: link.store for link in self.topo.store_links}
        self._calls: dict[str, list[Call]] = {}
        for call in self.topo.calls:
            if call.sync and self.topo.resolved(call) and call.source != call.target:
                self._calls.setdefault(call.source, []).append(call)
        self._own = {cid: component_availability(c) for cid, c in self.components.items()}
        # asked for per caller, per flow and per hint: each answer is computed once
        self._achieves: dict[str, ComponentAvailability] = {}
        self._flows: dict[tuple[int, float | None], tuple[RequestFlow, FlowAvailability]] = {}
        self._hard: dict[str, list[str]] = {}

    # -- per component -----------------------------------------------------------

    def sync_calls(self, service: str) -> list[Call]:
        """The resolved synchronous calls a service declares (its own store excluded)."""
        store = self.store_of.get(service)
        return [c for c in self._calls.get(service, []) if c.target != store]

    def hard_targets(self, service: str) -> list[str]:
        """What a service needs on every request: its own store and its hard calls."""
        known = self._hard.get(service)
        if known is None:
            known = self._hard[service] = self._hard_targets(service)
        return list(known)

    def _hard_targets(self, service: str) -> list[str]:
        out: list[str] = []
        store = self.store_of.get(service)
        if store is not None:
            out.append(store)
        for c in self.sync_calls(service):
            if not is_soft(c, self.fallbacks) and c.target not in out:
                out.append(c.target)
        return out

    def own(self, cid: str) -> ComponentAvailability:
        """A component on its own (a service's copies)."""
        return self._own[cid]

    @cached_property
    def _composed(self) -> dict[str, float]:
        """Service id -> own copies x what each hard dependency achieves."""
        out: dict[str, float] = {}
        achieved: dict[str, float] = {}
        for node in postorder(sorted(self.services), self._children):
            if node not in self.services:
                achieved[node] = self._own[node].percent
                continue
            value = self._own[node].percent / 100.0
            for t in self.hard_targets(node):
                # a target not yet computed closes a cycle: its own figure stands
                value *= achieved.get(t, self._own[t].percent) / 100.0
            out[node] = 100.0 * value
            slo = self._slo(node)
            achieved[node] = min(slo, out[node]) if slo is not None else out[node]
        return out

    def _children(self, node: str) -> list[str]:
        return self.hard_targets(node) if node in self.services else []

    def _slo(self, service: str) -> float | None:
        s = self.services.get(service)
        return s.slo.availability if s is not None and s.slo is not None else None

    def composed(self, service: str) -> float:
        """Own copies x what each hard dependency achieves, percent."""
        return self._composed[service]

    def achieves(self, cid: str) -> ComponentAvailability:
        """What a caller can count on: the lower of a service's SLO and its composition."""
        known = self._achieves.get(cid)
        if known is None:
            known = self._achieves[cid] = self._achieved(cid)
        return known

    def _achieved(self, cid: str) -> ComponentAvailability:
        if cid not in self.services:
            return self._own[cid]
        composed = self._composed[cid]
        slo = self._slo(cid)
        if slo is not None and slo <= composed + EPSILON:
            return ComponentAvailability(cid, slo, "slo", "its SLO")
        basis = "its copies and dependencies" + (
            f" (its SLO {slo:g} % is out of reach)" if slo is not None else ""
        )
        return ComponentAvailability(cid, composed, "composed", basis)

    # -- per flow --------------------------------------------------------------------

    def flow(self, flow: RequestFlow, requirement: float | None) -> FlowAvailability:
        """What one flow achieves, through its own steps, against its target."""
        known = self._flows.get((id(flow), requirement))
        if known is not None and known[0] is flow:
            return known[1]
        out = self._flow(flow, requirement)
        self._flows[(id(flow), requirement)] = (flow, out)  # the flow kept: its id stays its
        return out

    def _flow(self, flow: RequestFlow, requirement: float | None) -> FlowAvailability:
        detailed = flow.detailed

        def children(node: str) -> list[str]:
            if node not in detailed:
                return []
            return [c.target for c in self._flow_hard(flow, node)]

        value: dict[str, float] = {}
        for node in postorder([flow.entry], children):
            if node not in detailed and node != flow.entry:
                continue
            product = self._own[node].percent / 100.0
            for t in self._flow_targets(flow, node):
                product *= self._flow_figure(flow, t, value) / 100.0
            value[node] = 100.0 * product
        factors = [self._own[flow.entry]]
        factors += [self._flow_factor(flow, t, value) for t in self._flow_targets(flow, flow.entry)]
        target, source = self._flow_target(flow, requirement)
        soft = sorted(
            {
                c.target
                for stage in self._all_stages(flow)
                for c in stage
                if c.sync and is_soft(c, self.fallbacks)
            }
        )
        return FlowAvailability(
            flow.id, value[flow.entry], tuple(factors), target, source, tuple(soft)
        )

    def _all_stages(self, flow: RequestFlow) -> list[tuple[Call, ...]]:
        return [tuple(h.call for h in stage) for stage in flow.stages] + [
            (c,) for n in (flow.entry,) if n not in flow.detailed for c in self.sync_calls(n)
        ]

    def _flow_hard(self, flow: RequestFlow, node: str) -> list[Call]:
        out: list[Call] = []
        for stage in flow.stages_from(self.topo, node):
            for c in stage:
                if c.sync and not is_soft(c, self.fallbacks) and c.target != node:
                    out.append(c)
        return out

    def _flow_targets(self, flow: RequestFlow, node: str) -> list[str]:
        """The hard targets of a service inside a flow: its own store, then its calls."""
        out: list[str] = []
        store = self.store_of.get(node)
        if store is not None:
            out.append(store)
        for c in self._flow_hard(flow, node):
            if c.target not in out and c.target != store:
                out.append(c.target)
        return out

    def _flow_figure(self, flow: RequestFlow, target: str, value: dict[str, float]) -> float:
        if target in flow.detailed and target in value:
            slo = self._slo(target)
            return min(slo, value[target]) if slo is not None else value[target]
        if target in flow.detailed:  # closes a cycle inside the flow
            return self._own[target].percent
        return self.achieves(target).percent

    def _flow_factor(
        self, flow: RequestFlow, target: str, value: dict[str, float]
    ) -> ComponentAvailability:
        if target in flow.detailed:
            figure = self._flow_figure(flow, target, value)
            return ComponentAvailability(target, figure, "composed", "through the flow's steps")
        return self.achieves(target)

    def _flow_target(
        self, flow: RequestFlow, requirement: float | None
    ) -> tuple[float | None, str | None]:
        if flow.slo_availability is not None:
            return flow.slo_availability, "flow SLO"
        entry_slo = self._slo(flow.entry)
        if entry_slo is not None:
            return entry_slo, "entry SLO"
        if requirement is not None and flow.trigger == "request":
            return requirement, "requirement"
        return None, None


def flow_availability(design: Design, comp: Composition | None = None) -> list[FlowAvailability]:
    """What every flow of `design` achieves, in flow order."""
    comp = comp or Composition(design)
    required = design.discovery.requirements.availability
    return [comp.flow(f, required) for f in flows_of(design)]


def availability_budgets(
    design: Design, sync: Any = None, comp: Composition | None = None
) -> list[AvailabilityBudget]:
    """The availability budget of every service, in id order. (`sync` is accepted for
    older callers; the composition reads the topology.)"""
    comp = comp or Composition(design)
    flows = flows_of(design)
    by_entry: dict[str, list[float]] = {}
    if flows:
        required = design.discovery.requirements.availability
        for f in flows:
            by_entry.setdefault(f.entry, []).append(comp.flow(f, required).percent)
    out: list[AvailabilityBudget] = []
    for sid in sorted(comp.services):
        deps = tuple(comp.achieves(t) for t in comp.hard_targets(sid))
        slo = comp._slo(sid)
        target_nine = extra_nine(slo) if slo is not None else None
        below = tuple(
            d.component
            for d in deps
            if target_nine is not None and d.percent + EPSILON < target_nine
        )
        entry = sid in by_entry
        achievable = min(by_entry[sid]) if entry else comp.composed(sid)
        degrades = tuple(
            sorted({c.target for c in comp.sync_calls(sid) if is_soft(c, comp.fallbacks)})
        )
        out.append(
            AvailabilityBudget(
                service=sid,
                slo=slo,
                achievable=achievable,
                dependencies=deps,
                extra_nine_target=target_nine,
                below_extra_nine=below,
                own=comp.own(sid),
                degrades=degrades,
                entry=entry,
            )
        )
    return out


def achievable_availability(design: Design) -> dict[str, float]:
    """Service id -> the highest availability (percent) its copies and dependencies allow."""
    return {b.service: b.achievable for b in availability_budgets(design)}
