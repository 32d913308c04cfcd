"""Names and text for the OBSERVE and DEPLOY artifacts: DNS-1123 labels, PromQL strings, YAML.

A design id (`Orders_API.v2`) is not a Kubernetes or OpenSLO name (`orders-api-v2-1f3c9a`):
`dns_label` lowercases it, replaces what a DNS label cannot hold and, whenever that changed
the text, appends a short hash of the original so two ids never collide (`a_b` and `a-b`).
The real id always travels beside it in an annotation (`stratus.dev/id`).
"""

from __future__ import annotations

import hashlib
import importlib
import re
from typing import Any

from ...escape import clean_text
from ..yaml_out import DirectWriter, Unsure, tame

ID_ANNOTATION = "stratus.dev/id"
"""Annotation holding a component's real design id."""
NAME_ANNOTATION = "stratus.dev/name"
"""Annotation holding a component's human name (any text)."""

DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_NOT_DNS = re.compile(r"[^a-z0-9]+")
_HASH = 6


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH]


def dns_label(raw: str, max_len: int = 63, suffix: str = "") -> str:
    """A DNS-1035 label (which is also DNS-1123) naming `raw`, unique per `raw`.

    Starts with a letter (a Service name must), at most `max_len` characters including
    `suffix` (itself a valid label tail such as `-availability`). An id that is already
    a clean label is kept as is, so `orders` stays `orders`.
    """
    base = _NOT_DNS.sub("-", raw.lower()).strip("-")
    if base and not base[0].isalpha():
        base = "s-" + base
    room = max_len - len(suffix)
    if base == raw and len(base) <= room and DNS_LABEL.fullmatch(base):
        return base + suffix
    tail = "-" + _digest(raw)
    base = base[: room - len(tail)].rstrip("-") or "s"
    return base + tail + suffix


def env_name(label: str) -> str:
    """An environment variable name from a DNS label: `orders-api` -> `ORDERS_API`."""
    return label.upper().replace("-", "_")


def promql_string(value: str) -> str:
    """A PromQL double-quoted string literal holding `value` exactly (Go escapes)."""
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{out}"'


_TEMPLATE_DELIMS = re.compile(r"\{\{|\}\}")


def go_template_literal(value: str) -> str:
    """Text for a Prometheus alert annotation, which is a Go template: `{{` and `}}`
    from the design are printed, never run (`{{ x }}` -> `{{"{{"}} x {{"}}"}}`)."""
    return _TEMPLATE_DELIMS.sub(lambda m: '{{"' + m.group(0) + '"}}', value)


def text(value: str | None) -> str:
    """Free text from the design made safe for YAML and Markdown files: one newline
    convention, no control characters or lone surrogates."""
    return clean_text(value or "")


def _dumper(fast: bool = False) -> Any:
    """A SafeDumper writing text with newlines as a literal block (PromQL reads as written);
    `fast`: the same on libyaml's emitter (None without libyaml).

    PyYAML is imported by name (it ships no type stubs); each class is built once."""
    if fast not in _DUMPERS:
        yaml = importlib.import_module("yaml")
        base = getattr(yaml, "CSafeDumper", None) if fast else yaml.SafeDumper
        if base is None:
            _DUMPERS[fast] = None
            return None

        def represent_str(dumper: Any, value: str) -> Any:
            style = "|" if "\n" in value else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        cls: Any = type("StratusDumper", (base,), {})
        cls.add_representer(str, represent_str)
        # shared dicts (labels used twice) are written out in full: no &id001 anchors
        cls.ignore_aliases = lambda self, data: True
        _DUMPERS[fast] = cls
    return _DUMPERS[fast]


_DUMPERS: dict[bool, Any] = {}


def to_yaml(*docs: Any) -> str:
    """YAML documents separated by `---`, keys in the order given, byte-stable.

    Tame documents (`yaml_out.tame`) are libyaml's emitter's bytes, written directly
    (`yaml_out.DirectWriter`: PyYAML's representer and resolver were ~80 % of the OBSERVE
    export at 1,000 services) or, where that writer is unsure, by libyaml's emitter
    (PyYAML's pure-Python one was ~70 % before). Anything else is PyYAML's."""
    writer = _direct()
    if writer is not None:
        try:
            return writer.write(docs)
        except Unsure:
            pass
    fast = _dumper(fast=True) if tame(list(docs)) else None
    return dump_with(fast or _dumper(), docs)


def _direct() -> DirectWriter | None:
    """The direct writer of libyaml's bytes (None without libyaml), built once."""
    if not _WRITER:
        fast = _dumper(fast=True)
        _WRITER.append(
            None
            if fast is None
            else DirectWriter(fast.yaml_implicit_resolvers, lambda value: _one_value(fast, value))
        )
    return _WRITER[0]


_WRITER: list[DirectWriter | None] = []


def _one_value(dumper: Any, value: str) -> str:
    """`value` as `dumper` writes it as a mapping value on one line (raises Unsure if not)."""
    out = dump_with(dumper, ({"k": value},))
    if not (out.startswith("k: ") and out.endswith("\n")) or out.count("\n") != 1:
        raise Unsure
    return out[3:-1]


def dump_with(dumper: Any, docs: tuple[Any, ...]) -> str:
    """`docs` written by `dumper` with the options of every OBSERVE and DEPLOY file."""
    yaml = importlib.import_module("yaml")
    out: str = yaml.dump_all(
        list(docs),
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
        explicit_start=len(docs) > 1,
    )
    return out


def number(value: float) -> int | float:
    """A whole float as an int (`99.9` stays, `3.0` is `3`): stable, readable output."""
    return int(value) if float(value).is_integer() else value
