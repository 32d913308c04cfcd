"""The operator registry: every `op` a condition leaf may use, as plain functions.

Each operator says which fact types it applies to and what its `value` must be, so a
pattern file that compares a boolean with `gte` or gives `in` a number fails at load.
Operators only see known values: the engine treats an unanswered fact as unknown before
any operator runs (except `is_set` / `is_unset`, which are about being answered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .facts import FactType

# What the leaf's `value` must be: nothing, one value of the fact's type, a list of such
# values, or (for list facts) one text item / a list of text items.
ValueShape = Literal["none", "scalar", "list", "item", "items"]

_ORDERED: frozenset[FactType] = frozenset({"int", "number"})
_ALL: frozenset[FactType] = frozenset({"int", "number", "bool", "text", "list"})
_SCALARS: frozenset[FactType] = frozenset({"int", "number", "bool", "text"})


@dataclass(frozen=True, slots=True)
class Operator:
    """One comparison: its function, the fact types it accepts, its value shape, symbol."""

    name: str
    fn: Callable[[Any, Any], bool]
    types: frozenset[FactType]
    shape: ValueShape
    symbol: str
    description: str
    needs_answer: bool = True


def _items(fact: Any) -> list[str]:
    return [str(x).lower() for x in fact]


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("eq", lambda f, v: _lower(f) == _lower(v), _SCALARS, "scalar", "=", "equals"),
        Operator(
            "ne", lambda f, v: _lower(f) != _lower(v), _SCALARS, "scalar", "!=", "differs from"
        ),
        Operator("lt", lambda f, v: bool(f < v), _ORDERED, "scalar", "<", "less than"),
        Operator("lte", lambda f, v: bool(f <= v), _ORDERED, "scalar", "<=", "at most"),
        Operator("gt", lambda f, v: bool(f > v), _ORDERED, "scalar", ">", "more than"),
        Operator("gte", lambda f, v: bool(f >= v), _ORDERED, "scalar", ">=", "at least"),
        Operator(
            "in",
            lambda f, v: _lower(f) in [_lower(x) for x in v],
            _SCALARS,
            "list",
            "in",
            "is one of",
        ),
        Operator(
            "not_in",
            lambda f, v: _lower(f) not in [_lower(x) for x in v],
            _SCALARS,
            "list",
            "not in",
            "is none of",
        ),
        Operator(
            "contains",
            lambda f, v: str(v).lower() in _items(f),
            frozenset({"list"}),
            "item",
            "contains",
            "list contains the item",
        ),
        Operator(
            "not_contains",
            lambda f, v: str(v).lower() not in _items(f),
            frozenset({"list"}),
            "item",
            "lacks",
            "list does not contain the item",
        ),
        Operator(
            "contains_any",
            lambda f, v: any(str(x).lower() in _items(f) for x in v),
            frozenset({"list"}),
            "items",
            "contains any of",
            "list contains at least one of the items",
        ),
        Operator(
            "contains_all",
            lambda f, v: all(str(x).lower() in _items(f) for x in v),
            frozenset({"list"}),
            "items",
            "contains all of",
            "list contains every item",
        ),
        Operator(
            "is_empty",
            lambda f, v: len(f) == 0,
            frozenset({"list"}),
            "none",
            "is empty",
            "answered with an empty list",
        ),
        Operator(
            "is_not_empty",
            lambda f, v: len(f) > 0,
            frozenset({"list"}),
            "none",
            "is not empty",
            "answered with at least one item",
        ),
        Operator(
            "is_true",
            lambda f, v: f is True,
            frozenset({"bool"}),
            "none",
            "is true",
            "answered yes",
        ),
        Operator(
            "is_false",
            lambda f, v: f is False,
            frozenset({"bool"}),
            "none",
            "is false",
            "answered no",
        ),
        Operator(
            "is_set",
            lambda f, v: f is not None,
            _ALL,
            "none",
            "is answered",
            "has any answer",
            needs_answer=False,
        ),
        Operator(
            "is_unset",
            lambda f, v: f is None,
            _ALL,
            "none",
            "is unanswered",
            "has no answer",
            needs_answer=False,
        ),
    )
}
"""Operator name -> Operator. Adding an entry here is the only way to add an `op`."""
