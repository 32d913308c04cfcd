"""Blank lines and comments between sections stay between them when a list changes.

ruamel hangs the lines after a block list on its last item's last value; these tests
check with `git diff` itself that adding or deleting items leaves them in place.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.model import Decision, Design, Service
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import open_document, save_document

COMMENTED = """\
# Shop design.
stratus: 1
name: Shop

services:
  # the edge
  - id: web
    replicas: 2        # two is enough at night
  - id: api
    runtime: kubernetes
    slo:
      availability: 99.9   # agreed with product

  # Data lives below; keep this note.
datastores:
  - id: db
    kind: postgresql

decisions:
  - id: adr-1
    title: A
"""


def _git_diff(old: Path, new: Path) -> list[str]:
    """The hunk lines (context, - and +) of `git diff --no-index -U1 old new`."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    out = subprocess.run(
        ["git", "diff", "--no-index", "--no-color", "-U1", str(old), str(new)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    hunks = out.split("\n@@", 1)[1]
    return [line for line in hunks.splitlines()[1:] if not line.startswith("@@")]


def _edit(tmp_path: Path, text: str, services: list[Service]) -> list[str]:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(text)
    new.write_text(text)
    doc = open_document(new)
    design: Design = doc.design.model_copy(update={"services": tuple(services)})
    save_document(doc, design)
    assert open_document(new).design == design  # the file still says what was saved
    return _git_diff(old, new)


def test_append_goes_before_the_separator_in_the_sample(tmp_path: Path) -> None:
    text = sample_path("checkout").read_text()
    doc_services = list(open_document(sample_path("checkout")).design.services)
    diff = _edit(tmp_path, text, [*doc_services, Service(id="inventory")])
    assert diff == [
        "     monthly_cost_usd: 80",
        "+  - id: inventory",
        " ",
    ]


def test_append_keeps_blank_line_and_comment_after_the_list(tmp_path: Path) -> None:
    web, api = open_document(_write(tmp_path)).design.services
    diff = _edit(tmp_path, COMMENTED, [web, api, Service(id="cache")])
    assert diff == [
        "       availability: 99.9   # agreed with product",
        "+  - id: cache",
        " ",
    ]


def test_insert_in_the_middle_touches_one_line(tmp_path: Path) -> None:
    web, api = open_document(_write(tmp_path)).design.services
    diff = _edit(tmp_path, COMMENTED, [web, Service(id="cache"), api])
    assert diff == [
        "     replicas: 2        # two is enough at night",
        "+  - id: cache",
        "   - id: api",
    ]


def test_delete_last_keeps_the_separator(tmp_path: Path) -> None:
    web, _api = open_document(_write(tmp_path)).design.services
    diff = _edit(tmp_path, COMMENTED, [web])
    assert diff == [
        "     replicas: 2        # two is enough at night",
        "-  - id: api",
        "-    runtime: kubernetes",
        "-    slo:",
        "-      availability: 99.9   # agreed with product",
        " ",
    ]
    after = (tmp_path / "new.yaml").read_text()
    assert "night\n\n  # Data lives below; keep this note.\ndatastores:" in after


def test_delete_first_keeps_the_comments(tmp_path: Path) -> None:
    _web, api = open_document(_write(tmp_path)).design.services
    diff = _edit(tmp_path, COMMENTED, [api])
    assert diff == [
        "   # the edge",
        "-  - id: web",
        "-    replicas: 2        # two is enough at night",
        "   - id: api",
    ]
    assert "# agreed with product\n\n  # Data lives below" in (tmp_path / "new.yaml").read_text()


def test_key_added_to_the_last_item_goes_before_the_separator(tmp_path: Path) -> None:
    web, api = open_document(_write(tmp_path)).design.services
    diff = _edit(tmp_path, COMMENTED, [web, api.model_copy(update={"owner": "team-a"})])
    assert diff == [
        "       availability: 99.9   # agreed with product",
        "+    owner: team-a",
        " ",
    ]


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "read.yaml"
    path.write_text(COMMENTED)
    return path


BLOCK_LAST = """\
stratus: 1
name: x
decisions:
  - id: adr-1
    title: A
    rationale: |
      line one
      line two

  # trailing note
services:
  - id: a
"""


def test_separator_after_a_literal_block_moves_too(tmp_path: Path) -> None:
    """A `|` block has no end-of-line part in its comment: all of it is the separator."""
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(BLOCK_LAST)
    new.write_text(BLOCK_LAST)
    doc = open_document(new)
    added = Decision(id="adr-2", title="B", rationale="x\ny\n")
    doc = save_document(
        doc, doc.design.model_copy(update={"decisions": (*doc.design.decisions, added)})
    )
    assert _git_diff(old, new) == [
        "       line two",
        "+  - id: adr-2",
        "+    title: B",
        "+    rationale: |",
        "+      x",
        "+      y",
        " ",
    ]
    # Deleting it again (the new last item is a `|` block too) gives back the file.
    save_document(doc, doc.design.model_copy(update={"decisions": doc.design.decisions[:1]}))
    assert new.read_text() == BLOCK_LAST


SAMPLE_TEXT = sample_path("checkout").read_text()
SAMPLE_SERVICES = open_document(sample_path("checkout")).design.services


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kept=st.lists(st.booleans(), min_size=len(SAMPLE_SERVICES), max_size=len(SAMPLE_SERVICES)),
    added=st.lists(st.tuples(st.integers(0, len(SAMPLE_SERVICES)), st.booleans()), max_size=3),
)
def test_any_list_edit_keeps_the_sections_apart(
    kept: list[bool], added: list[tuple[int, bool]]
) -> None:
    services = [s for s, keep in zip(SAMPLE_SERVICES, kept, strict=True) if keep]
    for n, (at, with_owner) in enumerate(added):
        new = Service(id=f"new-{n}", owner="team-x" if with_owner else None)
        services.insert(min(at, len(services)), new)
    if not services:
        services = [Service(id="only")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.yaml"
        path.write_text(SAMPLE_TEXT)
        doc = open_document(path)
        save_document(doc, doc.design.model_copy(update={"services": tuple(services)}))
        text = path.read_text()
    # Exactly one blank line still ends the services section, none appears inside it.
    section = text.split("\nservices:\n", 1)[1].split("\ndatastores:", 1)[0]
    assert section.endswith("\n") and not section.endswith("\n\n")
    assert "\n\n" not in section[:-1]
    assert [line for line in text.splitlines() if line.startswith("  - id: ")][: len(services)] == [
        f"  - id: {s.id}" for s in services
    ]
