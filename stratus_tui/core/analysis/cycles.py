"""Synchronous cycles: the signature of a distributed monolith.

Each cycle is reported once, rotated so that it starts at its smallest id. Enumeration
is bounded per strongly connected component so a dense tangle cannot stall the lint.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import networkx as nx

MAX_CYCLES_PER_GROUP = 10


@dataclass(frozen=True, slots=True)
class SyncCycle:
    """One synchronous cycle, `path[0] -> path[1] -> ... -> path[0]`."""

    path: tuple[str, ...]
    group_size: int
    """Members of the strongly connected component the cycle lies in."""

    def text(self) -> str:
        """`a → b → c → a`."""
        return " → ".join((*self.path, self.path[0]))


def _rotate(cycle: list[str]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


def sync_cycles(sync: Any) -> list[SyncCycle]:
    """Every synchronous cycle (up to MAX_CYCLES_PER_GROUP per tangle), sorted."""
    found: list[SyncCycle] = []
    for group in nx.strongly_connected_components(sync):
        if len(group) < 2:
            continue
        sub = sync.subgraph(group)
        seen: set[tuple[str, ...]] = set()
        for cycle in itertools.islice(nx.simple_cycles(sub), MAX_CYCLES_PER_GROUP):
            path = _rotate([str(n) for n in cycle])
            if path not in seen:
                seen.add(path)
                found.append(SyncCycle(path, len(group)))
    return sorted(found, key=lambda c: (len(c.path), c.path))
