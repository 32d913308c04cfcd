"""Exporters: pure functions from a design to text, and the documentation folder.

`EXPORTERS` maps a format name to a function `Design -> str`; each imports its module
only when called, so importing this package is cheap. Folder formats (`adr`, `all`)
live in `bundle`: `export_all(design, dir)`, `check_all(design, dir)`. Escaping for
every format is in `escape`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..gc_pause import gc_paused
from ..model import Design

if TYPE_CHECKING:
    from .bundle import CheckResult, ExportResult

Exporter = Callable[[Design], str]


def _mermaid(design: Design) -> str:
    from .mermaid import to_mermaid

    return to_mermaid(design)


def _mermaid_c4(design: Design) -> str:
    from .mermaid import to_mermaid_c4

    return to_mermaid_c4(design)


def _storm(design: Design) -> str:
    from .storm import to_storm_mermaid

    return to_storm_mermaid(design)


def _sequence(design: Design) -> str:
    from .sequence import to_sequence_markdown

    return to_sequence_markdown(design)


def _likec4(design: Design) -> str:
    from .interop.likec4 import to_likec4

    return to_likec4(design)


def _structurizr(design: Design) -> str:
    from .interop.structurizr import to_structurizr

    return to_structurizr(design)


def _backstage(design: Design) -> str:
    from .interop.backstage import to_backstage

    return to_backstage(design)


def _markdown(design: Design) -> str:
    from .document import to_markdown

    return to_markdown(design)


def _dot(design: Design) -> str:
    from .dot import to_dot

    return to_dot(design)


def _svg(design: Design) -> str:
    from .dot import to_svg

    return to_svg(design)


def _json(design: Design) -> str:
    from ..store.serialise import to_json

    return to_json(design)


def _toml(design: Design) -> str:
    from ..store.serialise import to_toml

    return to_toml(design)


def _yaml(design: Design) -> str:
    from ..store.serialise import to_yaml

    return to_yaml(design)


def _without_gc(export: Exporter) -> Exporter:
    """`export` run with the cyclic collector paused (`gc_pause`): an export allocates
    hundreds of thousands of short-lived strings and lists, and with a 5,000-service
    design in memory the collector's passes over it made exports grow x7 for x5 work."""

    @wraps(export)
    def run(design: Design) -> str:
        with gc_paused():
            return export(design)

    return run


EXPORTERS: dict[str, Exporter] = {
    name: _without_gc(export)
    for name, export in {
        "mermaid": _mermaid,
        "mermaid-c4": _mermaid_c4,
        "storm-mermaid": _storm,
        "sequence": _sequence,
        "markdown": _markdown,
        "dot": _dot,
        "svg": _svg,
        "json": _json,
        "toml": _toml,
        "yaml": _yaml,
        "likec4": _likec4,
        "structurizr": _structurizr,
        "backstage": _backstage,
    }.items()
}
"""Text formats: name -> function(design) -> str. `sequence` is a Markdown page with
one Mermaid sequence diagram per request flow (a `.mmd` file holds one diagram; `all`
writes each to `diagrams/flows/<flow-id>.mmd`)."""

EXTENSIONS: dict[str, str] = {
    "mermaid": ".mmd",
    "mermaid-c4": ".mmd",
    "storm-mermaid": ".mmd",
    "sequence": ".md",
    "markdown": ".md",
    "dot": ".dot",
    "svg": ".svg",
    "json": ".json",
    "toml": ".toml",
    "yaml": ".yaml",
    "likec4": ".c4",
    "structurizr": ".dsl",
    "backstage": ".yaml",
}
"""The usual file extension of each text format."""

FOLDER_FORMATS: tuple[str, ...] = ("adr", "observe", "k8s", "all")
"""Formats that write a folder (`-o DIR`)."""

FORMATS: tuple[str, ...] = (*EXPORTERS, *FOLDER_FORMATS)
"""Every name `stratus export --format` accepts."""


def export_all(
    design: Design, out_dir: str | Path, template: str | Path | None = None, **inputs: Any
) -> ExportResult:
    """Write the spec/cli.md layout under `out_dir` (see `bundle.export_all`)."""
    from .bundle import export_all as run

    return run(design, out_dir, template, **inputs)


def check_all(
    design: Design, out_dir: str | Path, template: str | Path | None = None, **inputs: Any
) -> CheckResult:
    """Compare `out_dir` with what `export_all` would write (see `bundle.check_all`)."""
    from .bundle import check_all as run

    return run(design, out_dir, template, **inputs)


__all__ = ["EXPORTERS", "EXTENSIONS", "FOLDER_FORMATS", "FORMATS", "check_all", "export_all"]
