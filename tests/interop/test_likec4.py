"""LikeC4 export checked by the real LikeC4 CLI: every sample and a hostile design are
validated in one run and built (every view computed and laid out, `export json`) in
another; what the CLI read back must be the design, names exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stratus_tui.core.export import EXPORTERS
from stratus_tui.core.export.interop.likec4 import to_likec4
from stratus_tui.core.flows import flows_of
from stratus_tui.core.model import Design
from stratus_tui.core.topology import topology_of

from .designs import hostile, samples
from .tools import run_likec4


def _designs() -> dict[str, Design]:
    return {**samples(), "hostile": hostile()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Validate all projects in one CLI run, then build them all in one more."""
    root = tmp_path_factory.mktemp("likec4")
    designs = _designs()
    for name, design in designs.items():
        (root / name).mkdir()
        (root / name / "model.c4").write_text(to_likec4(design), encoding="utf-8")
        (root / name / "likec4.config.json").write_text(json.dumps({"name": name}))
    check = run_likec4("validate", "--json", "--no-layout", ".", cwd=root)
    report = json.loads(check.stdout[check.stdout.index("{") :])
    assert check.returncode == 0 and report["valid"], check.stdout + check.stderr[-3000:]
    assert report["stats"]["totalFiles"] == len(designs)
    build = run_likec4("export", "json", "-o", str(root / "out.json"), ".", cwd=root)
    assert build.returncode == 0, build.stderr[-3000:]
    models = json.loads((root / "out.json").read_text(encoding="utf-8"))
    by_project = {m["projectId"]: m for m in models}
    return {"designs": designs, "models": by_project}


@pytest.mark.parametrize("name", [*samples(), "hostile"])
def test_names_and_structure_come_back_exactly(built: dict[str, Any], name: str) -> None:
    design: Design = built["designs"][name]
    model = built["models"][name]
    topo = topology_of(design)
    elements = model["elements"]
    by_id = {
        e["metadata"]["stratus_id"]: e
        for e in elements.values()
        if "stratus_id" in e.get("metadata", {})
    }
    assert set(by_id) == set(topo.nodes)
    for node in topo.nodes.values():
        element = by_id[node.id]
        meta = {
            k: json.loads(v) if k != "stratus_id" and k.startswith("stratus_") else v
            for k, v in element["metadata"].items()
        }
        # LikeC4 trims these texts; the metadata keeps the exact ones.
        assert meta.get("stratus_name", element["title"]) == node.label
        assert element["kind"] == node.kind
        assert meta.get("stratus_technology", element.get("technology")) == node.detail
        description = element.get("description")
        text = description["txt"] if description else None
        assert meta.get("stratus_description", text) == node.description
    contexts = {e["title"] for e in elements.values() if e["kind"] == "system"}
    assert contexts == {c.title for c in topo.contexts}
    for e in elements.values():  # services sit in their context
        if e["kind"] == "service":
            ctx = topo.nodes[e["metadata"]["stratus_id"]].context
            parent = e["id"].rpartition(".")[0]
            assert (elements[parent]["title"] if parent else None) == (
                next(c.title for c in topo.contexts if c.id == ctx.strip()) if ctx else None
            )
    fqn_to_id = {
        e["id"]: e["metadata"]["stratus_id"]
        for e in elements.values()
        if "stratus_id" in e.get("metadata", {})
    }
    relations = sorted(
        (
            fqn_to_id[r["source"]["model"]],
            fqn_to_id[r["target"]["model"]],
            r.get("kind", "sync"),
            _exact(r, "name", "title"),
            _exact(r, "technology", "technology"),
        )
        for r in model["relations"].values()
    )
    expected = sorted(
        [
            (c.source, c.target, "sync" if c.sync else "async", c.label, c.protocol)
            for c in topo.calls
        ]
        + [(s.service, s.store, "owns", "own datastore", None) for s in topo.store_links]
    )
    assert relations == expected
    views = model["views"]
    dynamic = [v for v in views.values() if v["_type"] == "dynamic"]
    flows = [f for f in flows_of(design) if f.hops]
    assert sorted(v["title"] for v in dynamic) == sorted(f.name for f in flows)
    assert len(views) == 1 + len(topo.contexts) + len(flows)
    for view in views.values():  # built: every view laid out
        assert view["_stage"] == "layouted", view["id"]
    for flow in flows:
        view = next(v for v in dynamic if v["title"] == flow.name)
        steps = [e for e in view["edges"]]
        assert len(steps) == len(flow.hops)


def _exact(item: dict[str, Any], key: str, field: str) -> Any:
    """The exact text: from the JSON literal in metadata when LikeC4 trimmed it."""
    kept = item.get("metadata", {}).get(f"stratus_{key}")
    return json.loads(kept) if kept is not None else item.get(field)


def test_byte_stable_and_registered() -> None:
    for design in _designs().values():
        assert to_likec4(design) == to_likec4(design.model_copy(deep=True))
        assert EXPORTERS["likec4"](design) == to_likec4(design)
