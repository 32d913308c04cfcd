"""Accepting or rejecting a pattern writes a decision a reviewer accepts (issue 15, item 3)."""

from __future__ import annotations

import datetime as dt

from stratus_tui.core.decide import (
    DO_NOTHING,
    cited_answers,
    decision_from_verdict,
    record_decision,
)
from stratus_tui.core.escape import adr_filename, slug
from stratus_tui.core.export.adr import decision_records
from stratus_tui.core.model import Decision, Design
from stratus_tui.core.patterns import Verdict, load_library, recommend
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import load_design
from tests.export.mdlint import lint_markdown

DAY = dt.date(2026, 11, 2)


def _sample(name: str) -> Design:
    return load_design(samples_dir() / f"{name}.yaml")


def _verdict(design: Design, pattern: str) -> Verdict:
    return next(v for v in recommend(design) if v.pattern == pattern)


def _record(design: Design, decision: Decision) -> str:
    records = decision_records(record_decision(design, decision))
    number = len(design.decisions) + 1
    return records[adr_filename(number, decision.title)]


def test_accepting_lists_the_pick_one_group_and_do_nothing_never_related_notes() -> None:
    design = _sample("payments-ledger")
    verdict = _verdict(design, "read-replicas")
    library = load_library()
    decision = decision_from_verdict(design, verdict, True, library, DAY)
    group = library.patterns["read-replicas"].group
    assert group is not None
    others = sorted(
        (p for p in library.patterns.values() if p.group and p.group.id == group.id),
        key=lambda p: p.group.step if p.group else 0,
    )
    want = [p.name for p in others if p.id != "read-replicas"]
    assert len(want) >= 2
    assert list(decision.alternatives) == [*want, DO_NOTHING]
    related = {r.why for r in library.patterns["read-replicas"].related}
    assert not related & set(decision.alternatives)
    assert decision.status == "accepted" and decision.date == DAY
    text = _record(design, decision)
    options = text.split("## Considered Options\n\n", 1)[1].split("\n\n", 1)[0]
    assert options.splitlines() == [f"* {n}" for n in ["Read replicas", *want, DO_NOTHING]]
    assert lint_markdown(text) == []


def test_context_cites_the_answers_that_drove_the_verdict() -> None:
    design = _sample("checkout")
    verdict = _verdict(design, "outbox")
    decision = decision_from_verdict(design, verdict, True, today=DAY)
    assert decision.context is not None
    assert decision.context.startswith("Should Checkout platform adopt Transactional outbox?")
    assert "Async fan-out: yes" in decision.context
    assert "Cross-service transactions: yes" in decision.context
    assert cited_answers(verdict) == [
        ("Async fan-out", "yes"),
        ("Cross-service transactions", "yes"),
    ]
    # The rationale is the strongest reason, not every reason glued with "; ".
    assert decision.rationale is not None and "; " not in decision.rationale.replace(":", "")


def test_record_reads_right_consequences_are_a_list_without_capitalised_articles() -> None:
    design = _sample("checkout")
    decision = decision_from_verdict(design, _verdict(design, "outbox"), True, today=DAY)
    text = _record(design, decision)
    assert "Bad, because A relay" not in text
    assert "* Bad, because a relay (poller or CDC) to run and monitor" in text
    consequences = text.split("### Consequences\n\n", 1)[1].split("\n\n", 1)[0]
    assert all(line.startswith("* ") for line in consequences.splitlines())
    assert 'Chosen option: "Transactional outbox", because ' in text
    assert lint_markdown(text) == []


def test_rejecting_keeps_the_current_design_and_weighs_the_group() -> None:
    design = _sample("payments-ledger")
    decision = decision_from_verdict(design, _verdict(design, "cache-aside"), False, today=DAY)
    assert decision.title == "Do not adopt Cache-aside"
    assert DO_NOTHING not in decision.alternatives  # the record's own first option
    text = _record(design, decision)
    assert 'Chosen option: "Keep the current design"; "Cache-aside" is rejected' in text
    assert "* Keep the current design\n* Cache-aside\n" in text
    assert lint_markdown(text) == []


def test_a_second_verdict_updates_status_and_keeps_what_a_person_wrote() -> None:
    design = _sample("checkout")  # adr-001 accepts saga with a hand-written rationale
    before = next(d for d in design.decisions if d.pattern == "saga")
    decision = decision_from_verdict(design, _verdict(design, "saga"), False, today=DAY)
    after = next(d for d in record_decision(design, decision).decisions if d.pattern == "saga")
    assert after.id == before.id and after.status == "rejected" and after.date == DAY
    assert after.rationale == before.rationale and after.title == before.title
    assert after.alternatives == before.alternatives


def test_slug_is_cut_between_whole_words_and_not_on_a_small_word() -> None:
    title = "Orders and payments coordinate with an orchestrated saga instead of 2PC"
    assert (
        slug(title)
        == "orders-and-payments-coordinate-with-an-orchestrated"[:50].rsplit("-with", 1)[0]
    )
    assert slug(title) == "orders-and-payments-coordinate"
    assert slug("Use a saga for checkout") == "use-a-saga-for-checkout"
    assert slug("x" * 80) == "x" * 50
    cut = slug("alpha " * 20)
    assert cut.split("-") == ["alpha"] * 8
