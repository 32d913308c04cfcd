"""Synchronous cycles: the signature of a distributed monolith.

Each cycle is reported once, starting at its smallest id. Enumeration is bounded per
strongly connected component so a dense tangle cannot stall the lint, and canonical:
which cycles a large tangle shows depends only on the ids and edges, never on set or
hash order (so `lint`, the report and `export --check` give the same bytes every run).
Johnson's algorithm, started from each group's smallest id with sorted neighbours; a
search that finds a cycle costs O(nodes + edges), so the bounded pass stays linear.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..topology import strongly_connected

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


def _circuits(start: str, adj: Mapping[str, list[str]], limit: int) -> list[tuple[str, ...]]:
    """Up to `limit` elementary cycles through `start` in `adj` (Johnson's circuit
    search, iterative: a tangle can be thousands of calls deep)."""
    out: list[tuple[str, ...]] = []
    blocked = {start}
    waiting: dict[str, set[str]] = {}  # Johnson's B lists: unblock these with the key
    path = [start]
    stack = [iter(adj[start])]
    closed = [False]
    while stack:
        for w in stack[-1]:
            if w == start:
                out.append(tuple(path))
                if len(out) >= limit:
                    return out
                closed[-1] = True
            elif w not in blocked:
                path.append(w)
                closed.append(False)
                stack.append(iter(adj[w]))
                blocked.add(w)
                break
        else:
            stack.pop()
            v = path.pop()
            if closed.pop():
                if closed:
                    closed[-1] = True
                todo = [v]
                while todo:
                    u = todo.pop()
                    if u in blocked:
                        blocked.discard(u)
                        todo.extend(waiting.pop(u, ()))
            else:
                for w in adj[v]:
                    waiting.setdefault(w, set()).add(v)
    return out


def _group_cycles(
    members: Iterable[str], succ: Mapping[str, list[str]], limit: int
) -> list[tuple[str, ...]]:
    """Up to `limit` cycles of one strongly connected group: those through its smallest
    id first, then (that id removed) those of the groups left, smallest first."""
    found: list[tuple[str, ...]] = []
    pending = [(min(members), sorted(members))]
    while pending and len(found) < limit:
        start, group = heapq.heappop(pending)
        inside = set(group)
        adj = {n: [m for m in succ[n] if m in inside] for n in group}
        found += _circuits(start, adj, limit - len(found))
        inside.discard(start)
        rest = {n: [m for m in adj[n] if m != start] for n in group if n != start}
        for sub in strongly_connected(rest)[1]:
            if len(sub) > 1:
                heapq.heappush(pending, (sub[0], sub))
    return found


def sync_cycles(sync: Mapping[str, Iterable[str]]) -> list[SyncCycle]:
    """Every synchronous cycle (up to MAX_CYCLES_PER_GROUP per tangle), sorted.

    `sync` maps each node to its successors: a networkx DiGraph or a plain dict.
    """
    succ = {str(n): sorted(str(m) for m in sync[n]) for n in sync}
    found: list[SyncCycle] = []
    for group in strongly_connected(succ)[1]:
        if len(group) < 2:
            continue
        found += (
            SyncCycle(p, len(group)) for p in _group_cycles(group, succ, MAX_CYCLES_PER_GROUP)
        )
    return sorted(found, key=lambda c: (len(c.path), c.path))
