"""What a parser should read back from each export, computed from the model.

Shared by the export tests: compare what the real Mermaid parser or Graphviz read with
what the design says, after decoding entity codes.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from stratus_tui.core.escape import clean_text, safe_ids
from stratus_tui.core.export import sequence as seq
from stratus_tui.core.export.mermaid import c4_rel_text, topology_ids
from stratus_tui.core.export.rows import component_labels
from stratus_tui.core.export.storm import lanes, timeline
from stratus_tui.core.export.topology import Edge, build_topology
from stratus_tui.core.flows import RequestFlow
from stratus_tui.core.model import Design
from stratus_tui.core.topology import topology_of
from tests.support.mermaid import label_text

SHAPES = {"service": "round", "datastore": "cylinder", "external": "hexagon"}
C4_TYPES = {"service": "container", "external": "external_system"}


def compare_flowchart(design: Design, parsed: dict[str, Any]) -> list[str]:
    """Differences between the parsed topology flowchart and the design (empty = equal)."""
    problems: list[str] = []
    if not parsed["ok"]:
        return [f"parse error: {parsed['error']}"]
    topo = build_topology(design)
    ids, gids = topology_ids(topo)
    vertices = {v["id"]: v for v in parsed["vertices"]}
    nodes = topo.all_nodes()
    if set(vertices) != {ids[n.id] for n in nodes}:
        problems.append(f"vertices {sorted(vertices)} != {sorted(ids[n.id] for n in nodes)}")
    for n in nodes:
        v = vertices.get(ids[n.id])
        if v is None:
            continue
        if label_text(v["text"]) != clean_text(n.label):
            problems.append(f"label {label_text(v['text'])!r} != {n.label!r}")
        if v["type"] != SHAPES.get(n.kind, v["type"]) or n.kind not in v["classes"]:
            problems.append(f"{n.id}: shape {v['type']} classes {v['classes']}")
    got_groups = {
        s["id"]: (label_text(s["title"]), sorted(s["nodes"])) for s in parsed["subgraphs"]
    }
    want_groups = {
        gids[g.key]: (clean_text(g.title), sorted(ids[n.id] for n in g.nodes)) for g in topo.groups
    }
    if got_groups != want_groups:
        problems.append(f"subgraphs {got_groups} != {want_groups}")
    got_edges = Counter(
        (e["start"], e["end"], label_text(e["text"]), e["stroke"], e["type"])
        for e in parsed["edges"]
    )
    want_edges = Counter(
        (
            ids[e.source],
            ids[e.target],
            clean_text(e.label or ""),
            "dotted" if e.mode == "async" else "normal",
            "arrow_point",
        )
        for e in topo.edges
    )
    # Own-store links: open lines (no arrowhead), styled apart by linkStyle.
    want_edges.update(
        (ids[s.service], ids[s.store], "", "normal", "arrow_open") for s in topo.stores
    )
    if got_edges != want_edges:
        problems.append(f"edges {got_edges} != {want_edges}")
    return problems


def compare_c4(design: Design, parsed: dict[str, Any]) -> list[str]:
    """Differences between the parsed C4Container diagram and the design."""
    if not parsed["ok"]:
        return [f"parse error: {parsed['error']}"]
    problems: list[str] = []
    topo = build_topology(design)
    ids, gids = topology_ids(topo)
    if label_text(parsed["title"]) != clean_text(design.name):
        problems.append(f"title {parsed['title']!r}")
    shapes = {s["alias"]: s for s in parsed["shapes"]}
    parent = {n.id: gids[g.key] for g in topo.groups for n in g.nodes}
    for n in topo.all_nodes():
        s = shapes.get(ids[n.id])
        if s is None:
            problems.append(f"missing shape {n.id}")
            continue
        if label_text(s["label"]) != clean_text(n.label):
            problems.append(f"label {s['label']!r} != {n.label!r}")
        want_type = C4_TYPES.get(n.kind)
        if want_type is None:
            ok_type = s["type"] in ("container_db", "container_queue")
        else:
            ok_type = s["type"] == want_type
        if not ok_type or s["parent"] != parent.get(n.id, "global"):
            problems.append(f"{n.id}: type {s['type']} parent {s['parent']}")
    bounds = {b["alias"]: label_text(b["label"]) for b in parsed["boundaries"]}
    if bounds != {gids[g.key]: clean_text(g.title) for g in topo.groups}:
        problems.append(f"boundaries {bounds}")
    got = Counter(
        (r["from"], r["to"], label_text(r["label"]), label_text(r["techn"] or ""))
        for r in parsed["rels"]
    )
    pairs: dict[tuple[str, str], list[Edge]] = {}
    for e in topo.edges:
        pairs.setdefault((e.source, e.target), []).append(e)
    owned = {(s.service, s.store) for s in topo.stores}
    for pair in owned:
        pairs.setdefault(pair, [])
    want = Counter(
        (ids[a], ids[b], *(clean_text(t) for t in c4_rel_text(edges, (a, b) in owned)))
        for (a, b), edges in pairs.items()
    )
    if got != want:
        problems.append(f"rels {got} != {want}")
    return problems


def compare_storm(design: Design, parsed: dict[str, Any]) -> list[str]:
    """Differences between the parsed event-storming flowchart and the board."""
    if not parsed["ok"]:
        return [f"parse error: {parsed['error']}"]
    problems: list[str] = []
    items = timeline(design)
    ids = safe_ids((i.id for i in items), "n_")
    vertices = {v["id"]: v for v in parsed["vertices"]}
    if set(vertices) != set(ids.values()):
        problems.append(f"vertices {sorted(vertices)}")
    for item in items:
        v = vertices.get(ids[item.id])
        if v is None:
            continue
        if label_text(v["text"]) != clean_text(item.text):
            problems.append(f"text {label_text(v['text'])!r} != {item.text!r}")
        want_classes = [item.kind, "pivotal"] if item.pivotal else [item.kind]
        if v["classes"] != want_classes:
            problems.append(f"{item.id}: classes {v['classes']} != {want_classes}")
    chain = [(e["start"], e["end"]) for e in parsed["edges"] if e["stroke"] == "invisible"]
    if chain != [(ids[a.id], ids[b.id]) for a, b in itertools.pairwise(items)]:
        problems.append(f"timeline chain {chain}")
    board_lanes, _ = lanes(design)
    gids = safe_ids((lane.key for lane in board_lanes), "c_")
    got = {s["id"]: (label_text(s["title"]), s["nodes"]) for s in parsed["subgraphs"]}
    want = {
        gids[lane.key]: (clean_text(lane.title), [ids[i.id] for i in lane.items])
        for lane in board_lanes
    }
    if got != want:
        problems.append(f"subgraphs {got} != {want}")
    return problems


# Stand-ins for core.patterns.Verdict and core.lint.Finding: the renderer only reads
# these attributes, and fixed values keep golden files independent of rule wording.


@dataclass(frozen=True)
class Reason:
    text: str
    kind: str = "use"


@dataclass(frozen=True)
class StandInVerdict:
    pattern: str
    name: str
    verdict: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class StandInFinding:
    rule: str
    severity: str
    component: str | None
    message: str
    hint: str
    accepted: bool = False


# Mermaid's LINETYPE numbers for what the sequence exporter writes.
SEQ_SOLID, SEQ_DOTTED, SEQ_NOTE, SEQ_ASYNC = 0, 1, 2, 24
SEQ_OPT_START, SEQ_PAR_START = 15, 19


def compare_sequence(design: Design, flow: RequestFlow, parsed: dict[str, Any]) -> list[str]:
    """Differences between a parsed flow sequence diagram and the flow (empty = equal).

    Every name reads back exactly (title, participants, messages, compensations); every
    declared step is drawn with the right arrow; a request flow starts at the client.
    """
    if not parsed["ok"]:
        return [f"parse error: {parsed['error']}"]
    if parsed["type"] != "sequence":
        return [f"type {parsed['type']}"]
    problems: list[str] = []
    topo = topology_of(design)
    ids = safe_ids(seq._components(topo, flow), "n_")
    labels = component_labels(design)
    if label_text(parsed["title"]) != clean_text(seq.flow_title(flow)):
        problems.append(f"title {parsed['title']!r}")
    actors = {a["id"]: (label_text(a["text"]), a["type"]) for a in parsed["actors"]}
    by_id = {v: k for k, v in ids.items()}
    for aid, (text, kind) in actors.items():
        if aid == seq.CLIENT:
            if flow.trigger != "request" or (text, kind) != ("Client", "actor"):
                problems.append(f"client actor {text!r} {kind}")
            continue
        comp = by_id.get(aid)
        if comp is None or text != clean_text(labels.get(comp, comp)) or kind != "participant":
            problems.append(f"participant {aid} {text!r} {kind}")
    messages = parsed["messages"]
    signals = [(m["from"], m["to"], label_text(m["text"] or ""), m["type"]) for m in messages]
    if flow.trigger == "request" and (
        not signals or signals[0][:2] != (seq.CLIENT, ids[flow.entry])
    ):
        problems.append(f"first message {signals[:1]}")
    if flow.trigger == "request" and (
        not signals or label_text(messages[0]["text"]) != clean_text(flow.name)
    ):
        problems.append(f"request text {messages[:1]}")
    drawn = {(f, t, x, k) for f, t, x, k in signals}
    for hop in flow.hops:
        c = hop.call
        want = (
            ids[c.source],
            ids[c.target],
            clean_text(seq._call_text(c)),
            SEQ_SOLID if c.sync else SEQ_ASYNC,
        )
        if want not in drawn:
            problems.append(f"step {c.source}->{c.target} not drawn as {want}")
        if c.sync and (ids[c.target], ids[c.source], "", SEQ_DOTTED) not in drawn:
            problems.append(f"no reply {c.target}->{c.source}")
    if flow.saga:
        for hop in flow.hops:
            if hop.compensate and hop.compensate.strip():
                c = hop.call
                want = (ids[c.source], ids[c.target], clean_text(hop.compensate), SEQ_SOLID)
                if want not in drawn:
                    problems.append(f"compensation {hop.compensate!r} not drawn")
    parallel = sum(1 for stage in flow.stages if len(stage) > 1)
    if sum(1 for s in signals if s[3] == SEQ_PAR_START) < parallel:
        problems.append("a parallel group is not a par block")
    return problems
