"""Shared checks for diagram tests: designs from compact specs and geometry facts."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from stratus_tui.core.diagram import Layout, Rendered
from stratus_tui.core.diagram.shapes import Box, Route
from stratus_tui.core.diagram.text import cell_width, sanitise
from stratus_tui.core.model import Design

DASHED = set("┄┆╭╮╰╯")
SOLID = set("─│┌┐└┘")


def make(
    services: Sequence[tuple[str, str | None]],
    deps: Sequence[tuple[str, str, str]],
    stores: Sequence[str] = (),
    externals: Sequence[str] = (),
    **extra: Any,
) -> Design:
    """A design: services as (id, context), deps as (from, to, mode)."""
    return Design.model_validate(
        {
            "name": "t",
            "services": [{"id": s, **({"context": c} if c else {})} for s, c in services],
            "datastores": [{"id": d, "kind": "postgresql"} for d in stores],
            "externals": [{"id": e} for e in externals],
            "dependencies": [{"from": a, "to": b, "mode": m} for a, b, m in deps],
            **extra,
        }
    )


def route_cells(route: Route) -> list[tuple[int, int]]:
    """Every cell of a route's polyline, in order."""
    cells: list[tuple[int, int]] = [route.points[0]]
    for (x0, y0), (x1, y1) in pairwise(route.points):
        dx = (x1 > x0) - (x1 < x0)
        dy = (y1 > y0) - (y1 < y0)
        x, y = x0, y0
        while (x, y) != (x1, y1):
            x, y = x + dx, y + dy
            cells.append((x, y))
    return cells


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def check_layout(layout: Layout) -> None:
    """The invariants every layout must keep, whatever the engine."""
    boxes = {b.id: b for b in layout.boxes}
    items = list(layout.boxes)
    for i, a in enumerate(items):
        assert a.x >= 0 and a.y >= 0 and a.x + a.w <= layout.width and a.y + a.h <= layout.height
        for b in items[i + 1 :]:
            assert not overlaps(a, b), (a, b)
    for r in layout.routes:
        cells = route_cells(r)
        for c in cells:
            assert 0 <= c[0] < layout.width and 0 <= c[1] < layout.height
            hit = [b.id for b in layout.boxes if b.contains(*c)]
            assert not hit, f"edge {r.src}->{r.dst} drawn through {hit} at {c}"
        src, dst = boxes[r.src], boxes[r.dst]
        left, right = (dst, src) if r.arrow_dir == "left" else (src, dst)
        (x0, y0), (x1, y1) = cells[0], cells[-1]
        if left.h == 1:  # a one-row box: lines leave and enter on its only row
            assert x0 == left.x + left.w and y0 == left.y, r
            assert x1 == right.x - 1 and y1 == right.y, r
        elif left.h == 2:  # a short box: lines leave its top row, enter its bottom row
            assert x0 == left.x + left.w and y0 == left.y, r
            assert x1 == right.x - 1 and y1 == right.y + 1, r
        else:
            assert x0 == left.x + left.w and left.y < y0 < left.y + left.h - 1, r
            assert x1 == right.x - 1 and right.y < y1 < right.y + right.h - 1, r
        assert r.arrow == (cells[-1] if r.arrow_dir == "right" else cells[0])
    check_no_shared_runs(layout)


def check_frames(layout: Layout, design: Design) -> None:
    """Every context frame encloses its services' boxes and no box of another context."""
    frames = {f.id: f for f in layout.frames}
    boxes = {b.id: b for b in layout.boxes}
    ctx = {s.id: sanitise(s.context or "") for s in design.services}
    for s in design.services:
        if not ctx[s.id]:
            continue
        f, b = frames[ctx[s.id]], boxes[s.id]
        assert f.x < b.x and b.x + b.w < f.x + f.w and f.y < b.y and b.y + b.h < f.y + f.h
    for f in layout.frames:
        for b in layout.boxes:
            inside = f.x < b.x + b.w and b.x < f.x + f.w and f.y < b.y + b.h and b.y < f.y + f.h
            if b.kind == "service" and ctx.get(b.id) != f.id:
                assert not inside, (f.id, b.id)


def check_grid(picture: Rendered) -> None:
    """Every line is exactly the picture's width in cells."""
    assert len(picture.lines) == picture.height
    for line in picture.lines:
        assert cell_width(line) == picture.width, line


def _ends(r: Route) -> tuple[str, str]:
    return (r.dst, r.src) if r.arrow_dir == "left" else (r.src, r.dst)


def check_no_shared_runs(layout: Layout) -> None:
    """Two edges share a run of line only when they leave the same port (a fan-out)
    or enter the same port (a fan-in); anywhere else they may only cross."""
    seen: dict[tuple[int, int, str], list[Route]] = {}
    for r in layout.routes:
        for (x0, y0), (x1, y1) in pairwise(r.points):
            if y0 == y1:
                cells = [(x, y0, "h") for x in range(min(x0, x1), max(x0, x1))]
            else:
                cells = [(x0, y, "v") for y in range(min(y0, y1), max(y0, y1))]
            for c in cells:
                seen.setdefault(c, []).append(r)
    for c, routes in seen.items():
        for a in routes:
            for b in routes:
                if a is b:
                    continue
                (la, ra), (lb, rb) = _ends(a), _ends(b)
                assert la == lb or ra == rb, f"{a.src}->{a.dst} and {b.src}->{b.dst} share {c}"
