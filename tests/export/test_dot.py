"""Graphviz exports through the real `dot`: valid, and every label reads back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from stratus_tui.core.escape import clean_text
from stratus_tui.core.export.dot import to_dot, to_svg
from stratus_tui.core.export.topology import build_topology
from stratus_tui.core.model import Design
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import load_design
from tests.export.strategies import designs

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` missing")


def _run(source: str, fmt: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["dot", f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, check=False
    )


def _texts(obj: dict[str, Any]) -> str:
    return "\n".join(op["text"] for op in obj.get("_ldraw_", []) if op["op"] == "T" and op["text"])


def laid_out(source: str) -> dict[str, Any]:
    """What Graphviz drew: node, cluster and edge texts, edge styles."""
    proc = _run(source, "json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Error" not in proc.stderr
    graph = json.loads(proc.stdout)
    objects = graph.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects}
    return {
        "title": _texts(graph),
        "nodes": {o["name"]: _texts(o) for o in objects if not o["name"].startswith("cluster")},
        "clusters": Counter(_texts(o) for o in objects if o["name"].startswith("cluster")),
        "edges": Counter(
            (
                names[e["tail"]],
                names[e["head"]],
                _texts(e),
                e.get("style", "solid"),
                e.get("dir", "forward"),
            )
            for e in graph.get("edges", [])
        ),
    }


def _seen(text: str) -> str:
    # Graphviz draws no text for an empty line: compare the lines it can draw.
    return "\n".join(line for line in clean_text(text).split("\n") if line)


def compare_dot(design: Design) -> list[str]:
    """Differences between what `dot` laid out and the design (empty lines aside)."""
    got = laid_out(to_dot(design))
    topo = build_topology(design)
    problems = []
    want_nodes = {n.id: _seen(n.label) for n in topo.all_nodes()}
    if got["nodes"] != want_nodes:
        problems.append(f"nodes {got['nodes']} != {want_nodes}")
    if got["clusters"] != Counter(_seen(g.title) for g in topo.groups):
        problems.append(f"clusters {got['clusters']}")
    want_edges = Counter(
        (
            e.source,
            e.target,
            _seen(e.label or ""),
            "dashed" if e.mode == "async" else "solid",
            "forward",
        )
        for e in topo.edges
    )
    # A service's own store: a line without an arrowhead, never mistaken for a call.
    want_edges.update((s.service, s.store, "", "solid", "none") for s in topo.stores)
    if got["edges"] != want_edges:
        problems.append(f"edges {got['edges']} != {want_edges}")
    if got["title"] != _seen(design.name):
        problems.append(f"title {got['title']!r}")
    return problems


def test_sample_dot_renders_to_svg_and_matches() -> None:
    for path in sorted(samples_dir().glob("*.yaml")):
        design = load_design(path)
        source = to_dot(design)
        proc = _run(source, "svg")
        assert proc.returncode == 0 and not proc.stderr, proc.stderr.decode()
        assert compare_dot(design) == []
        assert "subgraph cluster_" in source


def test_svg_export_is_svg_and_stable() -> None:
    design = load_design(samples_dir() / "checkout.yaml")
    svg = to_svg(design)
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    assert svg == to_svg(design)
    assert "Checkout Service" in svg


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_hostile_designs_render_and_read_back(design: Design) -> None:
    source = to_dot(design)
    proc = _run(source, "svg")
    assert proc.returncode == 0, proc.stderr.decode() + source
    svg = proc.stdout.decode("utf-8")
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert compare_dot(design) == [], source


# (services, seed) pairs on which Graphviz 2.43 failed with `trouble in init_rank` before
# the export asked for newrank.
CLUSTERED = [(100, 0), (200, 0), (300, 1)]


@pytest.mark.parametrize(("services", "seed"), CLUSTERED)
def test_large_clustered_designs_render(services: int, seed: int) -> None:
    from tests.export.large import clustered_design

    design = clustered_design(services, seed)
    assert "newrank=true" in to_dot(design)
    svg = to_svg(design)
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    assert svg.count('class="node"') == len(build_topology(design).all_nodes())


def test_a_failing_dot_is_one_clear_line_and_export_all_skips_the_svg(tmp_path: Path) -> None:
    """Whatever dot does (here: the init_rank crash), never a traceback."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text(
        "#!/bin/sh\ncat >/dev/null\necho 'Error: trouble in init_rank' >&2\n"
        "printf '\\t%%0 5\\n%.0s' 1 2 3 >&2\nexit 1\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    sample = samples_dir() / "checkout.yaml"

    def stratus(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "stratus_tui", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    proc = stratus("export", str(sample), "--format", "svg")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "Graphviz `dot` failed: Error: trouble in init_rank"
    out = tmp_path / "docs"
    proc = stratus("export", str(sample), "--format", "all", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "trouble in init_rank: diagrams/topology.svg skipped" in proc.stderr
    assert (out / "diagrams" / "topology.dot").is_file()
    assert not (out / "diagrams" / "topology.svg").exists()
