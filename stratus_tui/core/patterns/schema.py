"""The schema of a pattern file, validated by pydantic with `extra="forbid"`.

A condition is a leaf `{fact, op, value}` or a group `{all: [...]}`, `{any: [...]}`,
`{not: ...}`; groups nest at most two levels deep. Leaves are checked against the fact
catalogue and the operator registry when the file loads, so a typo in a fact, an unknown
operator or a value of the wrong type is reported with the file and line, never at run
time. Nothing in a pattern file is ever evaluated as code.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)

from ..model import ID_PATTERN
from ..problems import did_you_mean
from .facts import FACTS, FactSpec
from .operators import OPERATORS, Operator

MAX_DEPTH = 2
"""Groups (all/any/not) nest at most this many levels."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


def _check_scalar(spec: FactSpec, value: Any) -> str | None:
    """Why `value` cannot be compared with fact `spec`, or None when it can."""
    kind = spec.type
    ok = (
        (kind == "bool" and isinstance(value, bool))
        or (kind == "int" and isinstance(value, int) and not isinstance(value, bool))
        or (kind == "number" and isinstance(value, int | float) and not isinstance(value, bool))
        or (kind == "text" and isinstance(value, str))
    )
    if not ok:
        return f"{spec.name} is {'a' if kind != 'int' else 'an'} {kind}; got {value!r}"
    if kind == "text" and spec.choices and value.lower() not in spec.choices:
        return (
            f"{value!r} is not a value of {spec.name} ({', '.join(spec.choices)})"
            + did_you_mean(value.lower(), spec.choices)
        )
    return None


class Leaf(_Strict):
    """One comparison of a fact with a value."""

    fact: str
    """Dotted fact name, e.g. team.engineers (see `stratus recommend FILE --facts`)."""
    op: str
    """Operator name from the registry (eq, gte, in, contains, is_true ...)."""
    value: Any = Field(default=None, validate_default=True)
    """What the fact is compared with; absent for is_true / is_set and the like."""

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, fact: str) -> str:
        if fact not in FACTS:
            raise ValueError(f"unknown fact {fact!r}" + did_you_mean(fact, FACTS))
        return fact

    @field_validator("op")
    @classmethod
    def _known_op(cls, op: str, info: ValidationInfo) -> str:
        if op not in OPERATORS:
            raise ValueError(f"unknown operator {op!r}" + did_you_mean(op, OPERATORS))
        spec = FACTS.get(info.data.get("fact", ""))
        if spec is not None and spec.type not in OPERATORS[op].types:
            usable = sorted(n for n, o in OPERATORS.items() if spec.type in o.types)
            raise ValueError(
                f"operator {op!r} does not apply to {spec.name} ({spec.type}); "
                f"use one of {', '.join(usable)}"
            )
        return op

    @field_validator("value")
    @classmethod
    def _value_fits(cls, value: Any, info: ValidationInfo) -> Any:
        spec = FACTS.get(info.data.get("fact", ""))
        op = OPERATORS.get(info.data.get("op", ""))
        if spec is None or op is None or spec.type not in op.types:
            return value  # the fact or op error is already reported
        problem = _value_problem(spec, op, value)
        if problem:
            raise ValueError(problem)
        return tuple(value) if isinstance(value, list) else value


def _value_problem(spec: FactSpec, op: Operator, value: Any) -> str | None:
    if op.shape == "none":
        return None if value is None else f"operator {op.name!r} takes no value"
    if value is None:
        return f"operator {op.name!r} needs a value"
    if op.shape == "scalar":
        return _check_scalar(spec, value)
    if op.shape == "item":
        return None if isinstance(value, str) else f"operator {op.name!r} needs one text item"
    if not isinstance(value, list) or not value:
        return f"operator {op.name!r} needs a non-empty list of values"
    if op.shape == "items":
        bad = [v for v in value if not isinstance(v, str)]
        return f"operator {op.name!r} needs text items; got {bad[0]!r}" if bad else None
    for item in value:
        problem = _check_scalar(spec, item)
        if problem:
            return problem
    return None


def _tag(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {
            Leaf: "leaf-condition",
            AllOf: "all-condition",
            AnyOf: "any-condition",
            NotOf: "not-condition",
        }.get(type(value))
    if not isinstance(value, dict):
        return None
    keys = set(value)
    if "fact" in keys or "op" in keys:
        return "leaf-condition"
    for group in ("all", "any", "not"):
        if keys == {group}:
            return f"{group}-condition"
    return None


Condition = Annotated[
    Annotated["Leaf", Tag("leaf-condition")]
    | Annotated["AllOf", Tag("all-condition")]
    | Annotated["AnyOf", Tag("any-condition")]
    | Annotated["NotOf", Tag("not-condition")],
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is {fact, op, value} or exactly one of all: [...], any: [...], not: {...}"
        ),
    ),
]

CONDITION_TAGS = frozenset({"leaf-condition", "all-condition", "any-condition", "not-condition"})
"""Union tags pydantic puts into error locations; stripped before mapping to lines."""


class AllOf(_Strict):
    """True when every condition holds."""

    all_: tuple[Condition, ...] = Field(alias="all", min_length=1)


