"""Mermaid flowcharts: hand-written diagrams, checked against the real Mermaid parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stratus_tui.core.importers import import_source
from stratus_tui.core.model import Datastore, Design, External, Service
from stratus_tui.core.problems import DesignError
from tests.support.mermaid import parse_mermaid

from .helpers import by_id, deps, fixture, import_and_reload

BOGUS = "    this line is not mermaid at all\n"


def test_handwritten_flowchart(tmp_path: Path) -> None:
    result, design = import_and_reload(fixture("handwritten.mmd"), tmp_path)
    assert result.kind == "mermaid"
    assert design.name == "Ride sharing platform"  # front-matter title
    comps = by_id(design)
    assert isinstance(comps["tripdb"], Datastore) and comps["tripdb"].kind == "postgresql"
    assert isinstance(comps["bus"], Datastore) and comps["bus"].kind == "kafka"
    assert isinstance(comps["geo"], Datastore)  # @{ shape: cyl }
    assert isinstance(comps["psp"], External)  # :::external
    assert isinstance(comps["sms"], External)  # class ext via :::ext
    assert isinstance(comps["gw"], Service) and comps["gw"].name == "API Gateway"
    svc = {s.id: s for s in design.services}
    assert svc["trip"].context == "Trips context"  # subgraph id [title]
    assert svc["pay"].context == "Payments"  # subgraph with a bare name
    assert svc["mobile"].context is None


def test_handwritten_edges(tmp_path: Path) -> None:
    result, design = import_and_reload(fixture("handwritten.mmd"), tmp_path)
    edges = deps(design)
    assert ("trip", "bus", "async") in edges  # -.->|label|
    assert ("gw", "trip", "sync") in edges and ("gw", "pay", "sync") in edges  # &
    assert ("matcher", "notify", "async") in edges  # chain, dotted
    assert ("notify", "sms", "sync") in edges  # ==>
    assert ("pay", "paydb", "sync") in edges  # --- open link
    assert ("matcher", "bus", "async") in edges  # drawn bus -.-> matcher: consumer
    labels = {(d.from_, d.to): d.label for d in design.dependencies}
    assert labels[("trip", "pricing")] == 'price a trip ("surge")'  # entity codes decoded
    assert labels[("pay", "psp")] == "charge card"  # -- text -->
    assert labels[("trip", "bus")] == "trip.requested"
    notes = "\n".join(result.skipped)
    assert f"{fixture('handwritten.mmd')}:29: not understood: 'this line is not mermaid" in notes
    assert ":23: link bus -> matcher starts at a datastore" in notes


def _agree_with_mermaid(design: Design, parsed: dict[str, Any]) -> None:
    assert parsed["ok"], parsed
    comps = by_id(design)
    subgraph_ids = {s["id"] for s in parsed["subgraphs"]}
    vertices = [v for v in parsed["vertices"] if v["id"] not in subgraph_ids]
    assert {v["id"] for v in vertices} == set(comps)
    for v in vertices:
        comp = comps[v["id"]]
        assert (comp.name or comp.id) == (v["text"] or v["id"])
        if v["type"] in ("cylinder", "cyl"):
            assert isinstance(comp, Datastore)
    edges = deps(design)
    for e in parsed["edges"]:
        if e["stroke"] == "invisible":
            continue
        mode = "async" if e["stroke"] == "dotted" else "sync"
        a, b = e["start"], e["end"]
        if not isinstance(comps[a], Service):
            a, b = b, a
        assert (a, b, mode) in edges
        if e["type"].startswith("double"):
            assert (b, a, mode) in edges
    for sub in parsed["subgraphs"]:
        for nid in sub["nodes"]:
            member = comps.get(nid)
            if isinstance(member, Service):
                assert member.context is not None


def test_handwritten_diagrams_agree_with_real_mermaid(tmp_path: Path) -> None:
    sources = [
        fixture("handwritten.mmd").read_text(encoding="utf-8").replace(BOGUS, ""),
        fixture("simple-graph.mmd").read_text(encoding="utf-8"),
        "flowchart TB\n  a --o b\n  a --x c\n  a -. async text .-> d\n  a == sync text ==> e\n"
        "  a ---> f\n  a -..-> g\n  a ~~~ h\n  a-->|x|i\n  a--text-->j\n"
        "  k((Circle)) --> l(((Double))) --> m>Flag] --> n{Choice} --> o{{Hex}}\n"
        "  o --> p[/Para/] & q[\\Alt\\] & r[/Trap\\] & s([Stadium])\n",
    ]
    designs = []
    for i, source in enumerate(sources):
        path = tmp_path / f"diagram-{i}.mmd"
        path.write_text(source, encoding="utf-8")
        designs.append(import_source(path).design)
    for design, parsed in zip(designs, parse_mermaid(sources), strict=True):
        _agree_with_mermaid(design, parsed)


def test_simple_graph(tmp_path: Path) -> None:
    _, design = import_and_reload(fixture("simple-graph.mmd"), tmp_path)
    assert deps(design) == {
        ("A", "B", "sync"),
        ("B", "C", "sync"),
        ("B", "D", "async"),
        ("B", "E", "sync"),
        ("E", "B", "sync"),
    }  # <--> both ways
    assert {d.id: d.kind for d in design.datastores} == {"C": None, "D": "redis"}
    assert {s.id: s.datastore for s in design.services}["B"] == "C"  # its only store


def test_markdown_with_a_mermaid_block(tmp_path: Path) -> None:
    _, design = import_and_reload(fixture("architecture.md"), tmp_path)
    assert deps(design) == {("web", "api", "sync"), ("api", "db", "sync")}


def test_other_diagram_types_are_refused_with_position(tmp_path: Path) -> None:
    path = tmp_path / "seq.mmd"
    path.write_text("%% a comment\n\nsequenceDiagram\n  A->>B: hi\n", encoding="utf-8")
    with pytest.raises(DesignError) as err:
        import_source(path)
    problem = err.value.problems[0]
    assert (problem.line, problem.column) == (3, 1)
    assert "sequenceDiagram" in problem.message and "flowcharts" in problem.message


def test_odd_statements(tmp_path: Path) -> None:
    path = tmp_path / "odd.mmd"
    path.write_text(
        "graph LR\n"
        "  a[Unclosed --> b\n"
        "  end\n"
        "  x --> x\n"
        "  s1 --> grp\n"
        "  subgraph grp\n"
        "    q((Queue worker)) ~~~ r\n"
        "  end\n"
        "  subgraph open\n"
        "    z\n",
        encoding="utf-8",
    )
    result, design = import_and_reload(path, tmp_path)
    notes = "\n".join(result.skipped)
    assert ":2: not understood" in notes
    assert ":3: 'end' without a subgraph" in notes
    assert ":4: link from x to itself" in notes
    assert ":5: link s1 -> grp: grp is a subgraph" in notes
    assert "subgraph 'open' is not closed" in notes
    assert "grp" not in by_id(design)  # a subgraph, not a node
    assert not design.dependencies  # ~~~ is layout only


def test_semicolons_entities_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "ids.mmd"
    path.write_text(
        "flowchart TD\n"
        '  Bestellübersicht["Say #quot;hi#quot; #35;1 <br> next"] --> end_1;'
        ' end_1 -->|"a #124; b"| "x"\n',
        encoding="utf-8",
    )
    result, design = import_and_reload(path, tmp_path)
    comps = by_id(design)
    assert comps["Bestellubersicht"].name == 'Say "hi" #1 \n next'
    assert "end_1" in comps
    assert any(":2: not understood" in s for s in result.skipped)  # "x" is no node id


def test_only_a_header_imports_an_empty_design(tmp_path: Path) -> None:
    path = tmp_path / "empty.mmd"
    path.write_text("flowchart LR\n", encoding="utf-8")
    result = import_source(path)
    assert result.design.services == () and result.design.discovery.current.topology is None
    assert result.design.imported is not None and result.design.imported.answers == ()


def test_an_id_that_is_not_a_design_id_keeps_its_text_as_name(tmp_path: Path) -> None:
    path = tmp_path / "u.mmd"
    path.write_text("graph LR\n  Bestellübersicht --> Zahlung\n", encoding="utf-8")
    _, design = import_and_reload(path, tmp_path)
    assert {(s.id, s.name) for s in design.services} == {
        ("Bestellubersicht", "Bestellübersicht"),
        ("Zahlung", None),
    }
