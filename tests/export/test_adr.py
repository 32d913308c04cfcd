"""MADR 4 decision records: front matter, sections, options, forces, safe file names."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from markdown_it import MarkdownIt
from ruamel.yaml import YAML

from stratus_tui.core.export.adr import decision_records
from stratus_tui.core.export.bundle import decisions_plan, write_plan
from stratus_tui.core.export.escape import clean_text
from stratus_tui.core.model import Decision, Design
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.rules import Pattern
from stratus_tui.core.store import load_design
from tests.export.strategies import designs

MD = MarkdownIt("commonmark")
MADR_SECTIONS = [
    "Context and Problem Statement",
    "Considered Options",
    "Decision Outcome",
    "Pros and Cons of the Options",
    "More Information",
]


def split_record(text: str) -> tuple[dict[str, object], list[object]]:
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return YAML(typ="safe").load(io.StringIO(front)), MD.parse(body)


def _heads(tokens: list[object], tag: str) -> list[str]:
    return [
        tokens[i + 1].content  # type: ignore[attr-defined]
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == tag  # type: ignore[attr-defined]
    ]


def _bullets(tokens: list[object], after: str) -> list[str]:
    """Texts of the first bullet list after the h2 `after`."""
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and t.content == after  # type: ignore[attr-defined]
    )
    items: list[str] = []
    for t in tokens[start:]:
        if t.type == "bullet_list_close":  # type: ignore[attr-defined]
            break
        if t.type == "inline" and items is not None and t is not tokens[start]:  # type: ignore[attr-defined]
            items.append("".join(c.content for c in t.children if c.type == "text"))  # type: ignore[attr-defined]
    return items


def _plain(inline: object) -> str:
    parts = []
    for child in inline.children:  # type: ignore[attr-defined]
        assert child.type in ("text", "html_inline"), child.type
        parts.append("\n" if child.type == "html_inline" else child.content)
        assert child.type == "text" or child.content == "<br>"
    return "".join(parts)


def test_sample_records_are_madr_with_the_patterns_forces() -> None:
    design = load_design(samples_dir() / "checkout.yaml")
    records = decision_records(design)
    assert list(records) == [
        "0001-use-a-saga-for-checkout.md",
        "0002-strangle-the-monolith-behind-the-gateway.md",
    ]
    front, tokens = split_record(records["0001-use-a-saga-for-checkout.md"])
    assert front == {"status": "accepted", "date": dt.date(2026, 10, 2)}
    assert _heads(tokens, "h1") == ["Use a saga for checkout"]
    # the optional MADR "Decision Drivers" come from the pattern engine's fired rules
    assert _heads(tokens, "h2") == [MADR_SECTIONS[0], "Decision Drivers", *MADR_SECTIONS[1:]]
    assert _bullets(tokens, "Considered Options") == [
        "Saga",
        "two-phase commit",
        "keep checkout in the monolith",
    ]
    text = records["0001-use-a-saga-for-checkout.md"]
    assert 'Chosen option: "Saga", because payment and order state live' in text
    # Pros and cons come from patterns/saga.yaml forces.
    assert "* Good, because no distributed locks or two-phase commit" in text
    assert "* Bad, because compensating actions for every step" in text
    assert "Related: Transactional outbox" in text
    # the problem statement is grounded in this design and the engine's verdict
    assert "A European online retailer" in text
    assert "STRATUS rates Saga **recommend** (score +4), in line with this record." in text
    drivers = _bullets(tokens, "Decision Drivers")
    assert any(
        d.startswith("For: Distributed transactions across services")
        and "workload.cross_service_transactions = yes" in d
        for d in drivers
    )
    assert any(d.startswith("Against: Strict consistency") for d in drivers)


def _iot_records() -> dict[str, str]:
    return decision_records(load_design(samples_dir() / "iot-telemetry.yaml"))


def test_a_rejected_decision_keeps_the_current_design_as_the_chosen_option() -> None:
    # adr-003 rejects microservices: the record must not read "Chosen option: Microservices"
    text = _iot_records()["0003-no-microservices-split-beyond-functions.md"]
    front, tokens = split_record(text)
    assert front["status"] == "rejected"
    assert 'Chosen option: "Microservices"' not in text
    assert (
        'Chosen option: keep the current design; "Microservices" is rejected, because five' in text
    )
    assert _bullets(tokens, "Considered Options")[0] == "keep the current design"
    # its consequences are the cons avoided and the pros given up
    assert "* Good, because it avoids: distributed-systems complexity" in text
    assert "* Bad, because it gives up: team autonomy" in text
    assert "rates Microservices **avoid** (score -8), in line with this record." in text


def test_a_record_against_the_engine_verdict_says_so() -> None:
    design = load_design(samples_dir() / "iot-telemetry.yaml")
    # accept event sourcing for a five-person team with no audit need
    decision = Decision(
        id="adr-9", title="Event-source readings", pattern="event-sourcing", status="accepted"
    )
    design = design.model_copy(update={"decisions": (decision,)})
    (text,) = decision_records(design).values()
    assert "**avoid**" in text and "against this record's status (accepted)" in text


def test_an_alternative_that_names_a_pattern_gets_its_forces() -> None:
    design = Design(
        name="x",
        decisions=(
            Decision(
                id="a",
                title="Split the shop",
                pattern="microservices",
                alternatives=("Modular monolith", "big-bang rewrite"),
            ),
        ),
    )
    (text,) = decision_records(design).values()
    section = text.split("### Modular monolith", 1)[1].split("###", 1)[0]
    assert "* Good, because" in section and "* Bad, because" in section
    rewrite = text.split("### big-bang rewrite", 1)[1]
    assert "* Neutral, because the design records no pros and cons for it" in rewrite


def _library(pattern: Pattern) -> SimpleNamespace:
    return SimpleNamespace(patterns={pattern.id: pattern})


def test_superseded_records_point_at_the_replacement_number() -> None:
    design = Design(
        name="x",
        decisions=(
            Decision(
                id="old",
                title="Old way",
                status="superseded",
                superseded_by="new",
                deciders=("Ann", 'Bo "B"'),
            ),
            Decision(id="new", title="New way", status="accepted"),
        ),
    )
    records = decision_records(design, _library(Pattern(id="p", name="P", summary="s")))
    front, _ = split_record(records["0001-old-way.md"])
    assert front == {"status": "superseded by ADR-0002", "decision-makers": ["Ann", 'Bo "B"']}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_hostile_records_parse_and_read_back(design: Design) -> None:
    library = _library(Pattern(id="saga", name="Saga", summary="S"))
    records = decision_records(design, library)
    assert len(records) == len(design.decisions)
    for (name, text), decision in zip(records.items(), design.decisions, strict=True):
        assert "/" not in name and ".." not in name and name.endswith(".md")
        front, tokens = split_record(text)
        assert front["status"] == "proposed"
        h1 = next(i for i, t in enumerate(tokens) if t.type == "heading_open")
        want = [ln.strip() for ln in clean_text(decision.title).strip().split("\n")]
        assert _plain(tokens[h1 + 1]) == ("\n".join(want) or "Untitled decision")
        assert _heads(tokens, "h2") == MADR_SECTIONS
        html = [t for t in tokens if t.type == "html_block"]
        assert html == []


def test_traversal_titles_stay_in_the_folder(tmp_path: Path) -> None:
    design = Design(
        name="x",
        decisions=(
            Decision(id="a", title="../../etc/passwd"),
            Decision(id="b", title="/absolute/path"),
            Decision(id="c", title=".."),
            Decision(id="d", title="C:\\windows\\system32"),
        ),
    )
    out = tmp_path / "decisions"
    write_plan(decisions_plan(design, _library(Pattern(id="p", name="P", summary="s"))), out)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == [
        "decisions/0001-etc-passwd.md",
        "decisions/0002-absolute-path.md",
        "decisions/0003-decision.md",
        "decisions/0004-c-windows-system32.md",
    ]


def test_outcome_reads_as_one_sentence_without_a_pattern() -> None:
    design = Design(
        name="x",
        decisions=(Decision(id="a", title="Keep Postgres", rationale="Because ACID matters."),),
    )
    (text,) = decision_records(design, _library(Pattern(id="p", name="P", summary="s"))).values()
    assert 'Chosen option: "Keep Postgres", because ACID matters.\n' in text
    assert "* Good, because ACID matters." in text
