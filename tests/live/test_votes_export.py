"""Dot-voting results reach the exports: the Markdown document and the board's Mermaid."""

from __future__ import annotations

from stratus_tui.core.export.document import to_markdown
from stratus_tui.core.export.storm import to_storm_mermaid
from stratus_tui.core.model import StormVote
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from tests.export.mdlint import lint_markdown


def test_votes_are_in_the_document_and_the_board_diagram() -> None:
    design = load_design(sample_path("checkout"))
    hotspot = next(i for i in design.event_storming.items if i.kind == "hotspot")
    votes = (StormVote(by="Ana", item=hotspot.id, dots=2), StormVote(by="Bo", item=hotspot.id))
    voted = design.model_copy(
        update={"event_storming": design.event_storming.model_copy(update={"votes": votes})}
    )
    markdown = to_markdown(voted)
    assert "Dot votes (most first):" in markdown
    assert f"| 3 | {hotspot.text.replace('|', '&#124;')} | hotspot |" in markdown
    assert lint_markdown(markdown) == []
    assert "(3 dots)" in to_storm_mermaid(voted)
    # Without votes nothing changes (the goldens of every sample stay as they are).
    assert "Dot votes" not in to_markdown(design)
    assert "dots)" not in to_storm_mermaid(design)
