"""Request flows: the journeys a request (or a message) takes through a design (issue 14).

A flow is a sequence of *stages* of the topology's calls (`Call`, by `Call.index`): a
stage is one call, or a group of calls made at the same time. The analyses read flows
from here, so availability, latency, blast radius and the report agree on them.

Declared flows come from the design's `flows:` (validation guarantees each step is a
declared dependency). An entry point or asynchronous consumer that no declared flow
starts at gets **derived** flows, marked `derived=True`:

* an **entry point** is a service that no service calls synchronously and that is not
  an asynchronous consumer. It gets one flow per *route*: one synchronous dependency
  of the entry, followed transitively. A gateway routing to checkout, listings and
  search serves each request through one of them, so its routes are separate flows,
  never "every dependency on every request";
* an **asynchronous consumer** is a service that no service calls synchronously, that
  declares no `api` and that is woken by messages: a service sends to it asynchronously,
  or it links asynchronously to a datastore (a broker it reads). It
  gets one flow (trigger `event`) with all its synchronous calls: it makes them for
  each message. It is checked against its own SLO, never the request requirement;
* an entry with no synchronous dependency gets one flow of its own work.

Inside a flow, a service the flow lists no step from makes every synchronous call it
declares, one after another (the design does not say otherwise): `stages_from` gives
those, and `FlowView.detailed` says which services the flow details itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .identity_cache import IdentityCache
from .model import Design, Flow
from .topology import Call, Topology, topology_of

Trigger = Literal["request", "event"]


@dataclass(frozen=True, slots=True)
class FlowHop:
    """One call of a flow."""

    call: Call
    compensate: str | None = None
    """In a saga: how the step is undone."""


@dataclass(frozen=True, slots=True)
class RequestFlow:
    """One declared or derived request flow."""

    id: str
    name: str
    entry: str
    trigger: Trigger
    derived: bool
    saga: bool
    stages: tuple[tuple[FlowHop, ...], ...]
    """In order; a stage of several hops is a parallel group."""
    slo_availability: float | None = None
    slo_latency_p99_ms: float | None = None
    # computed once: drawing and timing a flow ask for it at every call they walk
    _detailed: frozenset[str] = field(init=False, repr=False, compare=False)
    # a detailed service's own calls, stage by stage (issue 21: `stages_from` walked every
    # stage of the flow for each of them: stages x steps per flow, asked at every hop)
    _own: dict[str, tuple[tuple[Call, ...], ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        own: dict[str, list[tuple[Call, ...]]] = {}
        for stage in self.stages:
            mine: dict[str, list[Call]] = {}
            for h in stage:
                mine.setdefault(h.call.source, []).append(h.call)
            for source, calls in mine.items():
                own.setdefault(source, []).append(tuple(calls))
        object.__setattr__(self, "_detailed", frozenset(own))
        object.__setattr__(self, "_own", {k: tuple(v) for k, v in own.items()})

    @property
    def hops(self) -> tuple[FlowHop, ...]:
        """Every hop in order, parallel groups flattened."""
        return tuple(h for stage in self.stages for h in stage)

    @property
    def detailed(self) -> frozenset[str]:
        """Services whose calls this flow lists itself (others make all of theirs)."""
        return self._detailed

    def stages_from(self, topo: Topology, service: str) -> list[tuple[Call, ...]]:
        """The calls `service` makes in this flow, stage by stage.

        The flow's own steps when it lists any from `service`; otherwise every call the
        service declares, one stage each (made one after another).
        """
        own = self._own.get(service)
        if own is not None:
            return list(own)
        return [(c,) for c in calls_from(topo, service)]


def calls_from(topo: Topology, service: str) -> tuple[Call, ...]:
    """The resolved calls a component declares, in file order (cached per topology)."""
    return _calls_index(topo).get(service, ())


def _build_calls_index(topo: Topology) -> dict[str, tuple[Call, ...]]:
    index: dict[str, list[Call]] = {}
    for c in topo.calls:
        if topo.resolved(c) and c.source != c.target:
            index.setdefault(c.source, []).append(c)
    return {k: tuple(v) for k, v in index.items()}


_calls_index: IdentityCache[Topology, dict[str, tuple[Call, ...]]] = IdentityCache(
    _build_calls_index
)


def sync_callers(topo: Topology) -> set[str]:
    """Services some service calls synchronously."""
    return {c.target for c in topo.process_calls if topo.kind(c.source) == "service"}


def async_consumers(design: Design, topo: Topology | None = None) -> list[str]:
    """Services woken by messages (see the module docstring), in file order."""
    topo = topo or topology_of(design)
    called = sync_callers(topo)
    # woken by messages: a service sends to it asynchronously, or it links asynchronously
    # to a store (a broker it reads; an async send to a *service* makes it the producer)
    has_async = {c.target for c in topo.calls if not c.sync and topo.kind(c.target) == "service"}
    has_async |= {c.source for c in topo.calls if not c.sync and topo.kind(c.target) == "datastore"}
    return [
        s.id
        for s in design.services
        if s.id not in called and s.id in has_async and not (s.api or "").strip()
    ]


def entry_points(design: Design, topo: Topology | None = None) -> list[str]:
    """Services where requests enter: no synchronous caller, not an async consumer."""
    topo = topo or topology_of(design)
    called = sync_callers(topo)
    consumers = set(async_consumers(design, topo))
    seen: set[str] = set()
    out: list[str] = []
    for s in design.services:
        if s.id not in called and s.id not in consumers and s.id not in seen:
            seen.add(s.id)
            out.append(s.id)
    return out


def _steps_index(topo: Topology) -> dict[tuple[str, str], Call]:
    """The call a flow step names, by (from, to); built once for all flows."""
    by_pair: dict[tuple[str, str], Call] = {}
    for c in topo.calls:  # a pair declared sync and async: the sync call is the step
        if (c.source, c.target) not in by_pair or c.sync:
            by_pair[(c.source, c.target)] = c
    return by_pair


def _declared(flow: Flow, consumers: set[str], by_pair: dict[tuple[str, str], Call]) -> RequestFlow:
    stages: list[tuple[FlowHop, ...]] = []
    for step in flow.steps:
        if step.parallel is not None:
            group = tuple(
                FlowHop(by_pair[(p.from_, p.to)], p.compensate)
                for p in step.parallel
                if (p.from_, p.to) in by_pair
            )
        elif step.from_ is not None and step.to is not None and (step.from_, step.to) in by_pair:
            group = (FlowHop(by_pair[(step.from_, step.to)], step.compensate),)
        else:
            group = ()
        if group:
            stages.append(group)
    trigger: Trigger = flow.trigger or ("event" if flow.entry in consumers else "request")
    slo = flow.slo
    return RequestFlow(
        id=flow.id,
        name=flow.label,
        entry=flow.entry,
        trigger=trigger,
        derived=False,
        saga=flow.saga,
        stages=tuple(stages),
        slo_availability=slo.availability if slo is not None else None,
        slo_latency_p99_ms=slo.latency_p99_ms if slo is not None else None,
    )


def _derived(design: Design, topo: Topology, taken: set[str]) -> list[RequestFlow]:
    out: list[RequestFlow] = []
    used = set(taken) | design.component_ids()

    def fresh(base: str) -> str:
        fid, n = base, 2
        while fid in used:
            fid, n = f"{base}.{n}", n + 1
        used.add(fid)
        return fid

    started = {f.entry for f in design.flows}
    for entry in entry_points(design, topo):
        if entry in started:
            continue
        routes = [c for c in calls_from(topo, entry) if c.sync]
        if not routes:
            out.append(
                RequestFlow(fresh(f"{entry}.request"), entry, entry, "request", True, False, ())
            )
        seen: set[str] = set()
        for c in routes:
            if c.target in seen:
                continue
            seen.add(c.target)
            what = f" ({c.label})" if c.label else ""
            out.append(
                RequestFlow(
                    fresh(f"{entry}.{c.target}"),
                    f"{entry} → {c.target}{what}",
                    entry,
                    "request",
                    True,
                    False,
                    ((FlowHop(c),),),
                )
            )
    for consumer in async_consumers(design, topo):
        if consumer in started or not any(c.sync for c in calls_from(topo, consumer)):
            continue
        out.append(
            RequestFlow(
                fresh(f"{consumer}.message"),
                f"{consumer} (per message)",
                consumer,
                "event",
                True,
                False,
                (),
            )
        )
    return out


def build_flows(design: Design) -> tuple[RequestFlow, ...]:
    """Declared flows in file order, then derived ones (prefer the cached `flows_of`)."""
    topo = topology_of(design)
    consumers = set(async_consumers(design, topo))
    declared: list[RequestFlow] = []
    ids: set[str] = set()
    services = {s.id for s in design.services}
    by_pair = _steps_index(topo)  # once: per flow it made the build flows x calls
    for f in design.flows:
        if f.id in ids or f.entry not in services:  # invalid; validation reports it
            continue
        ids.add(f.id)
        declared.append(_declared(f, consumers, by_pair))
    return (*declared, *_derived(design, topo, ids))


def flows_of(design: Design) -> tuple[RequestFlow, ...]:
    """The flows of `design`, built once per design object (see `topology_of`)."""
    return _FLOWS(design)


_FLOWS: IdentityCache[Design, tuple[RequestFlow, ...]] = IdentityCache(build_flows)
