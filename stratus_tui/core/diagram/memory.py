"""Steady layout: an edit moves only what it must.

A `LayoutMemory` keeps, for every node of the last layout, its rank (column), its
order and the row its box was drawn on. The next layout of the same design starts
from there instead of from a fresh dot run, which may reshuffle everything (a context
in the middle jumps to the top when one dependency is added):

* a node still present keeps its rank, order and row (the packer puts a box on the row
  it wants unless something is in the way, so it stays put);
* a renamed node is recognised (same kind and title, or the same neighbours) and
  keeps its place under its new id;
* a new node goes next to its known neighbours: one column right of its callers, left
  of what it calls (in a new column between them when they are adjacent), on the mean
  row of its neighbours;
* an edge that would join two nodes of one column moves its head into a new column
  just right of it.

When less than half of the design is known (another file was opened) the memory
gives up and a fresh layout runs. No dot run is needed for a remembered layout, so a
structural edit costs only packing, routing and drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import FULL, DiagramGraph
from .ranking import Ranking


@dataclass(slots=True)
class LayoutMemory:
    """What the last layout of a design looked like (see the module docstring)."""

    rank: dict[str, float] = field(default_factory=dict)
    order: dict[str, float] = field(default_factory=dict)
    row: dict[str, int] = field(default_factory=dict)
    """Box tops at the full level of detail, below the legend."""
    sign: dict[str, tuple[str, str]] = field(default_factory=dict)
    """(kind, title) of each node, to recognise a node under a new id."""
    nbrs: dict[str, frozenset[str]] = field(default_factory=dict)
    engine: str = "layered"
    """The engine of the fresh layout it started from."""
    renamed: dict[str, str] = field(default_factory=dict)
    """New id -> old id found by the last `ranking_for` (for tests and benchmarks)."""

    def clear(self) -> None:
        """Forget everything: the next layout is a fresh one (tidy up)."""
        self.rank.clear()
        self.order.clear()
        self.row.clear()
        self.sign.clear()
        self.nbrs.clear()
        self.renamed = {}

    def ranking_for(self, graph: DiagramGraph) -> Ranking | None:
        """Ranks, order and wanted rows for `graph` that keep known nodes in place, or
        None when too little of it is known."""
        if not self.rank or not graph.nodes:
            return None
        nbrs = _neighbours(graph)
        known = self._match(graph, nbrs)
        if 2 * len(known) < len(graph.nodes):
            return None
        rank = {n: self.rank[o] for n, o in known.items()}
        order = {n: self.order[o] for n, o in known.items()}
        row = {n: self.row[o] for n, o in known.items()}
        preds: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
        succs: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
        for e in graph.edges:
            succs[e.src].append(e.dst)
            preds[e.dst].append(e.src)
        pending = [n.id for n in graph.nodes if n.id not in known]
        while pending:
            # Nodes with a placed neighbour first; a lone island last, below the rest.
            ready = [n for n in pending if any(m in rank for m in nbrs[n])] or pending[:1]
            for n in ready:
                _place_new(n, preds[n], succs[n], rank, order, row)
            pending = [n for n in pending if n not in rank]
        if not _separate(graph, rank):
            return None
        used = sorted(set(rank.values()))
        dense = {r: i for i, r in enumerate(used)}
        return Ranking(
            {n: dense[r] for n, r in rank.items()},
            order,
            {n: max(0, r) for n, r in row.items()},
        )

    def _match(self, graph: DiagramGraph, nbrs: dict[str, frozenset[str]]) -> dict[str, str]:
        known = {n.id: n.id for n in graph.nodes if n.id in self.rank}
        new = [n for n in graph.nodes if n.id not in known]
        gone = set(self.rank) - set(known)
        self.renamed = {}
        if not new or not gone:
            return known
        by_sign: dict[tuple[str, str], list[str]] = {}
        for o in gone:
            by_sign.setdefault(self.sign[o], []).append(o)
        for n in new:
            hits = by_sign.get((n.kind, n.title), [])
            if len(hits) == 1 and hits[0] in gone:
                known[n.id] = hits[0]
                gone.discard(hits[0])
        # A renamed id whose title changed too: the same kind and the same neighbours.
        back = {v: k for k, v in known.items()}
        for n in new:
            if n.id in known:
                continue
            mine = frozenset(back.get(m, m) for m in nbrs[n.id] if m in known) | (
                nbrs[n.id] - set(known)
            )
            hits = [o for o in gone if self.sign[o][0] == n.kind and self.nbrs[o] == mine]
            if len(hits) == 1 and mine:
                known[n.id] = hits[0]
                gone.discard(hits[0])
        self.renamed = {n: o for n, o in known.items() if n != o}
        return known

    def learn(self, graph: DiagramGraph, ranking: Ranking, rows: dict[str, int] | None) -> None:
        """Remember the layout just made of `graph` from `ranking`; `rows` are the box
        tops it drew (below the legend) when it was drawn at the full level of detail."""
        self.rank = {n.id: float(ranking.rank[n.id]) for n in graph.nodes}
        if rows is not None and graph.detail == FULL:
            self.row = {n.id: rows[n.id] for n in graph.nodes}
            # The drawn order (top to bottom) is the order from now on.
            self.order = {n.id: float(rows[n.id]) for n in graph.nodes}
        else:
            base = ranking.row or {}
            self.row = {n.id: base.get(n.id, self.row.get(n.id, 0)) for n in graph.nodes}
            self.order = {n.id: ranking.order[n.id] for n in graph.nodes}
        self.sign = {n.id: (n.kind, n.title) for n in graph.nodes}
        self.nbrs = _neighbours(graph)


def _neighbours(graph: DiagramGraph) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {n.id: set() for n in graph.nodes}
    for e in graph.edges:
        out[e.src].add(e.dst)
        out[e.dst].add(e.src)
    return {k: frozenset(v) for k, v in out.items()}


def _place_new(
    n: str,
    preds: list[str],
    succs: list[str],
    rank: dict[str, float],
    order: dict[str, float],
    row: dict[str, int],
) -> None:
    ps = [rank[p] for p in preds if p in rank]
    ss = [rank[s] for s in succs if s in rank]
    if ps and ss and min(ss) > max(ps):
        lo, hi = max(ps), min(ss)
        rank[n] = lo + 1 if hi - lo >= 2 else (lo + hi) / 2  # between them
    elif ps:
        rank[n] = max(ps) + 1
    elif ss:
        rank[n] = min(ss) - 1
    else:
        rank[n] = min(rank.values(), default=0)
    near = [m for m in (*preds, *succs) if m in row]
    if near:
        row[n] = round(sum(row[m] for m in near) / len(near)) + 1
        order[n] = sum(order[m] for m in near) / len(near) + 0.5
    else:  # alone: below everything
        row[n] = max(row.values(), default=-5) + 5
        order[n] = max(order.values(), default=0.0) + 1


def _separate(graph: DiagramGraph, rank: dict[str, float]) -> bool:
    """Move the head of every edge inside one column into a new column just right of
    it; False when that does not settle (a cycle of new edges in one column)."""
    for _ in range(len(graph.edges) + 1):
        flat = [e for e in graph.edges if rank[e.src] == rank[e.dst]]
        if not flat:
            return True
        taken = set(rank.values())
        for e in flat:
            if rank[e.src] != rank[e.dst]:
                continue
            r = rank[e.dst]
            step = 0.5
            while r + step in taken:
                step /= 2
            rank[e.dst] = r + step
            taken.add(r + step)
    return False
