"""Mermaid of the event-storming board: stickies in timeline order, contexts as subgraphs.

Colours follow the DDD Crew legend (shared reference FACTS.md): events orange, commands
blue, actors small yellow, aggregates big yellow, policies lilac, read models green,
external systems wide pink, hotspots neon pink. Invisible links (`~~~`) chain the
stickies in timeline order so the layout reads left to right. `storm_svg` draws the same
board as a picture through Graphviz (`dot`), for a wiki page that shows no Mermaid.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from ..escape import dot_text, mermaid_string, safe_ids
from ..model import Design, StormItem
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


def dots(design: Design) -> dict[str, int]:
    """Dot votes per sticky id (live workshops' dot-voting)."""
    out: dict[str, int] = {}
    for vote in design.event_storming.votes:
        out[vote.item] = out.get(vote.item, 0) + vote.dots
    return out


def _line(item: StormItem, ids: dict[str, str], votes: dict[str, int] | None = None) -> str:
    left, right = _SHAPES[item.kind]
    n = (votes or {}).get(item.id, 0)
    text = f"{item.text} ({n} dot{'s' if n != 1 else ''})" if n else item.text
    return f"{ids[item.id]}{left}{mermaid_string(text)}{right}:::{item.kind}"


def to_storm_mermaid(design: Design, *, header: bool = True) -> str:
    """The event-storming board as a Mermaid flowchart (LR)."""
    items = timeline(design)
    ids = safe_ids((i.id for i in items), "n_")
    board_lanes, loose = lanes(design)
    votes = dots(design)
    gids = safe_ids((lane.key for lane in board_lanes), "c_")
    lines = ["flowchart LR"]
    if header:
        lines.append(f"  {HEADER}")
    for lane in board_lanes:
        lines.append(f"  subgraph {gids[lane.key]} [{mermaid_string(lane.title)}]")
        lines.extend(f"    {_line(i, ids, votes)}" for i in lane.items)
        lines.append("  end")
    lines.extend(f"  {_line(i, ids, votes)}" for i in loose)
    lines.extend(f"  {ids[a.id]} ~~~ {ids[b.id]}" for a, b in itertools.pairwise(items))
    kinds = {i.kind for i in items}
    lines.extend(f"  classDef {k} {STICKY_COLOURS[k]}" for k in STICKY_COLOURS if k in kinds)
    pivotal = [ids[i.id] for i in items if i.pivotal]
    if pivotal:
        lines.append(f"  classDef pivotal {PIVOTAL_STYLE}")
        lines.append(f"  class {','.join(pivotal)} pivotal")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- SVG

_DOT_SHAPES: dict[str, str] = {
    "event": "box",
    "command": "box",
    "actor": "box",
    "aggregate": "box",
    "policy": "box",
    "read_model": "box",
    "external": "box",
    "hotspot": "diamond",
}
KIND_TITLES: dict[str, str] = {
    "event": "Domain event",
    "command": "Command",
    "actor": "Actor",
    "aggregate": "Aggregate",
    "policy": "Policy",
    "read_model": "Read model",
    "external": "External system",
    "hotspot": "Hotspot",
}


def _colours(kind: str) -> dict[str, str]:
    styles = dict(part.split(":", 1) for part in STICKY_COLOURS[kind].split(","))
    return {"fillcolor": styles["fill"], "color": styles["stroke"], "fontcolor": styles["color"]}


STICKY_WIDTH = 22
"""Characters per line on a sticky in the SVG (Graphviz does not wrap by itself)."""


def _wrapped(text: str) -> str:
    """Each line of a sticky wrapped at word boundaries, like a hand-written note."""
    import textwrap

    return "\n".join(
        textwrap.fill(line, STICKY_WIDTH, break_long_words=False, break_on_hyphens=False) or line
        for line in text.split("\n")
    )


def _dot_sticky(graph: Any, item: StormItem) -> None:
    style = "filled,rounded" if item.kind == "actor" else "filled"
    graph.node(
        dot_text(item.id),
        label=dot_text(_wrapped(item.text)),
        shape=_DOT_SHAPES[item.kind],
        style=style,
        penwidth="4" if item.pivotal else "1",
        tooltip=dot_text(KIND_TITLES[item.kind] + (" (pivotal)" if item.pivotal else "")),
        **_colours(item.kind),
    )


def storm_digraph(design: Design) -> Any:
    """The board as a `graphviz.Digraph`: contexts as clusters, stickies in timeline
    order left to right (invisible edges), the legend's colours; pivotal events bold."""
    import graphviz

    items = timeline(design)
    board_lanes, loose = lanes(design)
    gids = safe_ids((lane.key for lane in board_lanes), "cluster_")
    graph = graphviz.Digraph(
        "storm",
        graph_attr={
            "rankdir": "LR",
            "fontname": "Helvetica",
            "label": dot_text(f"{design.name}: event storming"),
            "labelloc": "t",
            "newrank": "true",
        },
        node_attr={"fontname": "Helvetica", "width": "1.4", "height": "0.9", "margin": "0.15"},
    )
    for lane in board_lanes:
        with graph.subgraph(name=gids[lane.key]) as sub:
            sub.attr(label=dot_text(lane.title), style="rounded", color="#94a3b8")
            for item in lane.items:
                _dot_sticky(sub, item)
    for item in loose:
        _dot_sticky(graph, item)
    for a, b in itertools.pairwise(items):
        graph.edge(dot_text(a.id), dot_text(b.id), style="invis")
    return graph


def storm_svg(design: Design) -> str:
    """The board as SVG, rendered by Graphviz (same bytes for the same board)."""
    from .dot import render_svg

    source: str = storm_digraph(design).source
    return render_svg(source)
