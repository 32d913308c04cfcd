"""From ranks and an order to cells: blocks, rows, columns and edge chains.

Every edge becomes a *chain* of items from its left column to its right one: the
left node, one lane row per column it crosses, the right node. Back edges (cycles)
are chains drawn right to left, with the arrowhead on their left end.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from .graph import DEdge, DiagramGraph
from .packing import Block, absolute_rows, pack
from .ranking import Ranking

TOP = 2
"""Rows above the diagram: the legend and a blank line."""


@dataclass(slots=True)
class Chain:
    """An edge through the columns; `items[i]` sits in column `first + i`."""

    edge: DEdge
    reverse: bool
    items: list[str]
    first: int
    lane: str | None  # id of the lane block carrying its middle, if any


@dataclass(slots=True)
class Placement:
    """Rows of every item; columns of every item; the chains."""

    row: dict[str, int]
    col: dict[str, int]
    chains: list[Chain]
    blocks: list[Block]
    columns: int


def _chains(graph: DiagramGraph, rank: dict[str, int]) -> list[Chain]:
    chains: list[Chain] = []
    for i, e in enumerate(graph.edges):
        a, b = rank[e.src], rank[e.dst]
        if a == b:  # cannot happen with either ranking; never draw through a box
            continue
        reverse = a > b
        left, right = (e.dst, e.src) if reverse else (e.src, e.dst)
        lo, hi = min(a, b), max(a, b)
        lane = f"\0lane{i}" if hi - lo > 1 else None
        items = [left] + ([lane] * (hi - lo - 1) if lane else []) + [right]
        chains.append(Chain(e, reverse, items, lo, lane))
    return chains


def _blocks(graph: DiagramGraph, rank: dict[str, int], chains: list[Chain]) -> list[Block]:
    blocks: list[Block] = []
    clusters: dict[str, Block] = {}
    cluster_of = {n.id: n.cluster for n in graph.nodes}
    for n in graph.nodes:
        node = Block(n.id, "node", rank[n.id], rank[n.id])
        if n.cluster is None:
            blocks.append(node)
            continue
        c = clusters.get(n.cluster)
        if c is None:
            c = Block(f"\0cluster:{n.cluster}", "cluster", node.first, node.last)
            clusters[n.cluster] = c
            blocks.append(c)
        c.first, c.last = min(c.first, node.first), max(c.last, node.last)
        c.children.append(node)
    for ch in chains:
        if ch.lane is None:
            continue
        # The lane reserves its row in the endpoints' columns too (see packing).
        lane = Block(ch.lane, "lane", ch.first, ch.first + len(ch.items) - 1)
        ca, cb = cluster_of[ch.items[0]], cluster_of[ch.items[-1]]
        if ca is not None and ca == cb:
            clusters[ca].children.append(lane)
        else:
            blocks.append(lane)
    return blocks


def _all_blocks(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        out.append(b)
        out.extend(_all_blocks(b.children))
    return out


def place(graph: DiagramGraph, ranking: Ranking, sweeps: int) -> Placement:
    """Pack every block, then run `sweeps` barycenter passes (each re-sorts blocks by
    the mean row of their neighbours and packs again), keeping the packing with the
    shortest total vertical edge length."""
    low = min(ranking.rank.values(), default=0)
    rank = {n: r - low for n, r in ranking.rank.items()}
    columns = max(rank.values(), default=0) + 1
    chains = _chains(graph, rank)
    blocks = _blocks(graph, rank, chains)
    flat = _all_blocks(blocks)
    by_id = {b.id: b for b in flat}
    order = ranking.order
    for b in flat:
        if b.kind == "node":
            b.key = order[b.id]
    for ch in chains:
        if ch.lane:
            by_id[ch.lane].key = (order[ch.items[0]] + order[ch.items[-1]]) / 2
    for b in flat:
        if b.kind == "cluster":
            b.key = sum(c.key for c in b.children) / len(b.children)
    if ranking.row is not None:
        _set_wants(blocks, chains, ranking.row, by_id)
        sweeps = 0
    neighbours: dict[str, list[str]] = {b.id: [] for b in flat}
    for ch in chains:
        ids = [ch.items[0], *([ch.lane] if ch.lane else []), ch.items[-1]]
        for x, y in pairwise(ids):
            neighbours[x].append(y)
            neighbours[y].append(x)

    def measure() -> tuple[int, dict[str, int]]:
        pack(blocks, columns, origin=TOP)
        rows = absolute_rows(blocks, TOP)
        cost = sum(abs(rows[a] - rows[b]) for a, nb in neighbours.items() for b in nb)
        return cost, rows

    if sweeps == 0:
        return Placement(measure()[1], dict(rank), chains, blocks, columns)
    best_cost, best_keys = measure()[0], {b.id: b.key for b in flat}
    for _ in range(sweeps):
        _, rows = measure()
        centre = {i: r + (2 if by_id[i].kind == "node" else 0) for i, r in rows.items()}
        for b in flat:
            members = [b] if b.kind != "cluster" else b.children
            near = [centre[n] for m in members for n in neighbours[m.id]]
            b.key = sum(near) / len(near) if near else centre[b.id]
        cost, _ = measure()
        if cost < best_cost:
            best_cost, best_keys = cost, {b.id: b.key for b in flat}
    for b in flat:
        b.key = best_keys[b.id]
    _, rows = measure()
    col = dict(rank)
    return Placement(rows, col, chains, blocks, columns)


def _set_wants(
    blocks: list[Block], chains: list[Chain], row: dict[str, int], by_id: dict[str, Block]
) -> None:
    """Rows wanted by each block, from dot's coordinates (clusters: above members)."""
    for n, r in row.items():
        by_id[n].want = r
    for ch in chains:
        if ch.lane:
            by_id[ch.lane].want = (row[ch.items[0]] + row[ch.items[-1]]) // 2 + 2
    for b in blocks:
        if b.kind == "cluster":
            b.want = min(c.want or 0 for c in b.children) - 1
