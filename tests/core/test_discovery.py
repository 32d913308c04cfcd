"""The questionnaire is derived once (issue 13): DISCOVER draws it, the pattern engine's
answer facts are named and typed from it, and the written-out list equals the model's."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from stratus_tui.core.discovery import QUESTIONS, SECTIONS, derive_questions
from stratus_tui.core.model import Discovery
from stratus_tui.core.patterns.facts import FACTS


def test_the_written_out_questions_are_the_models() -> None:
    # On failure: python -m stratus_tui.core.discovery && ruff format that file.
    assert derive_questions() == QUESTIONS


def _leaf_fields() -> list[str]:
    names = []
    for section, info in Discovery.model_fields.items():
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        names += [f"{section}.{name}" for name in model.model_fields]
    return names


def test_every_discovery_answer_of_the_file_is_one_question_in_file_order() -> None:
    assert [q.name for q in QUESTIONS] == _leaf_fields()
    assert [s[0] for s in SECTIONS] == list(Discovery.model_fields)


def test_the_engines_answer_facts_are_the_questions() -> None:
    answers = [spec for spec in FACTS.values() if not spec.derived]
    assert [a.name for a in answers] == [q.name for q in QUESTIONS]
    for fact, question in zip(answers, QUESTIONS, strict=True):
        assert fact.choices == question.choices
        assert fact.description == question.help
        expected = {"float": "number", "items": "list", "choice": "text"}.get(
            question.kind, question.kind
        )
        assert fact.type == expected, question.name


def test_a_choice_question_offers_exactly_the_models_literal_values() -> None:
    for question in QUESTIONS:
        section, name = question.name.split(".", 1)
        section_model = Discovery.model_fields[section].annotation
        assert isinstance(section_model, type) and issubclass(section_model, BaseModel)
        annotation = section_model.model_fields[name].annotation
        literals = [
            a for a in typing.get_args(annotation) if typing.get_origin(a) is typing.Literal
        ]
        if typing.get_origin(annotation) is typing.Literal:
            literals = [annotation]
        if literals:
            assert question.kind == "choice"
            assert question.choices == tuple(str(v) for v in typing.get_args(literals[0]))
        else:
            assert question.choices == ()
