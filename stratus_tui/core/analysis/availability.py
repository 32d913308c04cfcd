"""Availability budget: what each service can reach given its synchronous dependencies.

Serial composition (FACTS.md): a service that needs every one of its synchronous
dependencies can be at most as available as their product. A dependency counts with:
- a service: its SLO availability (what it promises callers); without one, an assumed
  default (99.5 % for a single copy, as a single VM's SLA, else 99.9 %) capped by what
  its own synchronous dependencies allow (a service without an SLO cannot be more
  available than the stores it needs);
- a datastore or external: its declared `availability`, else an assumed default.
Assumed values are always returned with `source="assumed"` so reports can say so.
Asynchronous dependencies are left out: behind a durable queue the caller depends on the
broker, not on the consumer.

The "extra nine" rule (Treynor et al., ACM Queue 2017): each critical dependency should
be about one nine more available than the service that depends on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from ..model import Datastore, Design, External, Service

ASSUMED_SERVICE = 99.9
"""A service without an SLO availability is assumed to deliver 99.9 %."""
ASSUMED_SERVICE_SINGLE = 99.5
"""A single-copy service (1 replica, not serverless or managed) without an SLO: 99.5 %."""
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


@dataclass(frozen=True, slots=True)
class ComponentAvailability:
    """The availability used for one dependency, and where the number comes from."""

    component: str
    percent: float
    source: Literal["declared", "slo", "assumed"]
    basis: str


@dataclass(frozen=True, slots=True)
class AvailabilityBudget:
    """One service: its SLO against the product of its synchronous dependencies."""

    service: str
    slo: float | None
    achievable: float
    """Percent; 100.0 when nothing synchronous limits it."""
    dependencies: tuple[ComponentAvailability, ...]
    extra_nine_target: float | None
    """Availability each dependency should have under the extra-nine rule."""
    below_extra_nine: tuple[str, ...]

    @property
    def meets_slo(self) -> bool | None:
        """None without an SLO; else whether the SLO is reachable."""
        if self.slo is None:
            return None
        return self.achievable + EPSILON >= self.slo


def _store_assumption(d: Datastore) -> tuple[float, str]:
    replicated = d.replicas is not None and d.replicas >= 2
    if replicated and d.multi_az:
        return ASSUMED_STORE_REPLICATED, "assumed for a replicated multi-AZ store"
    if (d.replicas is not None and d.replicas < 2) and d.multi_az is False:
        return ASSUMED_STORE_SINGLE, "assumed for a single-instance, single-zone store"
    return ASSUMED_STORE_PARTIAL, "assumed for a store that is not both replicated and multi-AZ"


def component_availability(component: Service | Datastore | External) -> ComponentAvailability:
    """The availability a caller can count on from one component."""
    if isinstance(component, Service):
        if component.slo is not None and component.slo.availability is not None:
            return ComponentAvailability(component.id, component.slo.availability, "slo", "its SLO")
        runtime = (component.runtime or "").strip().lower()
        if component.replicas == 1 and runtime not in PLATFORM_RUNTIMES:
            return ComponentAvailability(
                component.id,
                ASSUMED_SERVICE_SINGLE,
                "assumed",
                "assumed for a single-copy service without an SLO",
            )
        return ComponentAvailability(
            component.id, ASSUMED_SERVICE, "assumed", "assumed for a service without an SLO"
        )
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


def serial(percents: list[float]) -> float:
    """Serial composition in percent: the product of the availabilities."""
    return 100.0 * math.prod(p / 100.0 for p in percents)


def extra_nine(slo: float) -> float:
    """The availability a dependency needs to be one nine better than `slo`."""
    return 100.0 - (100.0 - slo) / 10.0


def _capped(base: ComponentAvailability, own_deps: float) -> ComponentAvailability:
    """A no-SLO service's figure, capped by what its own dependencies allow."""
    if base.source != "assumed" or own_deps + EPSILON >= base.percent:
        return base
    return ComponentAvailability(
        base.component,
        own_deps,
        "assumed",
        f"no SLO; capped by its own synchronous dependencies ({own_deps:.4g} %)",
    )


def availability_budgets(design: Design, sync: Any) -> list[AvailabilityBudget]:
    """The availability budget of every service, in id order."""
    import networkx as nx

    by_id: dict[str, Service | Datastore | External] = {}
    for group in (design.services, design.datastores, design.externals):
        for c in group:
            by_id[c.id] = c
    cache: dict[str, ComponentAvailability] = {}
    budgets: dict[str, AvailabilityBudget] = {}
    services = {s.id: s for s in design.services}

    def figure(target: str) -> ComponentAvailability:
        if target not in cache:
            cache[target] = component_availability(by_id[target])
        return cache[target]

    # dependencies before their callers, so a no-SLO service's cap is known when used;
    # inside a cycle the plain assumption stands (the cycle is flagged on its own)
    cond = nx.condensation(sync)
    members: dict[int, list[str]] = {c: sorted(d["members"]) for c, d in cond.nodes(data=True)}
    order = [n for c in reversed(list(nx.topological_sort(cond))) for n in members[c]]
    order += sorted(set(services) - set(order))
    for sid in order:
        s = services.get(sid)
        if s is None:
            continue
        deps = [figure(t) for t in (sorted(sync.successors(sid)) if sid in sync else ())]
        achievable = serial([d.percent for d in deps])
        if sid not in cache:  # not yet used by a caller in its own cycle
            cache[sid] = _capped(component_availability(s), achievable)
        slo = s.slo.availability if s.slo is not None else None
        target_nine = extra_nine(slo) if slo is not None else None
        below = tuple(
            d.component
            for d in deps
            if target_nine is not None and d.percent + EPSILON < target_nine
        )
        budgets[sid] = AvailabilityBudget(
            service=sid,
            slo=slo,
            achievable=achievable,
            dependencies=tuple(deps),
            extra_nine_target=target_nine,
            below_extra_nine=below,
        )
    return [budgets[k] for k in sorted(budgets)]


def achievable_availability(design: Design) -> dict[str, float]:
    """Service id -> the highest availability (percent) its sync dependencies allow."""
    from .graph import build_graph, sync_graph

    sync = sync_graph(build_graph(design))
    return {b.service: b.achievable for b in availability_budgets(design, sync)}
