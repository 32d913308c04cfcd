"""Start-up: the design is read with the fast loader after the first frame, and the
round-trip tree for comment-keeping saves is built later from the same bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from stratus_tui.core import edits
from stratus_tui.core.store.design_file import (
    ExternalChangeError,
    load_design,
    open_document,
    save_document,
    with_tree,
)
from stratus_tui.ui.app import TREE_DELAY, make_app
from stratus_tui.ui.optional import verdicts_or_problem

from .helpers import settle

COMMENT = "# the three teams block each other today"


def test_lazy_open_reads_fast_and_builds_the_tree_from_the_bytes_it_read(
    design_file: Path,
) -> None:
    text = design_file.read_text()
    doc = open_document(design_file, lazy=True)
    assert doc.tree is None and doc.source == text
    assert doc.design == load_design(design_file)
    # Someone edits the file after we opened it: the tree still comes from what we read,
    # and saving over their edit is refused (the digest is of the bytes read at open).
    design_file.write_text(text.replace("name: Checkout platform", "name: Theirs"))
    built = with_tree(doc)
    assert built.tree["name"] == "Checkout platform"
    assert built.digest == doc.digest and built.source is None
    with pytest.raises(ExternalChangeError):
        save_document(doc, edits.update_design(doc.design, name="Mine"))
    assert "name: Theirs" in design_file.read_text()


def test_a_save_before_the_tree_is_built_keeps_comments(design_file: Path) -> None:
    doc = open_document(design_file, lazy=True)
    saved = save_document(doc, edits.update_design(doc.design, name="Renamed"))
    text = design_file.read_text()
    assert COMMENT in text and "name: Renamed" in text
    assert saved.tree is not None
    assert load_design(design_file).name == "Renamed"


async def test_deferred_start_shows_the_design_then_keeps_comments(design_file: Path) -> None:
    app = make_app(design_file, defer_load=True)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current_mode == "discover"
        assert app.design == load_design(design_file)
        engineers = app.screen.query_one("#f-team__engineers", Input)
        assert engineers.value == str(app.design.discovery.team.engineers)
        assert app.screen.query_one("#verdicts", DataTable).row_count > 0
        # The round-trip tree is parsed in a worker once the screen has settled.
        await pilot.pause(TREE_DELAY + 0.1)
        await app.workers.wait_for_complete()
        assert app.document is not None and app.document.tree is not None
        app.apply(edits.update_design(app.design, name="Renamed"), "rename")
        assert app.save_now()
    text = design_file.read_text()
    assert COMMENT in text and "name: Renamed" in text


async def test_deferred_start_of_an_invalid_file_ends_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices: [{id: a, replicas: -1}]\n")
    before = bad.read_bytes()
    app = make_app(bad, defer_load=True)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(10_000):  # until the app ends itself (its own state, no clock)
            if app.return_code is not None:
                break
            await pilot.pause()
    assert app.return_code == 1
    assert app.open_error is not None and "bad.yaml:3" in app.open_error
    assert app.design is None
    assert bad.read_bytes() == before


def test_the_first_frame_needs_neither_pydantic_nor_the_model(tmp_path: Path) -> None:
    import subprocess
    import sys

    # A fresh interpreter: what DISCOVER's first frame imports, nothing more.
    code = (
        "import sys\n"
        "from stratus_tui.ui.app import make_app\n"
        "from stratus_tui.ui.screens.discover import DiscoverScreen\n"
        "print(sorted(m for m in ('pydantic', 'stratus_tui.core.model') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- a large design


@pytest.fixture
def large_design(tmp_path: Path) -> Path:
    """1,000 services (the benchmark's design) with the sample's full questionnaire."""
    from benchmarks.graphs import make_design
    from stratus_tui.core.store.serialise import to_yaml

    from .conftest import SAMPLE

    design = make_design(1000).model_copy(update={"discovery": load_design(SAMPLE).discovery})
    path = tmp_path / "large.yaml"
    path.write_text(to_yaml(design), encoding="utf-8")
    return path


def _shown(form: Any, name: str) -> Any:
    """What the field of question `name` shows, as a value of the model."""
    from textual.widgets import Select

    from stratus_tui.ui.widgets.form import display, get_path
    from stratus_tui.ui.widgets.list_field import ListField

    widget = form._widget(name)
    value = get_path(form.model, name)
    if isinstance(widget, Select):
        return (None if widget.value is Select.NULL else widget.value) == value
    if isinstance(widget, ListField):
        return widget.items == tuple(value or ())
    return widget.value == display(value)


def _every_question_answered_as_in(app: Any, path: Path) -> None:
    from stratus_tui.core.discovery import QUESTIONS
    from stratus_tui.ui.widgets.form import ModelForm, get_path

    design = load_design(path)
    assert app.design == design
    form = app.screen.query_one("#answers", ModelForm)
    assert form.model == design.discovery
    for spec in QUESTIONS:
        assert _shown(form, spec.name), spec.name
    # the sample answers questions below the fold too: the check covers them
    below = [s.name for s in QUESTIONS[ModelForm.EAGER :]]
    assert any(get_path(design.discovery, name) is not None for name in below)


async def _opened(pilot: Any) -> None:
    """Until the start-up worker has read the file and the design is shown."""
    app = pilot.app
    for worker in [w for w in app.workers if w.group == "load"]:
        await worker.wait()
    for _ in range(100):
        if app.design is not None:
            return
        await pilot.pause()
    raise AssertionError("the design never arrived")


async def test_a_large_design_builds_the_questions_below_the_fold_after_the_verdicts(
    large_design: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratus_tui.ui.screens import discover
    from stratus_tui.ui.widgets.form import ModelForm

    monkeypatch.setattr(discover, "REST_DELAY", 1000.0)  # only the verdicts build them
    seen: list[int] = []
    mount_rest = ModelForm._mount_rest

    async def recorded(form: ModelForm) -> None:
        seen.append(form.screen.query_one("#verdicts", DataTable).row_count)
        await mount_rest(form)

    monkeypatch.setattr(ModelForm, "_mount_rest", recorded)
    app = make_app(large_design, defer_load=True)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        form = app.screen.query_one("#answers", ModelForm)
        assert not form.rest_built.is_set()  # the first frame: one screenful
        await _opened(pilot)
        await form.rest_built.wait()
        await settle(pilot)
        assert len(seen) == 1 and seen[0] > 0  # built once, after the verdicts were shown
        _every_question_answered_as_in(app, large_design)


async def test_keys_pressed_before_the_questions_are_built_are_not_lost(
    large_design: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from stratus_tui.ui.screens import discover
    from stratus_tui.ui.widgets.form import ModelForm

    # The verdicts are held back (and the fallback timer far away): the questions below
    # the fold are not built when the keys come.
    release = threading.Event()
    compute = verdicts_or_problem  # the real one, as discover imported it

    def held(design: Any) -> Any:
        release.wait(60)
        return compute(design)

    monkeypatch.setattr(discover, "verdicts_or_problem", held)
    monkeypatch.setattr(discover, "REST_DELAY", 1000.0)
    app = make_app(large_design, defer_load=True)
    app.autosave_enabled = False
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            form = screen.query_one("#answers", ModelForm)
            verdicts = screen.query_one("#verdicts", DataTable)
            await _opened(pilot)
            assert not form.rest_built.is_set() and verdicts.row_count == 0
            assert app.focused is verdicts
            # Back from the verdicts: the last question, below the fold, as once built.
            await pilot.press("shift+tab")
            assert form.rest_built.is_set()
            chain = screen.focus_chain
            assert app.focused is chain[chain.index(verdicts) - 1]
            assert app.focused is not None and form in app.focused.ancestors
            last = form.query_one("#f-" + form.specs[-1].name.replace(".", "__"))
            assert app.focused is last or last in app.focused.ancestors
            # Typed into it: the key reaches the field and the design.
            field = screen.query_one("#f-workload__peak_rps", Input)
            before = field.value
            field.focus()
            await pilot.press("end", "7")
            release.set()
            await settle(pilot)
            assert verdicts.row_count > 0
            assert field.value == before + "7"
            assert app.design is not None
            assert app.design.discovery.workload.peak_rps == float(before + "7")
    finally:
        release.set()


def _reader(path: Path, program: str) -> Any:
    """A ReadAhead on a child that runs `program` (a pytest process is not forked)."""
    import os
    import subprocess
    import sys

    from stratus_tui.core.store.read_ahead import ReadAhead

    child = subprocess.Popen(
        [sys.executable, "-c", program, str(path)], stdout=subprocess.PIPE, close_fds=True
    )
    assert child.stdout is not None
    fd = os.dup(child.stdout.fileno())
    child.stdout.close()
    child.returncode = 0  # reaped by ReadAhead (os.waitpid), not by Popen
    return ReadAhead(path, child.pid, fd)


READS = (
    "import sys\n"
    "from pathlib import Path\n"
    "from stratus_tui.core.store.read_ahead import read_document, write_frame\n"
    "write_frame(sys.stdout.buffer, (read_document(Path(sys.argv[1])), None))\n"
)


@pytest.mark.parametrize("program", [READS, "import sys; sys.stdout.buffer.write(b'not a pickle')"])
async def test_the_read_ahead_child_is_taken_over_or_the_file_read(
    design_file: Path, program: str
) -> None:
    """`stratus FILE` forks a reader before Textual is imported: the app adopts what it
    read (before the first frame when it is done, else in the load worker); a child that
    sends anything else leaves the app to read the file itself. Either way the design
    shown is the file's, and comments survive the first save."""
    ahead = _reader(design_file, program)
    app = make_app(design_file, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.read_ahead is None
        assert app.design == load_design(design_file)
        assert app.screen.query_one("#verdicts", DataTable).row_count > 0
        app.apply(edits.update_design(app.design, name="Renamed"), "rename")
        assert app.save_now()  # no tree from this child: built here
    assert ahead._fd is None and ahead._pid is None
    text = design_file.read_text()
    assert COMMENT in text and "name: Renamed" in text


async def test_a_read_ahead_of_another_file_is_cancelled(design_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(design_file.read_text().replace("Checkout platform", "Other"))
    ahead = _reader(other, READS)
    app = make_app(design_file, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.design == load_design(design_file)
        assert app.design is not None and app.design.name == "Checkout platform"
    assert ahead._fd is None and ahead._pid is None


MARKED = READS.replace(
    "write_frame(sys.stdout.buffer, (read_document(Path(sys.argv[1])), None))\n",
    "import dataclasses\n"
    "doc = read_document(Path(sys.argv[1]))\n"
    "doc = dataclasses.replace(doc, design=doc.design.model_copy(update={'name': 'child'}))\n"
    "write_frame(sys.stdout.buffer, (doc, None))\n",
)
"""A child that marks the design it sends (named "child"): adopted, not read again."""


async def test_the_read_ahead_document_is_the_one_shown(design_file: Path) -> None:
    """What the child sent is adopted, not read again (the child marks its copy)."""
    app = make_app(design_file, defer_load=True, read_ahead=_reader(design_file, MARKED))
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.design is not None and app.design.name == "child"


async def test_a_child_done_by_the_first_frame_is_taken_without_a_worker(
    design_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child finished while the first frame was drawn: its document is taken on the
    UI thread when the load starts after that frame, not by a load worker."""
    import select

    from stratus_tui.ui.app import StratusApp

    ahead = _reader(design_file, MARKED)
    select.select([ahead._fd], [], [])  # the child has sent its document
    # Not before the first frame (that path has its own tests): after it, at once.
    monkeypatch.setattr(StratusApp, "_adopt_read_ahead_if_done", lambda self: None)
    workers: list[str] = []
    real = StratusApp._load_worker

    def recorded(self: StratusApp, path: Path) -> Any:
        workers.append(str(path))
        return real(self, path)

    monkeypatch.setattr(StratusApp, "_load_worker", recorded)
    app = make_app(design_file, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.design is not None and app.design.name == "child"
        assert workers == []
    assert ahead._fd is None and ahead._pid is None


async def test_verdicts_computed_by_the_reader_are_shown_with_the_answers(
    design_file: Path,
) -> None:
    """The child computes DISCOVER's verdicts beside the document: they are shown as
    they came (here a marked message), not computed again."""
    from stratus_tui.ui.widgets.reasons import ReasonsView

    program = READS.replace(
        "(read_document(Path(sys.argv[1])), None)",
        "(read_document(Path(sys.argv[1])), 'from the reading child')",
    )
    app = make_app(design_file, defer_load=True, read_ahead=_reader(design_file, program))
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.design == load_design(design_file)
        assert app.screen.query_one("#verdicts", DataTable).row_count == 0
        assert "from the reading child" in app.screen.query_one("#reasons", ReasonsView)._text
        # The next design is computed as usual.
        app.apply(edits.update_design(app.design, name="Renamed"), "rename")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#verdicts", DataTable).row_count > 0


TREE = READS.replace(
    "write_frame(sys.stdout.buffer, (read_document(Path(sys.argv[1])), None))\n",
    "from stratus_tui.core.store.design_file import with_tree\n"
    "doc = read_document(Path(sys.argv[1]))\n"
    "write_frame(sys.stdout.buffer, (doc, None))\n"
    "tree = with_tree(doc).tree\n"
    "tree.yaml_set_start_comment('built by the reading child')\n"
    "write_frame(sys.stdout.buffer, tree)\n",
)


async def test_the_first_save_uses_the_tree_the_child_built(design_file: Path) -> None:
    """The child goes on to build the comment-keeping tree of the bytes it read; the
    first save takes it (the child marks its tree) instead of building one itself."""
    ahead = _reader(design_file, TREE)
    app = make_app(design_file, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.design is not None and app.document is not None
        app.apply(edits.update_design(app.design, name="Renamed"), "rename")
        assert app.save_now()
        assert app.document.tree is not None
    text = design_file.read_text()
    assert "# built by the reading child" in text
    assert COMMENT in text and "name: Renamed" in text
    assert ahead._fd is None and ahead._pid is None


async def test_the_tree_worker_takes_the_child_tree(design_file: Path) -> None:
    ahead = _reader(design_file, TREE)
    app = make_app(design_file, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app._build_tree()  # what the TREE_DELAY timer calls: no waiting on the clock
        for _ in range(10_000):  # until the tree is adopted (the app's own state)
            if app.document is not None and app.document.tree is not None:
                break
            await pilot.pause()
        assert app.document is not None and app.document.tree is not None
        assert "built by the reading child" in str(app.document.tree.ca.comment)
        assert ahead._fd is None and ahead._pid is None


async def test_a_file_written_as_stratus_saves_it_is_saved_without_waiting_for_a_tree(
    tmp_path: Path,
) -> None:
    """The real child's answer for a file with nothing of a person's in it: the tree
    worker adopts "no tree needed" and the save writes the design as stratus writes it."""
    from stratus_tui.core.resources import samples_dir
    from stratus_tui.core.store.serialise import to_yaml

    path = tmp_path / "written.yaml"
    path.write_text(to_yaml(load_design(samples_dir() / "checkout.yaml")), encoding="utf-8")
    sends = (
        "import sys\n"
        "from pathlib import Path\n"
        "from stratus_tui.core.store.read_ahead import send_reading\n"
        "send_reading(sys.stdout.buffer, Path(sys.argv[1]))\n"
    )
    ahead = _reader(path, sends)
    app = make_app(path, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app._build_tree()  # what the TREE_DELAY timer calls: no waiting on the clock
        for _ in range(10_000):  # until the child's answer is adopted (the app's own state)
            if app.document is not None and app.document.source is None:
                break
            await pilot.pause()
        assert app.document is not None
        assert app.document.source is None and app.document.tree is None
        assert ahead._fd is None and ahead._pid is None
        assert app.design is not None
        renamed = edits.update_design(app.design, name="Renamed")
        app.apply(renamed, "rename")
        assert app.save_now()
    assert path.read_bytes() == to_yaml(renamed).encode("utf-8")


async def test_a_file_changed_since_the_child_read_it_is_not_overwritten(
    design_file: Path,
) -> None:
    """The child's tree is of the bytes it read; someone editing the file meanwhile still
    gets the usual refusal, not an overwrite."""
    ahead = _reader(design_file, TREE)
    app = make_app(design_file, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.design is not None
        theirs = design_file.read_text().replace("Checkout platform", "Theirs")
        design_file.write_text(theirs)
        app.apply(edits.update_design(app.design, name="Mine"), "rename")
        assert not app.save_now()
        await pilot.pause()
    assert design_file.read_text() == theirs


async def test_quitting_while_the_child_builds_the_tree_builds_none(
    design_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting ends the child still building the tree; the waiting tree worker then
    gives up instead of building one itself (the process would wait for it: ~25 s at
    5,000 services)."""
    import threading

    from stratus_tui.core.store import design_file as store

    slow = READS + "import time; time.sleep(120)\n"  # the document, then no tree for long
    ahead = _reader(design_file, slow)
    built: list[object] = []
    real = store.with_tree

    def recorded(doc: Any) -> Any:
        built.append(threading.current_thread().name)
        return real(doc)

    monkeypatch.setattr(store, "with_tree", recorded)
    app = make_app(design_file, defer_load=True, read_ahead=ahead)
    app.autosave_enabled = False
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app._build_tree()  # what the TREE_DELAY timer calls: no waiting on the clock
        for _ in range(10_000):  # until the worker waits on the child (its own state)
            if ahead._tree_asked:
                break
            await pilot.pause()
        assert ahead._tree_asked
        assert app.document is not None and app.document.tree is None
    assert app.tree_worker_done.wait(30)  # it ended, after the child was stopped
    assert ahead._pid is None and ahead._fd is None
    assert built == []
