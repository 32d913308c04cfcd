"""OBSERVE: OpenSLO documents, Prometheus rules and runbook stubs from the design.

`observe_files(design)` gives every file of `export --format observe -o DIR` (and of the
`observe/` folder of `export --format all`) as relative POSIX path -> text, with notes
about what was left out. Byte-stable: the same design always gives the same bytes.
"""

from __future__ import annotations

from ...gc_pause import gc_paused
from ...model import Design
from .openslo import openslo_files
from .prometheus import rule_files
from .runbooks import runbook_files
from .slos import convention, slo_specs

ROOT = "observe"
FOLDERS = ("openslo", "prometheus", "runbooks")


@gc_paused()
def observe_files(design: Design, root: str = ROOT) -> tuple[dict[str, str], list[str]]:
    """`observe/...` path -> text, and notes (SLOs left out)."""
    conv = convention(design)
    specs, notes = slo_specs(design)
    runbooks, stems = runbook_files(design, specs)
    prefix = f"{root}/" if root else ""
    files: dict[str, str] = {}
    for name, body in openslo_files(conv, specs, stems).items():
        files[f"{prefix}openslo/{name}"] = body
    for name, body in rule_files(conv, design.name, specs, stems).items():
        files[f"{prefix}prometheus/{name}"] = body
    for name, body in runbooks.items():
        files[f"{prefix}runbooks/{name}"] = body
    if not specs:
        notes.append("the design declares no SLO: no OpenSLO documents or alerting rules")
    return dict(sorted(files.items())), notes


__all__ = ["FOLDERS", "ROOT", "observe_files"]
