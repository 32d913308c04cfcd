"""A new design file: the minimal two lines titled from the file name, or a copy of a
bundled sample; YAML, or JSON/TOML by the file's extension. Never over an existing file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import ActionError
from .files import comment_text, write_text

if TYPE_CHECKING:
    from ..model import Design

MINIMAL = """\
# A STRATUS design file. `stratus validate {file}` checks it; `stratus schema` gives
# the JSON Schema for editors. Every section but these two lines is optional.
stratus: 1
name: {name}
"""

# Outside YAML's printable set, or a line break inside a double-quoted scalar (NEL,
# U+2028/9 fold into spaces): written as \uXXXX escapes, which YAML and JSON share.
_ESCAPED_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def design_title(target: Path) -> str:
    """The name a new design at `target` gets: its file name's stem in words, first
    letter capitalised ("my-shop.yaml" -> "My shop"); "New design" when nothing is left."""
    words = target.stem.replace("_", " ").replace("-", " ").strip()
    # a file name that is not UTF-8 decodes to lone surrogates, which no file can hold
    words = _SURROGATE.sub("\ufffd", words)
    return (words[:1].upper() + words[1:]) if words else "New design"


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as exactly that string.

    Plain words stay plain unless YAML would read them as something else (null, true,
    1e3); anything else is a double-quoted string, escaped as JSON escapes it.
    """
    from ..problems import DesignError
    from ..yaml_io import parse_text

    if text.replace(" ", "").isalnum():
        try:
            if parse_text(f"name: {text}\n", "-") == {"name": text}:
                return text
        except DesignError:
            pass
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPED_IN_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def new_design_text(target: Path, sample: str | None = None) -> str:
    """The text of a new design at `target`: `sample`'s (converted for a .json or .toml
    target) or the minimal design titled from the file name.

    Raises ActionError (usage) for a sample that is not bundled.
    """
    kind = target.suffix.lower()
    if sample is not None:
        from ..resources import sample_names, sample_path

        try:
            source = sample_path(sample)
        except KeyError:
            names = ", ".join(sample_names())
            raise ActionError(f"no sample {sample!r}; choose one of: {names}", usage=True) from None
        if kind in (".json", ".toml"):
            from ..store.design_file import load_design

            return _render(load_design(source), kind)
        return source.read_text(encoding="utf-8")
    if kind in (".json", ".toml"):
        from ..model import Design

        return _render(Design(name=design_title(target)), kind)
    return MINIMAL.format(file=comment_text(target.name), name=yaml_scalar(design_title(target)))


def create_design(target: Path, sample: str | None = None, *, shown: str | None = None) -> Path:
    """Write a new design to `target` (folders created) and return `target`.

    `shown` is how messages name the file (as the user typed it; default `str(target)`).
    Raises ActionError when `target` exists (it is left untouched: the write is
    exclusive), when a file is in the way of its folder, or when the write fails.
    """
    shown = str(target) if shown is None else shown
    refusal = f"{shown}: already exists; choose another name (nothing was written)"
    if target.exists():
        raise ActionError(refusal)
    text = new_design_text(target, sample)
    try:
        write_text(target, text, shown, exclusive=True, backup=False)
    except FileExistsError:  # it appeared since the check
        raise ActionError(refusal) from None
    return target


def _render(design: Design, kind: str) -> str:
    from ..store.serialise import to_json, to_toml

    return to_json(design) if kind == ".json" else to_toml(design)
