"""Mermaid of the event-storming board: stickies in timeline order, contexts as subgraphs.

Colours follow the DDD Crew legend (shared reference FACTS.md): events orange, commands
blue, actors small yellow, aggregates big yellow, policies lilac, read models green,
external systems wide pink, hotspots neon pink. Invisible links (`~~~`) chain the
stickies in timeline order so the layout reads left to right.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..model import Design, StormItem
from .escape import mermaid_string, safe_ids
from .mermaid import HEADER

# Shape per sticky kind: actors stadiums, external systems wide (subroutine) boxes,
# hotspots diamonds (the legend's rotated sticky), the rest plain stickies.
_SHAPES: dict[str, tuple[str, str]] = {
    "event": ("[", "]"),
    "command": ("[", "]"),
    "actor": ("([", "])"),
    "aggregate": ("[", "]"),
    "policy": ("[", "]"),
    "read_model": ("[", "]"),
    "external": ("[[", "]]"),
    "hotspot": ("{", "}"),
}

STICKY_COLOURS: dict[str, str] = {
    "event": "fill:#ffa94d,stroke:#d9480f,color:#1f1300",
    "command": "fill:#74c0fc,stroke:#1864ab,color:#001a33",
    "actor": "fill:#fff3bf,stroke:#e6b800,color:#1f1a00",
    "aggregate": "fill:#ffd43b,stroke:#e67700,color:#1f1a00",
    "policy": "fill:#d0bfff,stroke:#6741d9,color:#1a0033",
    "read_model": "fill:#8ce99a,stroke:#2b8a3e,color:#002b0a",
    "external": "fill:#faa2c1,stroke:#c2255c,color:#33000f",
    "hotspot": "fill:#ff2e93,stroke:#a61e4d,color:#ffffff",
}
PIVOTAL_STYLE = "stroke-width:4px"


@dataclass(frozen=True)
class Lane:
    """A context on the board and its stickies in timeline order."""

    key: str
    title: str
    items: tuple[StormItem, ...]


def timeline(design: Design) -> list[StormItem]:
    """The board's stickies by position on the timeline (ties keep board order)."""
    return sorted(design.event_storming.items, key=lambda i: i.order)


def lanes(design: Design) -> tuple[list[Lane], list[StormItem]]:
    """Contexts in order of their first sticky on the timeline, and context-less stickies."""
    titles = {c.id: (c.name or c.id) for c in design.event_storming.contexts}
    grouped: dict[str, list[StormItem]] = {}
    loose: list[StormItem] = []
    for item in timeline(design):
        if item.context is None:
            loose.append(item)
        else:
            grouped.setdefault(item.context, []).append(item)
    result = [Lane(k, titles.get(k, k), tuple(v)) for k, v in grouped.items()]
    return result, loose


def _line(item: StormItem, ids: dict[str, str]) -> str:
    left, right = _SHAPES[item.kind]
    return f"{ids[item.id]}{left}{mermaid_string(item.text)}{right}:::{item.kind}"


def to_storm_mermaid(design: Design, *, header: bool = True) -> str:
    """The event-storming board as a Mermaid flowchart (LR)."""
    items = timeline(design)
    ids = safe_ids((i.id for i in items), "n_")
    board_lanes, loose = lanes(design)
    gids = safe_ids((lane.key for lane in board_lanes), "c_")
    lines = ["flowchart LR"]
    if header:
        lines.append(f"  {HEADER}")
    for lane in board_lanes:
        lines.append(f"  subgraph {gids[lane.key]} [{mermaid_string(lane.title)}]")
        lines.extend(f"    {_line(i, ids)}" for i in lane.items)
        lines.append("  end")
    lines.extend(f"  {_line(i, ids)}" for i in loose)
    lines.extend(f"  {ids[a.id]} ~~~ {ids[b.id]}" for a, b in itertools.pairwise(items))
    kinds = {i.kind for i in items}
    lines.extend(f"  classDef {k} {STICKY_COLOURS[k]}" for k in STICKY_COLOURS if k in kinds)
    pivotal = [ids[i.id] for i in items if i.pivotal]
    if pivotal:
        lines.append(f"  classDef pivotal {PIVOTAL_STYLE}")
        lines.append(f"  class {','.join(pivotal)} pivotal")
    return "\n".join(lines) + "\n"
