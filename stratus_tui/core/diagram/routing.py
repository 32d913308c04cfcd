"""Columns, ports and orthogonal edge routes: the last step to a `Layout`.

Edges leave a box from its title row on the right and enter it on its subtitle
row on the left. Between two columns every edge that changes row gets a vertical
*track*; edges into the same port share one (a fan-in), the rest never overlap.
Horizontal runs only cross gaps or follow an edge's own lane row, so no edge is
ever drawn through a box.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .geometry import Chain, Placement
from .graph import DiagramGraph
from .shapes import Box, Frame, Layout, Point, Route
from .text import cell_width


@dataclass(slots=True)
class _Seg:
    chain: int
    gap: int
    y_left: int
    y_right: int
    right_key: str  # segments into the same port share a track
    left_key: str
    track: int = -1
    label: int = 0


def _port(
    placement: Placement, item: str, side: Literal["out", "in"], first: int, below: int
) -> int:
    # `first` is the out-port's offset: the title row (1) of a tall box, the top
    # border (0) of a short one; the in-port is `below` rows under it (0: one-row box).
    row = placement.row[item]
    if item.startswith("\0"):
        return row
    return row + first if side == "out" else row + first + below


def _segments(placement: Placement, first: int, below: int = 1) -> list[_Seg]:
    segs: list[_Seg] = []
    for ci, ch in enumerate(placement.chains):
        last = len(ch.items) - 2
        for i in range(len(ch.items) - 1):
            left, right = ch.items[i], ch.items[i + 1]
            yr = _port(placement, right, "in", first, below)
            key = right if not right.startswith("\0") else f"{right}#{ci}"
            yl = _port(placement, left, "out", first, below)
            seg = _Seg(ci, ch.first + i, yl, yr, key, f"{left}#{ci}")
            if not left.startswith("\0"):
                seg.left_key = left
            # The label goes next to the arrowhead: last gap, or first when reversed.
            if ch.edge.label and i == (0 if ch.reverse else last):
                seg.label = cell_width(ch.edge.label)
            segs.append(seg)
    return segs


def _assign_tracks(segs: list[_Seg]) -> int:
    """First-fit interval colouring per net; returns the number of tracks.

    Where a segment leaves a column on the very row another enters the next one (only
    with one-row boxes: their ports share a row), the leaving one's track must lie
    left of the entering one's, or their runs along that row would overlap: nets are
    put in tiers (each after every tier it must stay left of) and each tier gets
    tracks of its own, right of the tiers before it.
    """
    nets: dict[str, list[_Seg]] = {}
    for s in segs:
        if s.y_left != s.y_right:
            nets.setdefault(s.right_key, []).append(s)
    tier = _tiers(nets)
    spans = sorted(
        (
            tier[key],
            min(min(s.y_left, s.y_right) for s in group),
            max(max(s.y_left, s.y_right) for s in group),
            key,
        )
        for key, group in nets.items()
    )
    total = 0
    for level in sorted(set(tier.values())):
        ends: list[int] = []
        for _, lo, hi, key in (x for x in spans if x[0] == level):
            for t, end in enumerate(ends):
                if end < lo:
                    ends[t] = hi
                    break
            else:
                t = len(ends)
                ends.append(hi)
            for s in nets[key]:
                s.track = total + t
        total += len(ends)
    return total


def _tiers(nets: dict[str, list[_Seg]]) -> dict[str, int]:
    """Tier of each net: after every net that leaves a column on a row where it
    enters the next one (longest path); raises PortConflict on a cycle."""
    leaving: dict[int, set[str]] = {}
    for key, group in nets.items():
        for s in group:
            leaving.setdefault(s.y_left, set()).add(key)
    after: dict[str, set[str]] = {key: set() for key in nets}
    for key, group in nets.items():
        for s in group:
            after[key] |= leaving.get(s.y_right, set()) - {key}
    tier: dict[str, int] = {}

    def depth(key: str, path: set[str]) -> int:
        if key in tier:
            return tier[key]
        if any(k in path for k in after[key]):
            # Two edges swapping rows in one gap, each leaving where the other enters:
            # no order of tracks keeps their runs apart.
            raise PortConflict(key)
        path.add(key)
        tier[key] = 1 + max((depth(k, path) for k in after[key]), default=-1)
        path.discard(key)
        return tier[key]

    for key in nets:
        depth(key, set())
    return tier


class PortConflict(Exception):
    """One-row boxes whose edges cannot be routed apart (see `_tiers`): the caller
    draws the design at a level with separate in- and out-ports instead."""


def route(graph: DiagramGraph, placement: Placement, engine: Literal["dot", "layered"]) -> Layout:
    """Turn a placement into boxes, frames and routed edges."""
    ncols = placement.columns
    detail = graph.detail
    box_height = detail.box_height
    widths = [2] * ncols
    for n in graph.nodes:
        c = placement.col[n.id]
        widths[c] = max(widths[c], graph.node_width(n))
    segs = _segments(placement, 1 if box_height > 2 else 0, 1 if box_height > 1 else 0)
    # Short boxes: the first track runs right beside a frame's border.
    lead = 3 if box_height > 2 else 2
    by_gap: dict[int, list[_Seg]] = {}
    for s in segs:
        by_gap.setdefault(s.gap, []).append(s)
    spacing: dict[int, int] = {}
    offset: dict[int, int] = {}
    left = [0] * ncols
    right = [0] * ncols
    x = 2
    for c in range(ncols):
        left[c], right[c] = x, x + widths[c]
        gap = by_gap.get(c, [])
        tracks = _assign_tracks(gap)
        spacing[c] = 2 if tracks <= 8 and box_height > 2 else 1
        # A labelled edge that joins others into one port cannot put its label
        # after the join: leave room before the tracks instead.
        sharing = Counter(s.right_key for s in gap if s.track >= 0)
        leaving = Counter(s.left_key for s in gap)
        joined = max(
            (
                s.label
                for s in gap
                if s.label and sharing[s.right_key] > 1 and leaving[s.left_key] == 1
            ),
            default=0,
        )
        offset[c] = joined + 2 if joined else 0
        need = detail.min_gap
        if tracks:
            # Tracks start `lead` cells right of a column and end 3 left of the next:
            # past the frame borders both sides.
            room = lead + (4 if box_height > 2 else 3)
            need = max(need, room + offset[c] + (tracks - 1) * spacing[c])
        label = max((s.label for s in gap), default=0)
        if label:
            need = max(need, 3 + offset[c] + max(tracks - 1, 0) * spacing[c] + 4 + label)
        x = right[c] + need
    width = right[-1] + (3 if box_height > 2 else 2) if ncols else 4

    def track_x(s: _Seg) -> int:
        return right[s.gap] + lead + offset[s.gap] + s.track * spacing[s.gap]

    per_chain: dict[int, list[_Seg]] = {}
    for s in segs:
        per_chain.setdefault(s.chain, []).append(s)
    routes = tuple(
        _route_chain(ch, sorted(per_chain[ci], key=lambda s: s.gap), left, right, track_x)
        for ci, ch in enumerate(placement.chains)
    )
    boxes = tuple(
        Box(
            n.id,
            n.kind,
            left[placement.col[n.id]],
            placement.row[n.id],
            widths[placement.col[n.id]],
            box_height,
            n.title,
            n.subtitle,
        )
        for n in graph.nodes
    )
    labels = {c.id: c.label for c in graph.clusters}
    frames = tuple(
        Frame(
            cid,
            labels.get(cid, cid),
            left[b.first] - 2,
            placement.row[b.id],
            right[b.last] - left[b.first] + 4,
            b.height,
        )
        for b in placement.blocks
        if b.kind == "cluster"
        for cid in (b.id.removeprefix("\0cluster:"),)
    )
    bottom = max(
        [
            placement.top,
            *(b.y + b.h for b in boxes),
            *(f.y + f.h for f in frames),
            *(y for r in routes for _, y in r.points),
        ]
    )
    return Layout(
        width, bottom + 1, boxes, frames, routes, engine, (), placement.top > 0, detail.name
    )


def _route_chain(
    ch: Chain,
    mine: list[_Seg],
    left: list[int],
    right: list[int],
    track_x: Callable[[_Seg], int],
) -> Route:
    pts: list[Point] = []
    for s in mine:
        pts.append((right[s.gap], s.y_left))
        if s.y_left != s.y_right:
            tx = track_x(s)
            pts.extend([(tx, s.y_left), (tx, s.y_right)])
        pts.append((left[s.gap + 1] - 1, s.y_right))
    pts = _simplify(pts)
    direction: Literal["left", "right"] = "left" if ch.reverse else "right"
    arrow = pts[0] if ch.reverse else pts[-1]
    e = ch.edge
    return Route(e.src, e.dst, e.mode, e.label, tuple(pts), arrow, direction)


def _simplify(pts: list[Point]) -> list[Point]:
    """Drop repeated points and the middle of straight runs."""
    out: list[Point] = []
    for p in pts:
        if out and out[-1] == p:
            continue
        if len(out) >= 2:
            (x0, y0), (x1, y1) = out[-2], out[-1]
            if (x0 == x1 == p[0]) or (y0 == y1 == p[1]):
                out[-1] = p
                continue
        out.append(p)
    return out
