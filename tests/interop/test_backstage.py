"""Backstage export checked by the real @backstage/catalog-model validators: every
sample and the hostile design in one Node run; titles, ids and links read back."""

from __future__ import annotations

from pathlib import Path

from stratus_tui.core.export.interop.backstage import to_backstage
from stratus_tui.core.model import Design
from stratus_tui.core.topology import topology_of

from .designs import hostile, samples
from .tools import validate_backstage


def test_every_design_validates_and_reads_back(tmp_path: Path) -> None:
    designs: dict[str, Design] = {**samples(), "hostile": hostile()}
    paths = []
    for name, design in designs.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(to_backstage(design), encoding="utf-8")
        paths.append(path)
    results = validate_backstage(paths)
    for (name, design), result in zip(designs.items(), results, strict=True):
        assert result["errors"] == [], name
        topo = topology_of(design)
        entities = result["entities"]
        kinds = [e["kind"] for e in entities]
        assert kinds.count("System") == 1
        assert kinds.count("Domain") == len(topo.contexts)
        assert kinds.count("Resource") == len(topo.of_kind("datastore"))
        assert kinds.count("API") == sum(1 for s in design.services if (s.api or "").strip())
        by_id = {
            e["annotations"]["stratus/id"]: e
            for e in entities
            if e["kind"] in ("Component", "Resource")
        }
        assert set(by_id) == set(topo.nodes)
        names = {cid: e["name"] for cid, e in by_id.items()}
        for node in topo.nodes.values():
            assert by_id[node.id]["title"] == node.label, name
        for s in design.services:
            spec = by_id[s.id]["spec"]
            wanted = [c.target for c in topo.calls if c.source == s.id and c.target != s.id]
            wanted += [link.store for link in topo.store_links if link.service == s.id]
            got = [ref.rpartition("/")[2] for ref in spec.get("dependsOn", [])]
            assert got == list(dict.fromkeys(names[t] for t in wanted)), (name, s.id)
            assert spec["owner"].startswith("group:default/")
