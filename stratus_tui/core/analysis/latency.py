"""Latency budget: the longest synchronous chain and its summed p99.

A chain's p99 is bounded by the sum of the p99s along it (a conservative, worst-case
figure: every hop at its p99 at once). Each component contributes its own p99: a
service its SLO `latency_p99_ms`, an external its `latency_p99_ms`; a datastore declares
none, so it counts as 0 and is listed as unknown. The chain *below* a service is
compared with that service's own p99 SLO; the whole chain from an entry point (a
service no service calls synchronously) is compared with `requirements.latency_p99_ms`.
Cycles are collapsed (their members counted once) so the pass is linear.
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
    """The slowest synchronous chain starting at one service."""

    start: str
    path: tuple[str, ...]
    p99_ms: tuple[float | None, ...]
    """Each hop's own p99 (None when unknown), aligned with `path`."""
    total_ms: float
    """Sum of the known p99s of the whole path, `start` included."""
    downstream_ms: float
    """Sum of the known p99s below `start`."""
    own_slo_ms: float | None
    """`start`'s own p99 SLO."""
    entry: bool
    """True when no service calls `start` synchronously."""

    @property
    def unknown(self) -> tuple[str, ...]:
        """Hops whose p99 is not declared (counted as 0)."""
        return tuple(n for n, v in zip(self.path, self.p99_ms, strict=True) if v is None)


def node_p99(design: Design) -> dict[str, float | None]:
    """Each component's own p99 in milliseconds, None when the design does not say."""
    out: dict[str, float | None] = {}
    for s in design.services:
        out[s.id] = s.slo.latency_p99_ms if s.slo is not None else None
    for d in design.datastores:
        out[d.id] = None
    for e in design.externals:
        out[e.id] = e.latency_p99_ms
    return out


@dataclass(frozen=True, slots=True)
class LatencyBudget:
    """One service's numbers without the path (cheap for every service)."""

    service: str
    own_slo_ms: float | None
    downstream_ms: float
    total_ms: float
    entry: bool


class LatencyIndex:
    """Longest sync chains of a design: totals for all services, paths on demand."""

    def __init__(self, design: Design, sync: Any) -> None:
        self.p99 = node_p99(design)
        cond = nx.condensation(sync)
        self._mapping: dict[str, int] = cond.graph["mapping"]
        self._members = {c: sorted(d["members"]) for c, d in cond.nodes(data=True)}
        weight = {c: sum(self.p99.get(n) or 0.0 for n in ms) for c, ms in self._members.items()}
        self._best: dict[int, float] = {}
        self._next: dict[int, int | None] = {}
        self._hops: dict[int, int] = {}  # nodes on the chain from this group down
        self._end: dict[int, str] = {}  # the last node of that chain
        for c in reversed(list(nx.topological_sort(cond))):
            choice: int | None = None
            value = 0.0
            for succ in sorted(cond.successors(c), key=lambda s: self._members[s][0]):
                if choice is None or self._best[succ] > value:
                    choice, value = succ, self._best[succ]
            self._best[c] = weight[c] + value
            self._next[c] = choice
            if choice is None:
                self._hops[c], self._end[c] = len(self._members[c]), self._members[c][-1]
            else:
                self._hops[c] = len(self._members[c]) + self._hops[choice]
                self._end[c] = self._end[choice]
        called = {v for u, v in sync.edges if sync.nodes[u]["kind"] == "service"}
        self.budgets: list[LatencyBudget] = []
        for s in sorted(design.services, key=lambda c: c.id):
            own = self.p99.get(s.id)
            total = self._best[self._mapping[s.id]]
            self.budgets.append(
                LatencyBudget(s.id, own, total - (own or 0.0), total, s.id not in called)
            )
        self._by_service = {b.service: b for b in self.budgets}

    def _walk(self, service: str) -> Iterator[str]:
        """The hops of the chain from `service`, lazily (a chain can be very long)."""
        # the start, then the rest of its own cycle (if any), then the chain below
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
        """The slowest chain starting at `service`, with every hop."""
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
        """The chain with the largest summed p99 (ties: entry points first, then id)."""
        if not self.budgets:
            return None
        top = min(self.budgets, key=lambda b: (-b.total_ms, not b.entry, b.service))
        return self.chain(top.service)
