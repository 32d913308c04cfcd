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
    top: int = 2
    """Rows above the diagram (the legend), 0 when there is no legend."""


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
    detail = graph.detail
    top = TOP if detail.legend else 0
    # Columns left empty (a node moved or deleted) are closed up.
    used = sorted(set(ranking.rank.values()))
    dense = {r: i for i, r in enumerate(used)}
    rank = {n: dense[r] for n, r in ranking.rank.items()}
    columns = len(used) or 1
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
    if ranking.row is not None and not detail.block_gap:
        sweeps = 0  # the tightest level stacks boxes in order: no wanted rows
    elif ranking.row is not None:
        scale = detail.row_scale
        rows = ranking.row
        if scale != 1:
            rows = {n: round(r * scale) for n, r in rows.items()}
        _set_wants(blocks, chains, rows, by_id, detail.box_height // 2)
        sweeps = 0
    neighbours: dict[str, list[str]] = {b.id: [] for b in flat}
    for ch in chains:
        ids = [ch.items[0], *([ch.lane] if ch.lane else []), ch.items[-1]]
        for x, y in pairwise(ids):
            neighbours[x].append(y)
            neighbours[y].append(x)

    def measure() -> tuple[int, dict[str, int]]:
        # Without a legend a frame may start on row 0: boxes then go on odd rows.
        # One-row boxes have no parity (-1).
        origin = (top if detail.legend else 1) if detail.box_height > 1 else -1
        pack(blocks, columns, origin, 0, detail.box_height, detail.block_gap)
        rows = absolute_rows(blocks, top)
        cost = sum(abs(rows[a] - rows[b]) for a, nb in neighbours.items() for b in nb)
        return cost, rows

    if sweeps == 0:
        return Placement(measure()[1], dict(rank), chains, blocks, columns, top)
    best_cost, best_keys = measure()[0], {b.id: b.key for b in flat}
    for _ in range(sweeps):
        _, rows = measure()
        mid = detail.box_height // 2
        centre = {i: r + (mid if by_id[i].kind == "node" else 0) for i, r in rows.items()}
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
    return Placement(rows, col, chains, blocks, columns, top)


def _set_wants(
    blocks: list[Block],
    chains: list[Chain],
    row: dict[str, int],
    by_id: dict[str, Block],
    mid: int,
) -> None:
    """Rows wanted by each block, from dot's coordinates (clusters: above members)."""
    for n, r in row.items():
        by_id[n].want = r
    for ch in chains:
        if ch.lane:
            by_id[ch.lane].want = (row[ch.items[0]] + row[ch.items[-1]]) // 2 + mid
    for b in blocks:
        if b.kind == "cluster":
            b.want = min(c.want or 0 for c in b.children) - 1
