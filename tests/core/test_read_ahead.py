"""`ReadAhead`: a forked child reads the design while the workbench starts (issue 21).

The forks run in a fresh interpreter (a pytest process has threads: forking it is
what `ReadAhead.start` refuses to do). Proofs: the child's Document is the one the
parent would have read; a broken or missing file gives the same answer as reading it
here; a child that dies or sends garbage gives None (the caller reads the file itself);
cancel leaves no process behind; importing the module loads neither pydantic nor the
model (the first frame does not wait for them).
"""

from __future__ import annotations

import json
from pathlib import Path

from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.read_ahead import read_document
from tests.support.processes import last_line_of

CHILD = r"""
import json, os, signal, sys
from pathlib import Path
from stratus_tui.core.store.read_ahead import ReadAhead, read_document

path, how = Path(sys.argv[1]), sys.argv[2]
before = sorted(m for m in ("pydantic", "stratus_tui.core.model") if m in sys.modules)
also = {"also": lambda doc: doc.design.name, "also-fails": lambda doc: 1 / 0}.get(how)
ahead = ReadAhead.start(path, also=also)
assert ahead is not None, "no fork"
out = {"imported_before_fork": before}
if how == "kill":
    os.kill(ahead._pid, signal.SIGKILL)
if how == "cancel":
    pid = ahead._pid
    ahead.cancel()
    try:
        os.kill(pid, 0)
        out["left"] = True
    except ProcessLookupError:
        out["left"] = False
    print(json.dumps(out)); sys.exit(0)
got = ahead.result()
here = read_document(path)
if got is None:
    out["got"] = None
elif isinstance(got, str):
    out["got"] = "error"; out["same"] = got == here
else:
    out["got"] = "document"
    out["same"] = (got.design, got.digest, got.source, got.path, got.migrated_from) == (
        here.design, here.digest, here.source, here.path, here.migrated_from)
    out["tree"] = got.tree is None
out["also"] = ahead.also
out["again"] = ahead.result() is None  # taken once
if how == "tree" and isinstance(got, str):
    out["tree_none"] = ahead.tree() is None
    out["done"] = ahead._fd is None and ahead._pid is None
elif how == "tree":
    from stratus_tui.core import edits
    from stratus_tui.core.store.design_file import render, with_tree
    tree = ahead.tree()
    renamed = edits.update_design(here.design, name="Renamed")
    out["tree_same"] = tree is not None and render(renamed, path, tree) == render(
        renamed, path, with_tree(here).tree)
    out["tree_again"] = ahead.tree() is tree
    out["done"] = ahead._fd is None and ahead._pid is None
elif how == "ready":
    from stratus_tui.core.store.design_file import with_tree
    ready = ahead.ready_to_save(got)
    expected = with_tree(here)
    out["tree"] = "none" if ready.tree is None else "built"
    out["as_here"] = (ready.tree is None) == (expected.tree is None) and ready.source is None
    out["done"] = ahead._fd is None and ahead._pid is None
print(json.dumps(out))
"""


def _run(path: Path, how: str = "read") -> dict[str, object]:
    got = json.loads(last_line_of(CHILD, str(path), how))
    assert isinstance(got, dict)
    return got


def test_the_child_reads_what_the_parent_would() -> None:
    got = _run(samples_dir() / "checkout.yaml")
    assert got == {
        "imported_before_fork": [],
        "got": "document",
        "same": True,
        "tree": True,
        "also": None,
        "again": True,
    }


def test_also_runs_in_the_child_and_may_fail() -> None:
    path = samples_dir() / "checkout.yaml"
    assert _run(path, "also")["also"] == "Checkout platform"
    failed = _run(path, "also-fails")
    assert failed["got"] == "document" and failed["also"] is None


def test_a_broken_file_gives_the_same_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices: [{id: a, replicas: -1}]\n")
    got = _run(bad)
    assert got["got"] == "error" and got["same"] is True
    message = read_document(bad)
    assert isinstance(message, str) and "bad.yaml:3" in message


def test_a_missing_file_is_a_new_design(tmp_path: Path) -> None:
    got = _run(tmp_path / "new-design.yaml")
    assert got["got"] == "document" and got["same"] is True
    assert not (tmp_path / "new-design.yaml").exists()  # reading writes nothing


def test_a_child_that_dies_gives_none(tmp_path: Path) -> None:
    assert _run(samples_dir() / "checkout.yaml", "kill")["got"] is None


def test_cancel_leaves_no_process() -> None:
    assert _run(samples_dir() / "checkout.yaml", "cancel")["left"] is False


def test_the_child_builds_the_round_trip_tree_of_what_it_read() -> None:
    got = _run(samples_dir() / "checkout.yaml", "tree")
    assert got["got"] == "document" and got["same"] is True
    assert got["tree_same"] is True and got["tree_again"] is True and got["done"] is True


def test_no_tree_comes_for_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices: [{id: a, replicas: -1}]\n")
    got = _run(bad, "tree")
    assert got["got"] == "error" and got["tree_none"] is True and got["done"] is True


def test_a_file_written_as_stratus_saves_it_needs_no_tree(tmp_path: Path) -> None:
    """The child says so instead of parsing the tree (~25 s at 5,000 services); a file
    with anything of a person's in it gets its tree as before."""
    from stratus_tui.core.store.design_file import load_design
    from stratus_tui.core.store.serialise import to_yaml

    written = tmp_path / "written.yaml"
    written.write_text(to_yaml(load_design(samples_dir() / "checkout.yaml")), encoding="utf-8")
    got = _run(written, "ready")
    assert (got["tree"], got["as_here"], got["done"]) == ("none", True, True)
    kept = _run(samples_dir() / "checkout.yaml", "ready")
    assert (kept["tree"], kept["as_here"], kept["done"]) == ("built", True, True)
