"""Shortcuts in the layout path draw exactly what a fresh layout draws."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.gen import make_design
from stratus_tui.core.diagram import Rendered, build_graph, dot_process, layout_graph, render
from stratus_tui.core.diagram.dot_process import clear_dot_cache, keep_dot_warm
from stratus_tui.core.diagram.ranking import dot_available, dot_ranking
from stratus_tui.core.diagram.render import regions_at
from stratus_tui.core.diagram.text import cell_width, fit
from stratus_tui.core.model import Dependency, Design

from .helpers import make

needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz dot not installed")


@pytest.fixture(autouse=True)
def no_spare_dot() -> Iterator[None]:
    """Every test counts dot's runs: no spare `dot` started ahead by an earlier test in
    this worker (the workbench keeps one warm) may add a run to the count, at whatever
    moment its start-up script gets to write."""
    keep_dot_warm(False)
    yield
    keep_dot_warm(False)


def counting_dot(tmp_path: Path) -> Path:
    """A `dot` on PATH that logs each run, then runs the real dot."""
    real = shutil.which("dot")
    assert real is not None
    log = tmp_path / "runs.log"
    script = tmp_path / "dot"
    script.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{real}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return log


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def named(names: dict[str, str]) -> Design:
    base = make(
        [("a", "x"), ("b", "x"), ("c", None), ("d", None)],
        [("a", "b", "sync"), ("b", "c", "async"), ("a", "d", "sync")],
    )
    services = tuple(s.model_copy(update={"name": names.get(s.id, s.name)}) for s in base.services)
    return base.model_copy(update={"services": services})


def fresh_lines(design: Design) -> list[str]:
    clear_dot_cache()
    return render(layout_graph(build_graph(design), "dot")).lines


@needs_dot
def test_a_label_only_edit_reuses_dot_and_draws_what_a_fresh_layout_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = counting_dot(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    clear_dot_cache()
    before, after = named({"a": "Alpha"}), named({"a": "Omega"})  # same box width
    first = render(layout_graph(build_graph(before), "dot"))
    assert runs(log) == 1
    second = render(layout_graph(build_graph(after), "dot"))
    assert runs(log) == 1, "dot ran again although only a label changed"
    assert second.layout.engine == "dot"
    assert any("Omega" in line for line in second.lines)
    assert second.lines == fresh_lines(after)
    assert first.lines == fresh_lines(before)


@needs_dot
def test_a_wider_box_reuses_dot_and_draws_what_a_fresh_layout_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = counting_dot(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    clear_dot_cache()
    layout_graph(build_graph(named({"a": "A"})), "dot")
    wide = named({"a": "A much longer service name", "c": "Also wider than before"})
    picture = render(layout_graph(build_graph(wide), "dot"))
    assert runs(log) == 1, "dot ran again although only box widths changed"
    assert picture.lines == fresh_lines(wide)


@needs_dot
def test_a_new_dependency_runs_dot_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = counting_dot(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    clear_dot_cache()
    before = named({})
    layout_graph(build_graph(before), "dot")
    extra = Dependency(**{"from": "d", "to": "b"})
    after = before.model_copy(update={"dependencies": (*before.dependencies, extra)})
    picture = render(layout_graph(build_graph(after), "dot"))
    assert runs(log) == 2
    assert picture.lines == fresh_lines(after)


NAMES = st.text(alphabet="abcdefghij XYZ-", min_size=1, max_size=30).map(str.strip).filter(bool)


@needs_dot
@settings(max_examples=12, deadline=None)
@given(
    shape=st.integers(0, 2),
    first=st.dictionaries(st.sampled_from("abcd"), NAMES, max_size=4),
    second=st.dictionaries(st.sampled_from("abcd"), NAMES, max_size=4),
)
def test_renamed_boxes_rank_exactly_as_a_fresh_dot_run(
    shape: int, first: dict[str, str], second: dict[str, str]
) -> None:
    """Whatever the widths, the remembered dot answer gives the fresh ranking."""
    deps = [
        [("a", "b", "sync"), ("b", "c", "async"), ("a", "d", "sync")],
        [("a", "b", "sync"), ("c", "b", "sync"), ("b", "d", "async"), ("d", "a", "sync")],
        [("a", "c", "sync"), ("b", "c", "sync"), ("c", "d", "sync"), ("a", "d", "async")],
    ][shape]
    services = [("a", "x"), ("b", "x"), ("c", "y"), ("d", None)]

    def design(names: dict[str, str]) -> Design:
        base = make(services, deps)
        renamed = tuple(
            s.model_copy(update={"name": names.get(s.id, s.name)}) for s in base.services
        )
        return base.model_copy(update={"services": renamed})

    clear_dot_cache()
    graph_one, graph_two = build_graph(design(first)), build_graph(design(second))
    dot_ranking(graph_one)
    reused = dot_ranking(graph_two)
    clear_dot_cache()
    fresh = dot_ranking(graph_two)
    assert (reused.rank, reused.order, reused.row) == (fresh.rank, fresh.order, fresh.row)


@needs_dot
def test_the_same_structure_under_other_ids_is_drawn_with_its_own_ids() -> None:
    clear_dot_cache()
    one = make([("a", None), ("b", None)], [("a", "b", "sync")])
    two = make([("p", None), ("q", None)], [("p", "q", "sync")])
    layout_graph(build_graph(one), "dot")
    boxes = {b.id for b in layout_graph(build_graph(two), "dot").boxes}
    assert boxes == {"p", "q"}
    assert render(layout_graph(build_graph(two), "dot")).lines == fresh_lines(two)


@pytest.fixture
def warm() -> Iterator[None]:
    keep_dot_warm(True)
    yield
    keep_dot_warm(False)


@needs_dot
def test_a_spare_dot_process_draws_what_a_fresh_one_draws(warm: None) -> None:
    clear_dot_cache()
    one = make([("a", "x"), ("b", "x"), ("c", None)], [("a", "b", "sync"), ("b", "c", "async")])
    two = make(
        [("a", "x"), ("b", "x"), ("c", None), ("d", "x")],
        [("a", "b", "sync"), ("b", "c", "async"), ("d", "c", "sync")],
    )
    render(layout_graph(build_graph(one), "dot"))
    spare = dot_process._spare
    assert spare is not None and spare.poll() is None, "no spare dot waiting"
    warm_lines = render(layout_graph(build_graph(two), "dot")).lines
    assert dot_process._spare is not spare, "the spare was not used"
    assert spare.returncode == 0
    keep_dot_warm(False)
    assert dot_process._spare is None
    assert warm_lines == fresh_lines(two)


@needs_dot
def test_a_dead_spare_is_replaced(warm: None) -> None:
    clear_dot_cache()
    design = make([("a", None), ("b", None)], [("a", "b", "sync")])
    layout_graph(build_graph(make([("z", None)], [])), "dot")
    spare = dot_process._spare
    assert spare is not None
    spare.kill()
    spare.wait()
    layout = layout_graph(build_graph(design), "dot")
    assert layout.engine == "dot" and layout.notes == ()


@pytest.fixture(scope="module")
def big_picture() -> Rendered:
    return render(layout_graph(build_graph(make_design(40)), "layered"))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_region_tiles_find_exactly_what_a_full_scan_finds(
    big_picture: Rendered, data: st.DataObject
) -> None:
    picture = big_picture
    y = data.draw(st.integers(0, picture.height - 1))
    x0 = data.draw(st.integers(0, picture.width - 1))
    x1 = data.draw(st.integers(x0 + 1, min(picture.width, x0 + 400)))
    scan = [r for r in picture.regions if r.y0 <= y < r.y1 and r.x0 < x1 and x0 < r.x1]
    assert regions_at(picture.region_index(), y, x0, x1) == scan


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40), width=st.integers(0, 30))
def test_remembered_text_measures_equal_fresh_ones(text: str, width: int) -> None:
    for _ in range(2):  # the second call is answered from the cache
        assert fit(text, width) == fit.__wrapped__(text, width)
        assert cell_width(text) == cell_width.__wrapped__(text)
