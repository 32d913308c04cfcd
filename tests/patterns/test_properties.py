"""Hypothesis properties of the engine over random partial DISCOVER answers."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.patterns import evaluate_all, facts_of, load_library, recommend
from stratus_tui.core.patterns.results import VERDICT_RANK
from tests.patterns.helpers import ANSWER_FACTS, make_design, partial_answers, value_for

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(partial_answers())
def test_random_partial_answers_never_crash(answers: dict[str, Any]) -> None:
    verdicts = recommend(make_design(answers))
    assert {v.pattern for v in verdicts} == set(load_library().patterns)
    assert [v.sort_key() for v in verdicts] == sorted(v.sort_key() for v in verdicts)
    for v in verdicts:
        assert v.verdict in VERDICT_RANK
        assert 0.0 <= v.confidence <= 1.0
        for r in v.reasons:  # every fired rule cites answers that are actually answered
            assert r.answers and all(value is not None for _k, value in r.values)
        for m in v.missing:
            assert all(
                answers.get(a) is None
                for a in m.answers
                if "." in a and not a.startswith(("design.", "derived."))
            )


@SETTINGS
@given(partial_answers(), st.randoms(use_true_random=False))
def test_verdicts_are_deterministic(answers: dict[str, Any], rnd: random.Random) -> None:
    design = make_design(answers)
    first = recommend(design)
    assert recommend(design) == first
    patterns = list(load_library().patterns.items())
    rnd.shuffle(patterns)  # the order patterns are evaluated in does not matter
    assert evaluate_all(dict(patterns), facts_of(design)) == first


@SETTINGS
@given(partial_answers(), st.data())
def test_an_answer_that_satisfies_an_avoid_rule_never_raises_the_score(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    unanswered = [f for f in ANSWER_FACTS if f not in answers]
    if not unanswered:
        return
    fact = data.draw(st.sampled_from(unanswered))
    more = answers | {fact: data.draw(value_for(fact))}
    before = {v.pattern: v for v in recommend(make_design(answers))}
    after = {v.pattern: v for v in recommend(make_design(more))}
    for pid, v in after.items():
        old_avoid = {r.text for r in before[pid].reasons if r.kind == "avoid"}
        new_avoid = {r.text for r in v.reasons if r.kind == "avoid"}
        if new_avoid > old_avoid:
            assert v.score <= before[pid].score, (pid, fact, more[fact])
        # answering a question never un-fires a rule: Kleene logic is monotone
        assert {r.text for r in before[pid].reasons} <= {r.text for r in v.reasons}
