"""Turn pydantic's validation errors into messages people can act on, and keep going.

`validate_data` reports *every* problem at once: when pydantic rejects some fields, it
removes just those (or, for a broken required field, the list item holding it) from a
copy of the data, validates the rest, and runs the cross-reference checks on what is
left, mapping their locations back onto the original document.
"""

from __future__ import annotations

import copy
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..model import ID_PATTERN, LABEL_PATTERN, METRIC_PATTERN, QUANTITY_PATTERN, Design
from ..problems import Loc, Problem, did_you_mean
from .validation import check_references

_TYPE_WORDS = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "model_type": "expected a mapping of keys",
    "model_attributes_type": "expected a mapping of keys",
    "dict_type": "expected a mapping of keys",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "expected a date (YYYY-MM-DD)",
}


def where(loc: Loc) -> str:
    """`services[2].slo.availability` for ("services", 2, "slo", "availability")."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _unwrap(annotation: Any) -> type[BaseModel] | None:
    """The model class inside Optional[...] / tuple[X, ...] / Annotated[...], if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
    return None


def model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping found at `loc` in a design document."""
    cls: type[BaseModel] | None = Design
    for part in loc:
        if isinstance(part, int):
            continue
        if cls is None:
            return None
        field = _field(cls, part)
        cls = _unwrap(field.annotation) if field is not None else None
    return cls


def _field(cls: type[BaseModel], key: str) -> Any:
    for name, info in cls.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def field_names(cls: type[BaseModel]) -> list[str]:
    """The keys a file may use for `cls`: aliases where they exist."""
    return [info.alias or name for name, info in cls.model_fields.items()]


# What each pattern of the model asks for, in words (pydantic only gives the regex).
_PATTERNS = {
    ID_PATTERN: "is not a valid id: 1-64 letters, digits, '_', '-' or '.', "
    "starting with a letter or digit",
    QUANTITY_PATTERN: "is not a Kubernetes quantity: a number with an optional unit"
    " (m, k, Ki, M, Mi, G, Gi, T, Ti), e.g. 250m or 256Mi",
    METRIC_PATTERN: "is not a Prometheus metric name: letters, digits, '_' and ':',"
    " not starting with a digit",
    LABEL_PATTERN: "is not a Prometheus label name: letters, digits and '_',"
    " not starting with a digit",
}


def _message(err: Any) -> str:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    at = where(loc)
    if kind == "extra_forbidden":
        cls = model_at(loc[:-1])
        hint = did_you_mean(str(loc[-1]), field_names(cls)) if cls is not None else ""
        parent = where(loc[:-1]) or "the design"
        return f"{parent}: unknown key {loc[-1]!r}{hint}"
    if kind == "invalid_key":
        parent = where(loc[:-1]) or "the design"
        key = "null" if loc[-1] == "None" else repr(loc[-1])  # pydantic says 'None' for ~
        return f"{parent}: key {key} is not a word; keys are names like 'services'"
    if kind == "missing":
        if loc == ("name",):
            return "missing 'name': every design needs one, e.g. 'name: Checkout platform'"
        parent = where(loc[:-1]) or "the design"
        return f"{parent}: missing required key {loc[-1]!r}"
    if kind == "literal_error":
        return f"{at}: {value!r} is not allowed; use one of {ctx.get('expected', '?')}"
    if kind == "string_pattern_mismatch":
        what = _PATTERNS.get(ctx.get("pattern", ""), f"does not match {ctx.get('pattern')!r}")
        return f"{at}: {value!r} {what}"
    if kind == "greater_than_equal":
        return f"{at}: must be at least {ctx.get('ge')} (got {value!r})"
    if kind == "less_than_equal":
        return f"{at}: must be at most {ctx.get('le')} (got {value!r})"
    if kind in _TYPE_WORDS:
        return f"{at}: {_TYPE_WORDS[kind]}, got {_describe(value)}"
    msg = str(err["msg"])
    return f"{at}: {msg[:1].lower()}{msg[1:]}"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


def explain(exc: ValidationError) -> list[Problem]:
    """One Problem per pydantic error, with a message and the document location."""
    return [
        Problem(
            _message(err),
            tuple(err["loc"]),
            value_position=err["type"] not in ("extra_forbidden", "invalid_key"),
        )
        for err in exc.errors(include_url=False)
    ]


# --------------------------------------------------------------------------- salvage


def _required(loc: Loc) -> bool:
    cls = model_at(loc[:-1])
    if cls is None or isinstance(loc[-1], int):
        return False
    field = _field(cls, str(loc[-1]))
    return bool(field is not None and field.is_required())


def _salvage(data: dict[str, Any], errors: list[Any]) -> tuple[dict[str, Any], dict[Loc, int]]:
    """A copy of `data` without the parts pydantic rejected; dropped list items by loc."""
    fixed = copy.deepcopy(data)
    drops: dict[Loc, int] = {}  # (list path..., index) -> 1
    for err in errors:
        loc: Loc = tuple(err["loc"])
        if not loc:
            continue
        ints = [i for i, part in enumerate(loc) if isinstance(part, int)]
        if loc == ("name",):
            fixed["name"] = "?"
        elif len(loc) == 1:
            fixed.pop(str(loc[0]), None)
        elif err["type"] == "extra_forbidden" or not _required(loc):
            parent = _walk(fixed, loc[:-1])
            if isinstance(parent, dict):
                parent.pop(loc[-1], None)
            elif isinstance(parent, list) and ints:
                drops[loc[: ints[-1] + 1]] = 1
        elif ints:
            drops[loc[: ints[-1] + 1]] = 1
    # Drop from the end so earlier indices stay valid.
    for item in sorted(drops, key=lambda p: (len(p), p[-1]), reverse=True):
        parent = _walk(fixed, item[:-1])
        if isinstance(parent, list) and isinstance(item[-1], int) and item[-1] < len(parent):
            del parent[item[-1]]
    return fixed, drops


def _walk(node: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def _original_loc(loc: Loc, drops: dict[Loc, int]) -> Loc:
    """Map a loc in the salvaged data back to the original document."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            prefix = tuple(out)
            index = part
            for original in sorted(p[-1] for p in drops if p[:-1] == prefix):
                if isinstance(original, int) and original <= index:
                    index += 1
            out.append(index)
        else:
            out.append(part)
    return tuple(out)


def _dropped_ids(data: dict[str, Any], drops: dict[Loc, int]) -> set[str]:
    ids: set[str] = set()
    for item in drops:
        node = _walk(data, item)
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            ids.add(node["id"])
    return ids


def validate_data(data: dict[str, Any]) -> tuple[Design | None, list[Problem]]:
    """Validate file-shaped data: the design (when valid) and every problem found."""
    try:
        design = Design.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = explain(exc)
    else:
        return design, check_references(design)
    fixed, drops = _salvage(data, errors)
    try:
        partial = Design.model_validate(fixed)
    except ValidationError:
        return None, problems  # could not isolate the damage: report what pydantic said
    dropped = _dropped_ids(data, drops)
    seen = {p.loc for p in problems}
    for p in check_references(partial):
        loc = _original_loc(p.loc, drops)
        if _walk(data, loc) in dropped or loc in seen:
            continue  # a consequence of an item already reported as broken
        problems.append(Problem(p.message, loc))
    return None, problems
