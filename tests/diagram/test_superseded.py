"""A picture no longer wanted stops being drawn (issue 21): the workbench passes `stop`
to `render`, and a keystroke's newer picture no longer waits ~0.5 s for the full render
of the previous one at 1,000 services."""

from __future__ import annotations

import pytest

from benchmarks.graphs import write_design
from stratus_tui.core.diagram import Layout, LayoutMemory, build_graph, fit_layout, render
from stratus_tui.core.diagram.edges import STOP_EVERY
from stratus_tui.core.diagram.render import Superseded
from stratus_tui.core.store.design_file import load_design


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    path = write_design(120, tmp_path_factory.mktemp("d") / "d.yaml")
    return fit_layout(build_graph(load_design(path)), 100, 40, memory=LayoutMemory())


def test_stop_never_changes_nothing(layout: Layout) -> None:
    asked: list[int] = []

    def never() -> bool:
        asked.append(1)
        return False

    assert render(layout, stop=never) == render(layout)
    assert len(asked) >= len(layout.routes) // STOP_EVERY  # it was asked as it went


@pytest.mark.parametrize("after", [0, 1, 2])
def test_stop_ends_the_drawing(layout: Layout, after: int) -> None:
    asked: list[int] = []

    def later() -> bool:
        asked.append(1)
        return len(asked) > after

    with pytest.raises(Superseded):
        render(layout, stop=later)
    assert len(asked) == after + 1  # stopped at the first "yes"


def test_a_partial_picture_shows_what_the_full_one_shows_there(layout: Layout) -> None:
    """The first paint of a big diagram draws only the part on screen (vertical lines
    cut to its rows: a tall diagram's lines run thousands of rows past it); within the
    clip, lines, junctions, arrows and boxes are the full picture's."""
    full = render(layout)
    assert layout.height > 60
    for y0 in (0, layout.height // 3, layout.height - 30):
        clip = (0, y0, layout.width, y0 + 30)
        part = render(layout, clip=clip)
        assert part.partial
        for y in range(y0, min(y0 + 30, layout.height)):
            assert part.rows[y] == full.rows[y], y
        drawn = sum(len(r) for r in part.rows)
        assert drawn < sum(len(r) for r in full.rows)
