"""Sequence diagrams without walking each flow's whole reach (issue 21): participant ids
come from one table per design when no two ids look alike (`a-b`, `a.b`), and a service
outside a flow's steps draws its calls from one list per design. The diagrams are the
ones the per-flow walk gave, look-alike ids included."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.graphs import make_data
from stratus_tui.core.export import sequence
from stratus_tui.core.flows import flows_of
from stratus_tui.core.model import Design


def _diagrams(design: Design) -> list[str]:
    return [sequence.to_sequence(design, f) for f in sequence.sequence_flows(design)]


def _per_flow(design: Design, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The diagrams as the per-flow walk draws them."""
    with monkeypatch.context() as m:
        m.setattr(sequence, "_plain_ids", lambda _topo: None)
        return _diagrams(design)


def test_a_realistic_design_draws_the_same_diagrams_without_walking_flows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    design = Design.model_validate(make_data(120))
    expected = _per_flow(design, monkeypatch)
    assert len(expected) > 5

    def walked(*_args: Any) -> list[str]:
        raise AssertionError("a flow's reach was walked")

    monkeypatch.setattr(sequence, "_components", walked)
    assert _diagrams(design) == expected


def test_look_alike_ids_still_get_their_own_participants(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "look-alikes",
            "services": [{"id": "api"}, {"id": "a-b"}, {"id": "a.b"}, {"id": "a_b"}],
            "dependencies": [
                {"from": "api", "to": "a-b", "mode": "sync"},
                {"from": "a-b", "to": "a.b", "mode": "sync"},
                {"from": "api", "to": "a_b", "mode": "async"},
            ],
        }
    )
    assert flows_of(design)
    got = _diagrams(design)
    assert got == _per_flow(design, monkeypatch)
    assert any("n_a_b_" in d for d in got)  # hashed apart, as before
