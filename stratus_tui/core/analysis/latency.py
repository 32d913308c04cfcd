"""Latency budget: what each service waits for, and its end-to-end p99.

A declared p99 (a service's SLO `latency_p99_ms`, an external's `latency_p99_ms`) is read
as what the component's callers wait for, everything below it included: checkout's
500 ms covers the 450 ms of the payment service it calls, which covers Stripe's 350 ms.
Summing those p99s along a chain would count Stripe three times, so the budget never
sums nested figures. Per service:

* `waits` is the largest end-to-end p99 among its synchronous callees (a lower bound on
  what the service can promise: it cannot answer before its slowest call returns);
* its end-to-end p99 is its own SLO when that covers `waits`; an SLO *below* `waits`
  cannot cover its calls, so it is read as the service's own time and `waits` is added
  (an edge gateway's 30 ms is its overhead, not the end-to-end figure); a service or
  datastore with no p99 adds nothing and passes `waits` up (listed as unknown).

A service whose SLO is below `waits` breaks its own budget; an entry point (a service no
service calls synchronously) whose end-to-end p99 exceeds `requirements.latency_p99_ms`
breaks the requirement. Cycles are collapsed (their members counted once) so the pass
is linear.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..model import Design


@dataclass(frozen=True, slots=True)
class SyncChain:
    """The slowest synchronous path starting at one service."""

    start: str
    path: tuple[str, ...]
    p99_ms: tuple[float | None, ...]
    """Each hop's declared p99 (None when unknown), aligned with `path`."""
    total_ms: float
    """`start`'s end-to-end p99 (see the module docstring)."""
    downstream_ms: float
    """The end-to-end p99 of the slowest call `start` waits for."""
    own_slo_ms: float | None
    """`start`'s own p99 SLO."""
    entry: bool
    """True when no service calls `start` synchronously."""

    @property
    def unknown(self) -> tuple[str, ...]:
        """Hops whose p99 is not declared (they add nothing)."""
        return tuple(n for n, v in zip(self.path, self.p99_ms, strict=True) if v is None)

    @property
    def slo_is_overhead(self) -> bool:
        """True when `start`'s SLO is below what it waits for (read as its own time)."""
        return self.own_slo_ms is not None and self.downstream_ms > self.own_slo_ms


def node_p99(design: Design) -> dict[str, float | None]:
    """Each component's declared p99 in milliseconds, None when the design does not say."""
    out: dict[str, float | None] = {}
    for s in design.services:
        out[s.id] = s.slo.latency_p99_ms if s.slo is not None else None
    for d in design.datastores:
        out[d.id] = None
    for e in design.externals:
        out[e.id] = e.latency_p99_ms
    return out


def end_to_end(own: float | None, waits: float) -> float:
    """End-to-end p99 from a declared p99 and the slowest call below it."""
    if own is None:
        return waits
    return own if own >= waits else own + waits


@dataclass(frozen=True, slots=True)
class LatencyBudget:
    """One service's numbers without the path (cheap for every service)."""

    service: str
    own_slo_ms: float | None
    downstream_ms: float
    """The end-to-end p99 of the slowest call this service waits for."""
    total_ms: float
    """This service's end-to-end p99."""
    entry: bool
    sequential_ms: float = 0.0
    """Sum of its direct synchronous calls' end-to-end p99s: the figure if it makes
    them one after another (the design cannot say whether calls run in parallel)."""
    calls: int = 0
    """Direct synchronous calls outside its own cycle."""

    @property
    def sequential_risk(self) -> bool:
        """True when calls made in sequence would break an SLO that the slowest one fits."""
        return (
            self.own_slo_ms is not None
            and self.calls > 1
            and not self.over_own_slo
            and self.sequential_ms > self.own_slo_ms
        )

    @property
    def over_own_slo(self) -> bool:
        """True when the SLO is below what the service waits for."""
        return self.own_slo_ms is not None and self.downstream_ms > self.own_slo_ms


