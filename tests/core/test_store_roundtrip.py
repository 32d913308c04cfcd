"""Comment-preserving round trip: an edit changes only the lines it must."""

from __future__ import annotations

import difflib
from pathlib import Path

from stratus_tui.core.model import Dependency, Service
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design, open_document, save_document

COMMENTED = """\
# Team notes: keep this header.
stratus: 1
name: Shop   # the public name
scope: 'checkout'
services:
  # the edge
  - id: web
    replicas: 2        # two is enough at night
    runtime: kubernetes
  - id: api
    replicas: 3        # api replicas
    datastore: db
  - id: worker
    replicas: 1        # worker replicas
datastores:
  - {id: db, kind: postgresql}   # flow style kept
dependencies:
  - {from: web, to: api, mode: sync, timeout_ms: 200}   # explicit default kept
  - {from: api, to: db}
discovery:
  workload:
    growth_18m: 3      # an int where the model holds a float
decisions:
  - id: adr-1
    title: A
    date: 2026-10-02   # a YAML date
"""


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _services(design: object, *services: Service) -> object:
    return design.model_copy(update={"services": services})  # type: ignore[attr-defined]


def test_unchanged_save_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(COMMENTED)
    doc = open_document(path)
    save_document(doc, doc.design)
    assert path.read_text() == COMMENTED


def test_sample_unchanged_save_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "checkout.yaml"
    original = sample_path("checkout").read_text()
    path.write_text(original)
    doc = open_document(path)
    save_document(doc, doc.design)
    assert path.read_text() == original


def test_editing_one_field_changes_one_line(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(COMMENTED)
    doc = open_document(path)
    web, api, worker = doc.design.services
    design = _services(doc.design, web, api.model_copy(update={"replicas": 5}), worker)
    save_document(doc, design)  # type: ignore[arg-type]
    after = path.read_text()
    assert _diff(COMMENTED, after) == [
        "-    replicas: 3        # api replicas",
        "+    replicas: 5        # api replicas",
    ]
    assert load_design(path) == design


def test_deleting_an_item_keeps_the_others_comments(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(COMMENTED)
    doc = open_document(path)
    _web, api, worker = doc.design.services
    deps = tuple(d for d in doc.design.dependencies if d.from_ != "web")
    design = _services(doc.design, api, worker).model_copy(  # type: ignore[attr-defined]
        update={"dependencies": deps}
    )
    save_document(doc, design)
    after = path.read_text()
    assert "# api replicas" in after and "# worker replicas" in after
    assert "two is enough" not in after
    assert all(line.startswith("-") for line in _diff(COMMENTED, after))
    assert load_design(path) == design


def test_inserting_an_item_keeps_neighbours_and_style(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(COMMENTED)
    doc = open_document(path)
    web, api, worker = doc.design.services
    cache = Service(id="cache", replicas=1)
    design = _services(doc.design, web, cache, api, worker).model_copy(  # type: ignore[attr-defined]
        update={
            "dependencies": (
                *doc.design.dependencies,
                Dependency.model_validate({"from": "cache", "to": "db"}),
            )
        }
    )
    save_document(doc, design)
    after = path.read_text()
    added = [line for line in _diff(COMMENTED, after) if line.startswith("+")]
    removed = [line for line in _diff(COMMENTED, after) if line.startswith("-")]
    assert removed == []
    assert "+  - id: cache" in added
    assert "+  - {from: cache, to: db}" in added  # flow style like its neighbours
    assert after.index("id: web") < after.index("id: cache") < after.index("id: api")
    assert "# api replicas" in after and "# two is enough at night" in after
    assert load_design(path) == design


def test_multiline_text_is_written_as_a_block(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(COMMENTED)
    doc = open_document(path)
    design = doc.design.model_copy(update={"context": "line one\nline two\n"})
    save_document(doc, design)
    assert "context: |\n  line one\n  line two\n" in path.read_text()
    assert load_design(path).context == "line one\nline two\n"


def test_migrated_and_json_documents_save_in_their_format(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"stratus": 1, "name": "x"}')
    doc = open_document(path)
    save_document(doc, doc.design.model_copy(update={"scope": "s"}))
    assert '"scope": "s"' in path.read_text()
    assert load_design(path).scope == "s"
