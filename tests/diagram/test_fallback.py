"""When dot is missing, fails or hangs, the built-in layout takes over and says so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from stratus_tui.core.diagram import build_graph, draw, layout_graph

from .helpers import check_frames, check_grid, check_layout, make


def design():
    return make([("a", "x"), ("b", "x"), ("c", None)], [("a", "b", "sync"), ("b", "c", "async")])


def fake_dot(tmp_path: Path, body: str) -> None:
    script = tmp_path / "dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_missing_dot_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot on PATH
    picture = draw(design(), "auto")
    assert picture.layout.engine == "layered"
    assert picture.layout.notes == ("Graphviz dot not found",)
    assert "built-in (Graphviz dot not found)" in picture.lines[0]
    check_layout(picture.layout)
    check_frames(picture.layout, design())
    check_grid(picture)


def test_failing_dot_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path, "echo 'Error: broken' >&2; exit 3")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    layout = layout_graph(build_graph(design()), "dot")
    assert layout.engine == "layered" and layout.notes == ("dot failed: ValueError",)
    check_layout(layout)


def test_garbage_from_dot_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path, "cat >/dev/null; echo 'graph 1 2 3'; echo 'node n0 x y'; echo stop")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    layout = layout_graph(build_graph(design()), "dot")
    assert layout.engine == "layered"
    check_layout(layout)


def test_out_of_range_node_from_dot_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dot(tmp_path, "cat >/dev/null; echo 'node n999 1 2 3 4'; echo stop")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    layout = layout_graph(build_graph(design()), "dot")
    assert layout.engine == "layered" and layout.notes == ("dot failed: ValueError",)


def test_hanging_dot_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path, "exec sleep 5")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    layout = layout_graph(build_graph(design()), "dot", timeout=0.3)
    assert layout.engine == "layered" and layout.notes == ("dot failed: TimeoutExpired",)
    check_layout(layout)


def test_layered_engine_never_calls_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "called"
    fake_dot(tmp_path, f"touch {marker}; exit 1")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    layout = layout_graph(build_graph(design()), "layered")
    assert layout.engine == "layered" and layout.notes == () and not marker.exists()