class LatencyIndex:
    """End-to-end p99s of a design: figures for all services, paths on demand."""

    def __init__(self, design: Design, sync: Any) -> None:
        self.p99 = node_p99(design)
        cond = nx.condensation(sync)
        self._mapping: dict[str, int] = cond.graph["mapping"]
        self._members = {c: sorted(d["members"]) for c, d in cond.nodes(data=True)}
        # a cycle's members are counted once: the group is as slow as its slowest member
        declared = {
            c: max((v for n in ms if (v := self.p99.get(n)) is not None), default=None)
            for c, ms in self._members.items()
        }
        self._e2e: dict[int, float] = {}
        self._waits: dict[int, float] = {}
        self._next: dict[int, int | None] = {}
        self._hops: dict[int, int] = {}  # nodes on the path from this group down
        self._end: dict[int, str] = {}  # the last node of that path
        self._top2: dict[int, tuple[tuple[float, str], ...]] = {}
        for c in reversed(list(nx.topological_sort(cond))):
            choice: int | None = None
            value = 0.0
            for succ in sorted(cond.successors(c), key=lambda s: self._members[s][0]):
                if choice is None or self._e2e[succ] > value:
                    choice, value = succ, self._e2e[succ]
            self._waits[c] = value
            self._e2e[c] = end_to_end(declared[c], value)
            self._next[c] = choice
            if choice is None:
                self._hops[c], self._end[c] = len(self._members[c]), self._members[c][-1]
            else:
                self._hops[c] = len(self._members[c]) + self._hops[choice]
                self._end[c] = self._end[choice]
        called = {v for u, v in sync.edges if sync.nodes[u]["kind"] == "service"}
        self.budgets: list[LatencyBudget] = []
        for s in sorted(design.services, key=lambda c: c.id):
            group = self._mapping[s.id]
            own = self.p99.get(s.id)
            waits = self._waits[group]
            # inside a cycle the service also waits for the rest of its group
            if len(self._members[group]) > 1:
                waits = max(waits, self._slowest_other(group, s.id))
            direct = [
                self._e2e[g] for t in sync.successors(s.id) if (g := self._mapping[t]) != group
            ]
            self.budgets.append(
                LatencyBudget(
                    s.id,
                    own,
                    waits,
                    end_to_end(own, waits),
                    s.id not in called,
                    sum(direct),
                    len(direct),
                )
            )
        self._by_service = {b.service: b for b in self.budgets}

    def _slowest_other(self, group: int, service: str) -> float:
        """The largest declared p99 in `group` other than `service`'s (linear overall:
        the two largest per group are computed once)."""
        top = self._top2.get(group)
        if top is None:
            ranked = sorted(
                ((self.p99.get(m) or 0.0, m) for m in self._members[group]), reverse=True
            )[:2]
            top = self._top2[group] = tuple(ranked)
        for value, member in top:
            if member != service:
                return value
        return 0.0

    def _walk(self, service: str) -> Iterator[str]:
        """The hops of the path from `service`, lazily (a path can be very long)."""
        # the start, then the rest of its own cycle (if any), then the path below
        yield service
        yield from (m for m in self._members[self._mapping[service]] if m != service)
        c = self._next[self._mapping[service]]
        while c is not None:
            yield from self._members[c]
            c = self._next[c]

    def describe(self, service: str, limit: int = 8) -> str:
        """`a → b → … N more … → z` without building the whole path."""
        hops = self._hops[self._mapping[service]]
        if hops <= limit:
            return " → ".join(self._walk(service))
        head = list(itertools.islice(self._walk(service), limit - 2))
        c = self._mapping[service]
        last = self._end[c]
        if self._next[c] is None and last == service:  # the start was sorted last
            last = next(m for m in reversed(self._members[c]) if m != service)
        return " → ".join([*head, f"… {hops - len(head) - 1} more …", last])

    def chain(self, service: str) -> SyncChain:
        """The slowest path starting at `service`, with every hop."""
        budget = self._by_service[service]
        path = list(self._walk(service))
        return SyncChain(
            start=service,
            path=tuple(path),
            p99_ms=tuple(self.p99.get(n) for n in path),
            total_ms=budget.total_ms,
            downstream_ms=budget.downstream_ms,
            own_slo_ms=budget.own_slo_ms,
            entry=budget.entry,
        )

    def longest(self) -> SyncChain | None:
        """The path with the largest end-to-end p99 (ties: entry points first, then id)."""
        if not self.budgets:
            return None
        top = min(self.budgets, key=lambda b: (-b.total_ms, not b.entry, b.service))
        return self.chain(top.service)
