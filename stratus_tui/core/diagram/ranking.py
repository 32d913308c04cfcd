"""Ranks (columns, left to right) and a first vertical order for every node.

Two sources: Graphviz `dot` (better ordering, clusters kept together) and a built-in
longest-path layering used when `dot` is missing, fails or times out.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass

from .dot_process import cached_plain, remember_plain, run_dot
from .graph import DiagramGraph

CELLS_PER_INCH = 10.0
"""Horizontal scale used to tell dot how wide a box is."""
ROWS_PER_INCH = 2.5
"""Vertical scale used to tell dot how tall a box is."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """`rank[node]` is its column; `order[node]` sorts nodes top to bottom; `row`,
    when set, is the row each box would like its top on (from dot's coordinates)."""

    rank: dict[str, int]
    order: dict[str, float]
    row: dict[str, int] | None = None


def _successors(graph: DiagramGraph) -> dict[str, list[str]]:
    succ: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for e in graph.edges:
        succ[e.src].append(e.dst)
    return succ


def _acyclic_order(graph: DiagramGraph) -> tuple[list[str], dict[str, int]]:
    """Depth-first finishing order (reversed = topological once back edges flip)."""
    succ = _successors(graph)
    state: dict[str, int] = {}
    post: list[str] = []
    discovered: dict[str, int] = {}
    for root in (n.id for n in graph.nodes):
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        discovered[root] = len(discovered)
        while stack:
            node, i = stack[-1]
            if i < len(succ[node]):
                stack[-1] = (node, i + 1)
                nxt = succ[node][i]
                if nxt not in state:
                    state[nxt] = 1
                    discovered[nxt] = len(discovered)
                    stack.append((nxt, 0))
            else:
                stack.pop()
                state[node] = 2
                post.append(node)
    return post[::-1], discovered


def layered_ranking(graph: DiagramGraph) -> Ranking:
    """Longest-path layering after reversing depth-first back edges.

    Sources are then pulled right next to their first successor so that a lone
    consumer does not sit at the far left with a long edge.
    """
    topo, discovered = _acyclic_order(graph)
    pos = {n: i for i, n in enumerate(topo)}
    preds: dict[str, list[str]] = {n: [] for n in topo}
    succs: dict[str, list[str]] = {n: [] for n in topo}
    for e in graph.edges:
        a, b = (e.src, e.dst) if pos[e.src] < pos[e.dst] else (e.dst, e.src)
        preds[b].append(a)
        succs[a].append(b)
    rank: dict[str, int] = {}
    for n in topo:
        rank[n] = max((rank[p] + 1 for p in preds[n]), default=0)
    for n in reversed(topo):
        if not preds[n] and succs[n]:
            rank[n] = min(rank[s] for s in succs[n]) - 1
    return Ranking(rank, {n: float(i) for n, i in discovered.items()})


def dot_available() -> bool:
    """True when the Graphviz `dot` binary is on PATH."""
    return shutil.which("dot") is not None


def dot_source(graph: DiagramGraph) -> tuple[str, list[str]]:
    """DOT text for `graph` and the node ids by index.

    Nodes are named `n<index>` and carry no label (their size is fixed), so no user
    text ever reaches dot and nothing needs escaping.
    """
    ids = [n.id for n in graph.nodes]
    index = {nid: i for i, nid in enumerate(ids)}
    lines = [
        "digraph G {",
        "rankdir=LR; splines=false; nodesep=0.8; ranksep=0.6;",
        'node [shape=box, fixedsize=true, label=""];',
    ]
    by_cluster: dict[str, list[int]] = {}
    for n in graph.nodes:
        if n.cluster:
            by_cluster.setdefault(n.cluster, []).append(index[n.id])
    for ci, members in enumerate(by_cluster.values()):
        lines.append(f"subgraph cluster_{ci} {{ " + " ".join(f"n{i};" for i in members) + " }")
    for n in graph.nodes:
        w = graph.node_width(n) / CELLS_PER_INCH
        h = 4 / ROWS_PER_INCH
        lines.append(f"n{index[n.id]} [width={w:.2f}, height={h:.2f}];")
    for e in graph.edges:
        lines.append(f"n{index[e.src]} -> n{index[e.dst]};")
    lines.append("}")
    return "\n".join(lines) + "\n", ids


_WIDTHS = re.compile(r"width=[0-9.]+")


def parse_plain(text: str, ids: list[str]) -> dict[str, tuple[float, float]]:
    """Node centres (inches, y up) from `dot -Tplain` output."""
    centres: dict[str, tuple[float, float]] = {}
    for line in text.splitlines():
        if not line.lstrip().startswith("node"):
            continue  # most lines are edges: skip them without splitting
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "node" and parts[1].startswith("n"):
            i = int(parts[1][1:])
            centres[ids[i]] = (float(parts[2]), float(parts[3]))
    return centres


def dot_ranking(graph: DiagramGraph, timeout: float = 5.0) -> Ranking:
    """Ranks and order from `dot -Tplain`.

    Raises `OSError` when dot is missing, `subprocess.TimeoutExpired` when it is too
    slow, `ValueError` when its output is unusable; the caller falls back.

    Outputs are remembered by (dot binary, DOT text less the box widths): an edit
    that changes only labels or titles does not run dot again. Widths can be left
    out because with rankdir=LR a box's width only spaces the ranks apart: the
    ranks' order and every y coordinate (all the ranking uses) do not depend on it
    (tests/diagram/test_caches.py compares against fresh runs).
    """
    source, ids = dot_source(graph)
    exe = shutil.which("dot") or "dot"
    key = (exe, _WIDTHS.sub("width=*", source))
    plain = cached_plain(key)
    fresh = plain is None
    if plain is None:
        plain = run_dot(exe, source, timeout)
    ranking = _ranking_from_plain(graph, plain, ids)
    if fresh:  # only output that made a ranking is worth keeping
        remember_plain(key, plain)
    return ranking


def _ranking_from_plain(graph: DiagramGraph, plain: str, ids: list[str]) -> Ranking:
    try:
        centres = parse_plain(plain, ids)
    except (IndexError, ValueError) as exc:
        raise ValueError(f"unreadable dot output: {exc}") from exc
    if len(centres) != len(ids):
        raise ValueError("dot output lacks nodes")
    # In a left-to-right layout every node of a rank shares one x centre.
    xs = sorted({round(x, 1) for x, _ in centres.values()})
    col = {x: i for i, x in enumerate(xs)}
    rank = {nid: col[round(x, 1)] for nid, (x, _) in centres.items()}
    order = {nid: -y for nid, (_, y) in centres.items()}
    top = max((y for _, y in centres.values()), default=0.0)
    # Box tops in rows, counted down from the highest centre (dot's y grows up).
    rows = {nid: round((top - y) * ROWS_PER_INCH) for nid, (_, y) in centres.items()}
    return Ranking(_separate_flat_edges(graph, rank), order, rows)


def _separate_flat_edges(graph: DiagramGraph, rank: dict[str, int]) -> dict[str, int]:
    """dot sometimes puts an edge between two clusters inside one rank; push heads
    right (and whatever follows them) until every edge spans at least one rank."""
    if all(rank[e.src] != rank[e.dst] for e in graph.edges):
        return rank
    succ: dict[str, list[str]] = {n: [] for n in rank}
    indeg = dict.fromkeys(rank, 0)
    for e in graph.edges:
        a, b = (e.dst, e.src) if rank[e.src] > rank[e.dst] else (e.src, e.dst)
        succ[a].append(b)
        indeg[b] += 1
    queue = [n for n, d in indeg.items() if d == 0]
    fixed = dict(rank)
    seen = 0
    while queue:
        node = queue.pop()
        seen += 1
        for nxt in succ[node]:
            fixed[nxt] = max(fixed[nxt], fixed[node] + 1)
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                queue.append(nxt)
    if seen != len(rank):
        raise ValueError("dot put a cycle of edges inside one rank")
    return fixed
