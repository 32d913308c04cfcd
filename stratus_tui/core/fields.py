"""The fields of a model as a form sees them: dotted name, label, help, kind, choices.

Derived from the pydantic models by `specs_for`; the UI's forms draw them and the
questionnaire (`core.discovery`) is a written-out list of them. Importing this module
does not import pydantic: only deriving specs does.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Union

if TYPE_CHECKING:
    from pydantic import BaseModel

Kind = Literal["text", "int", "float", "choice", "bool", "list", "items", "date"]


@dataclass(frozen=True)
class FieldSpec:
    """One editable field: `name` is a dotted path inside the model ("slo.availability")."""

    name: str
    label: str
    help: str = ""
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    optional: bool = True
    group: str = ""


def unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional) for `X | None`, stripping Annotated."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0] if len(args) == 1 else annotation
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional


def specs_for(
    model: type[BaseModel],
    *,
    exclude: tuple[str, ...] = (),
    prefix: str = "",
    group: str = "",
    labels: dict[str, str] | None = None,
    strip: str = "",
) -> list[FieldSpec]:
    """Field specs for every field of `model` (nested models flattened with dotted names)."""
    from pydantic import BaseModel

    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        if name in exclude:
            continue
        inner, none_ok = unwrap_optional(info.annotation)
        optional = none_ok or not info.is_required()
        full = f"{prefix}{name}"
        shown = full.removeprefix(strip)
        label = (labels or {}).get(full, shown.replace("_", " ").replace(".", " · "))
        help_text = (info.description or "").strip()
        if help_text == _id_syntax():
            # An id field's description is the id syntax; its docstring says what it is.
            help_text = _attribute_docs(model).get(name, "").strip()
        kind: Kind
        choices: tuple[str, ...] = ()
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            specs += specs_for(inner, prefix=f"{full}.", group=group, labels=labels, strip=strip)
            continue
        if typing.get_origin(inner) is Literal:
            kind, choices = "choice", tuple(str(c) for c in typing.get_args(inner))
        elif inner is bool:
            kind = "bool"
        elif inner is int:
            kind = "int"
        elif inner is float:
            kind = "float"
        elif inner is dt.date:
            kind = "date"
        elif typing.get_origin(inner) is tuple:
            kind = "list"
        else:
            kind = "text"
        specs.append(
            # An empty list is None only where the model allows None (unanswered).
            FieldSpec(
                full,
                label,
                help_text,
                kind,
                choices,
                none_ok if kind == "list" else optional,
                group,
            )
        )
    return specs


def _id_syntax() -> str:
    """The description every id field inherits from `core.model.Id`."""
    from .model import Id

    field = next((a for a in typing.get_args(Id) if hasattr(a, "description")), None)
    return str(getattr(field, "description", "") or "")


def _attribute_docs(model: type[BaseModel]) -> dict[str, str]:
    """The docstrings under `model`'s fields (what pydantic reads for descriptions)."""
    try:
        from pydantic._internal._docs_extraction import extract_docstrings_from_cls

        return extract_docstrings_from_cls(model, use_inspect=True)
    except Exception:  # a pydantic without it, or no source: no help beats wrong help
        return {}