class AnyOf(_Strict):
    """True when at least one condition holds."""

    any_: tuple[Condition, ...] = Field(alias="any", min_length=1)


class NotOf(_Strict):
    """True when the condition does not hold."""

    not_: Condition = Field(alias="not")


def children(cond: Leaf | AllOf | AnyOf | NotOf) -> tuple[Leaf | AllOf | AnyOf | NotOf, ...]:
    """The direct sub-conditions of a group (none for a leaf)."""
    if isinstance(cond, AllOf):
        return cond.all_
    if isinstance(cond, AnyOf):
        return cond.any_
    if isinstance(cond, NotOf):
        return (cond.not_,)
    return ()


def depth(cond: Leaf | AllOf | AnyOf | NotOf) -> int:
    """Group nesting depth: 0 for a leaf, 1 for a group of leaves ..."""
    subs = children(cond)
    return 0 if not subs else 1 + max(depth(c) for c in subs)


def leaves(cond: Leaf | AllOf | AnyOf | NotOf) -> list[Leaf]:
    """Every leaf of a condition, in file order."""
    if isinstance(cond, Leaf):
        return [cond]
    return [leaf for c in children(cond) for leaf in leaves(c)]


def _shallow(cond: Any) -> Any:
    if depth(cond) > MAX_DEPTH:
        raise ValueError(f"conditions nest at most {MAX_DEPTH} levels of all/any/not")
    return cond


Scope = Literal["request-path", "off-request-path"]

SCOPES: dict[str, str] = {
    "request-path": "on the request path",
    "off-request-path": "off the request path (asynchronous consumers and workers)",
}
"""Scope id -> how a verdict names it."""


class Criterion(_Strict):
    """A situation that speaks for (use_when) or against (avoid_when) the pattern."""

    text: str = Field(min_length=1)
    """The sentence shown to the user when the rule fires."""
    when: Condition
    """The declarative condition."""
    weight: float = Field(default=1, gt=0, le=10)
    """How strongly the rule counts (1 = a hint, 3 = a strong reason, 5 = decisive)."""
    seed: str | None = None
    """The phrase of the STRATUS 'When to Use What' table this rule encodes, if any."""
    scope: Scope | None = None
    """Where the rule holds: on the request path or off it (async consumers, workers);
    absent = everywhere. A pattern with scoped rules gets a verdict per scope."""

    _depth = field_validator("when")(_shallow)


class GroupStep(_Strict):
    """This pattern's place in a 'pick one' group: patterns that answer the same force."""

    id: str = Field(pattern=ID_PATTERN)
    """The group, e.g. read-scaling; every member names the same id."""
    force: str | None = None
    """The force the group answers ('Reads outgrow the primary store'); one member says it."""
    step: int = Field(ge=1, le=20)
    """Order inside the group: 1 = start here; higher = move to it later."""
    when: str = Field(min_length=1)
    """For step 1, why to start here; else the trigger to move here ('when ...')."""
    trigger: Condition | None = None
    """The trigger as a condition over the facts, when one can tell it already holds."""
    instead_of: str | None = None
    """An alternative this step rules out, and why ('two-phase commit across services: ...')."""

    _trigger_depth = field_validator("trigger")(lambda c: c if c is None else _shallow(c))


class Forces(_Strict):
    """Pros and cons of the pattern, used to fill decision records."""

    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()


class Related(_Strict):
    """A pattern that goes with this one, and why."""

    id: str = Field(pattern=ID_PATTERN)
    why: str = Field(min_length=1)


class Pattern(_Strict):
    """One pattern file."""

    id: str = Field(pattern=ID_PATTERN)
    """Unique id; a file in a user library with the same id replaces the built-in one."""
    name: str = Field(min_length=1)
    """Display name."""
    summary: str = Field(min_length=1)
    """One paragraph: what it is and what it costs."""
    applies_when: Condition | None = None
    """When this is false the pattern is not applicable at all."""
    use_when: tuple[Criterion, ...] = ()
    """Situations that speak for the pattern."""
    avoid_when: tuple[Criterion, ...] = ()
    """Situations that speak against it."""
    forces: Forces = Field(default_factory=Forces)
    """Pros and cons."""
    related: tuple[Related, ...] = ()
    """Patterns that go with it."""
    references: tuple[str, ...] = ()
    """Where to read more."""
    group: GroupStep | None = None
    """The 'pick one' group it belongs to, and its step there."""
    promote_when: str | None = None
    """The trigger that makes it worth doing now when it is recommended for later."""

    _gate_depth = field_validator("applies_when")(lambda c: c if c is None else _shallow(c))


for _model in (AllOf, AnyOf, NotOf, Criterion, GroupStep, Pattern):
    _model.model_rebuild()

FIELD_NAMES = frozenset(
    name
    for model in (Leaf, AllOf, AnyOf, NotOf, Criterion, Forces, Related, GroupStep, Pattern)
    for name, info in model.model_fields.items()
    for name in (info.alias or name,)
)
"""Every key a pattern file may use, for 'did you mean' on a misspelt key."""
