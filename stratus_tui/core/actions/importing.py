"""A design bootstrapped from a docker-compose file, Kubernetes manifests, a Mermaid
flowchart, a LikeC4 model or a Structurizr workspace, written to a design file; and the
summary both front ends show of it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import ActionError
from .files import comment_text, same_file, write_text

if TYPE_CHECKING:
    from ..model import Design, ImportKind

IMPORTED_SUFFIX = ".stratus.yaml"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import wrote: the design, what the source was, what could not be imported
    (each `FILE:LINE[:COL]: what`) and the design file written."""

    design: Design
    kind: ImportKind
    skipped: tuple[str, ...]
    target: Path


def free_name(source: Path) -> Path:
    """Where an import of `source` goes when no file is named: `NAME.stratus.yaml` next
    to it, or `NAME-2.stratus.yaml`, `NAME-3...`: the first name nothing holds."""
    first = source.with_suffix(IMPORTED_SUFFIX)
    stem = first.name.removesuffix(IMPORTED_SUFFIX)
    n, candidate = 2, first
    while os.path.lexists(candidate):  # a dangling symlink holds its name too
        candidate = first.with_name(f"{stem}-{n}{IMPORTED_SUFFIX}")
        n += 1
    return candidate


def import_design(
    source: str | Path,
    target: Path | None = None,
    *,
    kind: ImportKind | None = None,
    name: str | None = None,
    force: bool = False,
    shown: str | None = None,
) -> ImportOutcome:
    """Import `source` and write the design to `target` (a free name next to the source
    when None); the kind is detected unless given, `name` renames the design.

    A YAML target starts with a comment naming the source and what to review. `shown` is
    how messages name `target` (as typed; default `str(target)`). Raises ActionError
    (usage) when `target` is the source, ActionError when it exists and not `force`
    (with `force` the old file is kept as FILE.bak) or the write fails; DesignError, with
    the importer's FILE:LINE:COL problems, when the source cannot be imported. Nothing is
    written on any error.
    """
    from ..importers import import_source

    if target is not None:
        shown = str(target) if shown is None else shown
        if same_file(source, target):
            raise ActionError(
                f"{shown}: refusing to overwrite the source with the design imported from it",
                usage=True,
            )
        if target.exists() and not force:
            raise ActionError(_exists(shown))
    result = import_source(source, kind)
    design = result.design
    if name is not None and name.strip():
        design = design.model_copy(update={"name": name.strip()})
    header = _header(Path(source), result.kind)
    if target is None:
        target = _write_free(Path(source), design, header)
    else:
        text = _design_text(design, header, target)
        try:
            write_text(target, text, shown or str(target), exclusive=not force, backup=True)
        except FileExistsError:  # it appeared since the check
            raise ActionError(_exists(shown or str(target))) from None
    return ImportOutcome(design, result.kind, tuple(result.skipped), target)


def import_summary_lines(
    outcome: ImportOutcome, source: str, output: str, *, detail: bool = True
) -> list[str]:
    """What was imported and skipped, in lines: counts, then (with `detail`) each
    component and the next commands to run; filled DISCOVER answers and skipped items
    always."""
    design = outcome.design
    lines = [
        f"imported {source} ({outcome.kind}): {len(design.services)} services, "
        f"{len(design.datastores)} datastores, {len(design.externals)} externals, "
        f"{len(design.dependencies)} dependencies -> {output}"
    ]
    if detail:
        for s in design.services:
            lines.append(f"  service   {s.id}" + (f" ({s.name})" if s.name else ""))
        for d in design.datastores:
            lines.append(f"  datastore {d.id}" + (f" [{d.kind}]" if d.kind else ""))
        for e in design.externals:
            lines.append(f"  external  {e.id}")
    if design.imported is not None and design.imported.answers:
        filled = ", ".join(design.imported.answers)
        lines.append(f"DISCOVER answers filled from the import: {filled}")
    if outcome.skipped:
        lines.append(f"skipped {len(outcome.skipped)}:")
        lines += [f"  {line}" for line in outcome.skipped]
    if detail:
        lines.append(f"next: stratus lint {output}, or stratus {output}")
    return lines


def _write_free(source: Path, design: Design, header: str) -> Path:
    """Write to the first free name and return it; a name taken meanwhile moves the
    import on to the next one."""
    while True:
        target = free_name(source)
        text = _design_text(design, header, target)
        try:
            write_text(target, text, str(target), exclusive=True, backup=False)
        except FileExistsError:
            continue
        return target


def _header(source: Path, kind: ImportKind) -> str:
    """The comment a YAML design starts with: where it came from, what to review."""
    return (
        f"# Imported by `stratus import` from {comment_text(source.name)} ({kind}).\n"
        "# Review it: the import cannot see SLOs, owners, rollback or failure modes.\n"
    )


def _design_text(design: Design, header: str, target: Path) -> str:
    from ..store.design_file import render

    text = render(design, target)
    return text if target.suffix.lower() in (".json", ".toml") else header + text


def _exists(shown: str) -> str:
    return f"{shown}: already exists; use --force to overwrite it (nothing was written)"
