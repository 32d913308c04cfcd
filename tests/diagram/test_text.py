"""Hostile labels are cleaned and cut so the grid keeps its width."""

from __future__ import annotations

import pytest

from stratus_tui.core.diagram import build_graph, draw
from stratus_tui.core.diagram.graph import TITLE_MAX
from stratus_tui.core.diagram.text import cell_width, fit, sanitise, to_cells

from .helpers import check_grid, check_layout, make

HOSTILE = [
    "line1\nline2\r\nline3",
    "tab\there",
    "中文服务名称非常长的服务名称",
    "emoji 🚀🚀🚀 rocket service",
    "e\u0301\u0301\u0301 combining",
    "zero\u200bwidth\u200djoiner",
    "bell\x07 and \x1b[31mred\x1b[0m escape",
    "x" * 300,
    "\u202eright to left override",
    "",
    "   ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_fit_never_exceeds_width_and_has_no_controls(text: str) -> None:
    for width in (1, 2, 5, 12):
        out = fit(text, width)
        assert cell_width(out) <= width
        assert "\n" not in out and "\x1b" not in out and "\u200b" not in out
        assert len(to_cells(out)) == cell_width(out)


def test_sanitise_keeps_readable_text() -> None:
    assert sanitise("  Order\n  service\t v2 ") == "Order service v2"
    assert fit("Payment Service", 30) == "Payment Service"
    assert fit("Payment Service", 8) == "Payment…"
    assert fit("中文中文", 5) == "中文…"


@pytest.mark.parametrize("engine", ["dot", "layered"])
def test_hostile_names_keep_the_grid_intact(engine: str) -> None:
    services = [(f"s{i}", HOSTILE[i % 4]) for i in range(len(HOSTILE))]
    design = make(services, [(f"s{i}", f"s{i + 1}", "sync") for i in range(len(HOSTILE) - 1)])
    design = design.model_copy(
        update={
            "services": tuple(
                s.model_copy(update={"name": HOSTILE[i], "runtime": HOSTILE[-i - 1]})
                for i, s in enumerate(design.services)
            ),
            "dependencies": tuple(
                d.model_copy(update={"label": HOSTILE[i]})
                for i, d in enumerate(design.dependencies)
            ),
        }
    )
    picture = draw(design, engine)  # type: ignore[arg-type]
    check_layout(picture.layout)
    check_grid(picture)
    for box in picture.layout.boxes:
        assert cell_width(box.title) <= TITLE_MAX
        for row in (box.y + 1, box.y + 2):
            inside = picture.line(row, box.x, box.x + box.w)
            assert inside[0] in "│║" and inside[-1] in "│║", inside
    text = "\n".join(picture.lines)
    assert "\x1b" not in text and "\x07" not in text and "\u200b" not in text


def test_the_graph_is_a_cache_key_that_ignores_what_is_not_drawn() -> None:
    base = make([("a", "x"), ("b", None)], [("a", "b", "sync")])
    g = build_graph(base)
    owner_changed = base.model_copy(
        update={
            "services": tuple(
                s.model_copy(update={"owner": "team", "replicas": 3}) for s in base.services
            )
        }
    )
    renamed = base.model_copy(
        update={"services": tuple(s.model_copy(update={"name": "New"}) for s in base.services)}
    )
    async_now = base.model_copy(
        update={
            "dependencies": tuple(d.model_copy(update={"mode": "async"}) for d in base.dependencies)
        }
    )
    assert build_graph(owner_changed) == g and hash(build_graph(owner_changed)) == hash(g)
    assert build_graph(renamed) != g
    assert build_graph(async_now) != g
