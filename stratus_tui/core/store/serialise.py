"""The design as data: JSON, TOML and YAML, deterministic, and readable back.

All three are built from `Design.to_data()` (whole floats as integers): keys in the
model's field order (`stratus` and `name` first), default and absent values left out,
dates as `YYYY-MM-DD` strings.
The same design always gives the same bytes, and each output loads back (with
`stratus_tui.core.store.design_file.load_design`, by file extension) to an equal model.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import Design
from .merge import _FLOW_RISK, _NEEDS_ESCAPES, _fits_a_block


def design_data(design: Design) -> dict[str, Any]:
    """`design.to_data()` with whole-number floats written as integers (800, not 800.0)."""
    tidy: dict[str, Any] = _tidy(design.to_data())
    return tidy


def _tidy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _tidy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    if isinstance(node, float) and node.is_integer() and abs(node) < 2**53:
        return int(node)
    return node


def to_json(design: Design) -> str:
    """The design as pretty JSON (2-space indent, UTF-8 kept as is, trailing newline)."""
    return json.dumps(design_data(design), indent=2, ensure_ascii=False) + "\n"


def to_toml(design: Design) -> str:
    """The design as TOML (via tomli-w).

    Absent values: TOML has no null, so a field that is absent or None in the design is
    omitted from the output (it is unanswered/unset, exactly as if the key were missing
    from the YAML file); default values are omitted too. Lists of items become arrays of
    tables (`[[services]]`), nested sections become sub-tables (`[discovery.team]`).
    """
    import tomli_w

    return tomli_w.dumps(design_data(design))


def to_yaml(design: Design) -> str:
    """The design as block-style YAML: short word lists in flow style, long text literal.

    The bytes are ruamel's round-trip emitter's for `merge.new_value` of the data (the
    house layout). Written directly where every value's style is known (ids, names,
    numbers: ruamel's emitter was ~80 % of `stratus import` at 1,000 services); a value
    whose style is not known here is rendered by ruamel alone, and a document this writer
    cannot be sure of (multi-line or very long text, lists of lists) is ruamel's whole.
    """
    data = design_data(design)
    try:
        return fast_yaml(data)
    except Unsure:
        pass
    from ..yaml_io import render_yaml
    from .merge import new_value

    return render_yaml(new_value(data, None))


class Unsure(Exception):
    """A value whose bytes the fast writer cannot promise are ruamel's."""


_PLAIN = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_./()+-]*(?: [A-Za-z0-9_./()+-]+)*")
"""Text ruamel writes plain in block and flow context alike (unless it reads as another
type: checked against the YAML 1.2 resolvers)."""
_QUOTABLE = re.compile(r"[ !#-\[\]-~]*")
"""Printable ASCII but `"` and `\\`: written between double quotes as it is."""
_LITERAL = re.compile("[\t\n -~\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
"""Characters a `|` block holds as they are."""
_KEY = re.compile(r"[a-z_][a-z0-9_]*")
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")
_LONGEST = 1000
"""Longer text may be wrapped by the emitter (width 4096): left to ruamel."""


def fast_yaml(data: dict[str, Any]) -> str:
    """`data` (dicts, lists, str, int, float, bool) as `to_yaml` writes it; raises Unsure."""
    from ..yaml_io import YAML12_RESOLVERS

    typed = [re.compile(p, f) for _tag, p, f, _first in YAML12_RESOLVERS]
    known: dict[tuple[type, Any, bool], str] = {}
    lines: list[str] = []

    def scalar(v: Any, flow: bool) -> str:
        if v is True or v is False:
            return "true" if v else "false"
        if type(v) is int:
            return str(v)
        if type(v) is float and _DECIMAL.fullmatch(text := repr(v)):
            return text
        if type(v) is str and len(v) <= _LONGEST:
            if _PLAIN.fullmatch(v) and not any(r.match(v) for r in typed):
                return v
            if _FLOW_RISK.search(v) and _QUOTABLE.fullmatch(v):  # new_value quotes it
                return f'"{v}"'
        key = (type(v), v, flow)
        if key not in known:
            known[key] = _ruamel_scalar(v, flow)
        return known[key]

    def entry(head: str, v: Any, column: int) -> None:
        if isinstance(v, dict):
            if not v:
                raise Unsure
            lines.append(head)
            mapping(v, column + 2)
        elif isinstance(v, list):
            if all(not isinstance(x, dict | list) for x in v):
                lines.append(f"{head} [{', '.join(scalar(x, True) for x in v)}]")
            else:
                lines.append(head)
                sequence(v, column + 2)
        elif type(v) is str and "\n" in v and _literal(v):
            lines.append(head + (" |" if v.endswith("\n") else " |-"))
            pad = " " * (column + 2)
            lines.extend(pad + line if line else "" for line in v.removesuffix("\n").split("\n"))
        else:
            lines.append(f"{head} {scalar(v, False)}")

    def check_key(k: Any) -> str:
        if type(k) is not str or not _KEY.fullmatch(k) or any(r.match(k) for r in typed):
            raise Unsure
        return k

    def mapping(d: dict[str, Any], column: int) -> None:
        pad = " " * column
        for k, v in d.items():
            entry(f"{pad}{check_key(k)}:", v, column)

    def sequence(items: list[Any], column: int) -> None:
        dash, pad = " " * column + "- ", " " * (column + 2)
        for item in items:
            if isinstance(item, dict):
                if not item:
                    raise Unsure
                for i, (k, v) in enumerate(item.items()):
                    entry(f"{dash if i == 0 else pad}{check_key(k)}:", v, column + 2)
            elif isinstance(item, list):
                raise Unsure
            else:
                lines.append(dash + scalar(item, False))

    if not data:
        raise Unsure
    mapping(data, 0)
    return "\n".join(lines) + "\n"


def _literal(text: str) -> bool:
    """new_value writes `text` as a `|` block and every character stands as it is."""
    return (
        len(text) <= _LONGEST
        and _fits_a_block(text)
        and not _NEEDS_ESCAPES.search(text)
        and not _FLOW_RISK.search(text)
        and _LITERAL.fullmatch(text) is not None
    )


def _ruamel_scalar(value: Any, flow: bool) -> str:
    """One value as ruamel writes it as a mapping value or a flow-list item (one line)."""
    if not isinstance(value, str | int | float) or (
        isinstance(value, str) and ("\n" in value or len(value) > _LONGEST)
    ):
        raise Unsure
    from ..yaml_io import render_yaml
    from .merge import new_value

    text = render_yaml(new_value({"k": [value] if flow else value}, None))
    head, tail = ("k: [", "]\n") if flow else ("k: ", "\n")
    if not (text.startswith(head) and text.endswith(tail)) or text.count("\n") != 1:
        raise Unsure
    return text[len(head) : -len(tail)]
