"""Exported Mermaid rendered by a real browser (mermaid-cli + Chromium), not only parsed.

One design carries every hostile string (`$$\\frac{`, `$$x$$`, HTML, directives ...) as a
node name, a context title, an edge label and a sticky; its flowchart, C4 and storm
diagrams render in one Chromium and the flowcharts show every text exactly.
"""

from __future__ import annotations

import itertools

from stratus_tui.core.escape import clean_text
from stratus_tui.core.export.mermaid import to_mermaid, to_mermaid_c4
from stratus_tui.core.export.storm import to_storm_mermaid
from stratus_tui.core.model import (
    Dependency,
    Design,
    EventStorming,
    Service,
    StormContext,
    StormItem,
)
from tests.export.strategies import HOSTILE
from tests.support.mermaid_render import render_mermaid, svg_labels

MATH = ("$$\\frac{", "$$x$$", "$$\\frac{$$", "a $$\\sqrt{$$ b", "$x^2$")


def _hostile_design() -> Design:
    texts = list(dict.fromkeys((*MATH, *HOSTILE)))
    services = tuple(
        Service(id=f"s{i}", name=text, context=texts[i % 5]) for i, text in enumerate(texts)
    )
    deps = tuple(
        Dependency.model_validate({"from": a.id, "to": b.id, "label": b.name})
        for a, b in itertools.pairwise(services)
    )
    storm = EventStorming(
        contexts=(StormContext(id="ctx", name="$$\\frac{$$ lane"),),
        items=tuple(
            StormItem(id=f"e{i}", text=text, context="ctx" if i % 2 else None, order=i)
            for i, text in enumerate(texts)
        ),
    )
    return Design(
        name="$$\\frac{$$ design", services=services, dependencies=deps, event_storming=storm
    )


def _visible(text: str) -> str:
    # What a label shows: exactly the text (entity-coded padding survives Mermaid's trim).
    return clean_text(text)


def test_hostile_diagrams_render_in_a_browser_and_show_every_text_exactly() -> None:
    design = _hostile_design()
    sources = [to_mermaid(design), to_mermaid_c4(design), to_storm_mermaid(design)]
    results = render_mermaid(sources)
    for name, result in zip(("topology", "c4", "storm"), results, strict=True):
        assert result["ok"], f"{name}: {result.get('error')}"
        svg = result["svg"]
        assert "<svg" in svg and 'class="error-text"' not in svg, name
        assert "katex" not in svg.replace(".katex", ""), f"{name}: a label became math"
        assert "<script" not in svg and "<img" not in svg, name  # only as text
    topology = set(svg_labels(results[0]["svg"]))
    for s in design.services:
        assert _visible(s.label) in topology, s.label
    for d in design.dependencies:
        assert _visible(d.label or "") in topology, d.label
    storm = set(svg_labels(results[2]["svg"]))
    for item in design.event_storming.items:
        assert _visible(item.text) in storm, item.text


def test_raw_math_would_break_the_render() -> None:
    """The harness sees what a browser sees: unescaped invalid TeX fails to render."""
    (result,) = render_mermaid(['flowchart LR\n  n_a["$$\\frac{$$"] --> n_b["ok"]\n'])
    assert not result["ok"]
    assert "KaTeX" in result["error"]
