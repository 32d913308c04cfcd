"""Exporting a design, written once for `stratus export` and the EXPORT screen: the format
names, a single format's file name, the plan of a folder format, writing and checking.

A single format is text written to one file; a folder format (`adr`, `observe`, `k8s`,
`all`) is a `bundle.Plan` written under a folder (only changed files rewritten, strays
of the export removed). Neither overwrites the design file with its own export.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..export import EXPORTERS, EXTENSIONS, FOLDER_FORMATS, FORMATS
from . import ActionError
from .files import same_file, write_text

if TYPE_CHECKING:
    from ..export.bundle import CheckResult, Plan
    from ..model import Design

ALL = "all"
ADR = "adr"
OBSERVE = "observe"
K8S = "k8s"
SUBFOLDERS: dict[str, str] = {ADR: "decisions", OBSERVE: "observe", K8S: "deploy/k8s"}
"""Where a folder format goes inside a folder holding several formats (`all` layout)."""
MERMAID_WARNED = ("mermaid", "mermaid-c4", "storm-mermaid")
"""Formats whose size is worth a note: renderers give up on very large diagrams."""


def format_names() -> tuple[str, ...]:
    """Every format, in `stratus export --format`'s order: single files, then folders."""
    return FORMATS


def is_folder_format(fmt: str) -> bool:
    return fmt in FOLDER_FORMATS


def file_name(fmt: str, stem: str) -> str:
    """The file a single format gets in a folder of exports: `STEM.mmd` for mermaid,
    `STEM.FORMAT.EXT` for the rest (`shop.markdown.md`, `shop.mermaid-c4.mmd`)."""
    if fmt not in EXPORTERS:
        raise ActionError(f"{fmt}: not a single-file format", usage=True)
    middle = "" if fmt == "mermaid" else f".{fmt}"
    return f"{stem}{middle}{EXTENSIONS[fmt]}"


@dataclass
class ExportOutcome:
    """What a write did: relative paths (POSIX) under the folder, and the notes."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- rendering


def render_format(
    design: Design, fmt: str, template: str | Path | None = None
) -> tuple[str, list[str]]:
    """A single format's text and its notes (a diagram too large for some renderers).

    Raises ActionError for a template or Graphviz problem; DesignError (the library's
    FILE:LINE problems) for a broken pattern file.
    """
    from ..export.document import TemplateProblem, to_markdown
    from ..export.dot import GraphvizError

    try:
        text = to_markdown(design, template) if fmt == "markdown" else EXPORTERS[fmt](design)
    except (TemplateProblem, GraphvizError) as exc:  # dot missing, failing or too slow
        raise ActionError(str(exc)) from None
    notes: list[str] = []
    if fmt in MERMAID_WARNED:
        from ..export.mermaid import size_warnings

        notes = list(size_warnings(text, fmt))
    return text, notes


def folder_plan(design: Design, fmt: str, template: str | Path | None = None) -> Plan:
    """The files a folder format writes, relative to its folder.

    Raises ActionError for a template problem; DesignError for a broken pattern file.
    """
    from ..export import bundle
    from ..export.document import TemplateProblem

    try:
        if fmt == ALL:
            return bundle.plan_all(design, template)
        if fmt == OBSERVE:
            return bundle.observe_plan(design)
        if fmt == K8S:
            return bundle.k8s_plan(design)
        if fmt == ADR:
            return bundle.decisions_plan(design)
    except TemplateProblem as exc:
        raise ActionError(str(exc)) from None
    raise ActionError(f"{fmt}: not a folder format", usage=True)


# --------------------------------------------------------------------------- refusals


def refuse_design_file(
    target: str | Path, design_path: str | Path | None, what: str, shown: str | None = None
) -> None:
    """ActionError (usage) when `target` is the design file: its export would replace it.
    `shown` is how the message names `target` (default: as given)."""
    if design_path is not None and same_file(target, design_path):
        name = str(target) if shown is None else shown
        raise ActionError(
            f"{name}: refusing to overwrite the design file with its {what}", usage=True
        )


def refuse_not_folder(root: Path) -> None:
    """ActionError when `root` exists and is not a folder (a folder format's target)."""
    if root.exists() and not root.is_dir():
        raise ActionError(f"{root}: not a folder")


def refuse_plan_over_design(plan: Plan, root: Path, design_path: str | Path | None) -> None:
    """ActionError (usage) when a file of `plan` under `root` is the design file and its
    bytes differ (DIR/design.json may be the design itself: rewriting it identically is
    harmless)."""
    if design_path is None:
        return
    try:
        design = os.stat(design_path)
    except OSError:
        return  # no design file there: nothing to overwrite
    # One stat a file, then the full comparison for the few with the design's inode:
    # resolving both paths for each of 5,000 OBSERVE files took ~0.4 s.
    clash = next(
        (
            rel
            for rel in plan.files
            if _same_inode(root / rel, design) and same_file(root / rel, design_path)
        ),
        None,
    )
    if clash is not None and Path(design_path).read_bytes() != plan.files[clash]:
        raise ActionError(
            f"{root / clash}: refusing to overwrite the design file with its export", usage=True
        )


def _same_inode(path: Path, st: os.stat_result) -> bool:
    try:
        here = os.stat(path)
    except (OSError, ValueError):  # missing, a loop, a NUL: not the design file
        return False
    return (here.st_dev, here.st_ino) == (st.st_dev, st.st_ino)


# --------------------------------------------------------------------------- writing


def write_file(
    text: str, target: Path, *, design_path: str | Path | None, what: str, shown: str
) -> None:
    """Write one export atomically (no backup), never over the design file; `shown`
    names `target` in messages (`FILE: cannot write: why`)."""
    refuse_design_file(target, design_path, what, shown)
    try:
        write_text(target, text, shown, exclusive=False, backup=False)
    except FileExistsError as exc:  # not exclusive: only a racing folder can raise it
        raise ActionError(f"{shown}: cannot write: {exc.strerror or exc}") from None


def write_folder(
    plan: Plan, root: Path, *, design_path: str | Path | None, shown: str | None = None
) -> ExportOutcome:
    """Write `plan` under `root`: changed files only, strays removed.

    Raises ActionError (usage) before writing when a file would replace the design file;
    ActionError when `root` is a file, a path of the plan is unsafe (a symlink out of the
    folder: nothing written) or the write fails (`PATH: why`; `shown` names the folder
    when the error names no file).
    """
    from ..export.bundle import write_plan
    from .files import make_parent

    shown = str(root) if shown is None else shown
    refuse_plan_over_design(plan, root, design_path)
    refuse_not_folder(root)
    make_parent(root / "-", str(root))  # creates DIR, or says which file is in the way
    try:
        done = write_plan(plan, root)
    except ValueError as exc:  # a symlinked folder pointing outside DIR
        raise ActionError(str(exc)) from None
    except OSError as exc:
        raise ActionError(f"{exc.filename or shown}: {exc.strerror}") from None
    return ExportOutcome(done.written, done.unchanged, done.removed, list(plan.notes))


def export_formats(
    design: Design,
    folder: Path,
    formats: list[str] | tuple[str, ...],
    stem: str,
    *,
    design_path: str | Path | None = None,
    confine_to: Path | None = None,
) -> ExportOutcome:
    """Write several formats into `folder` (the EXPORT screen's layout): `all` into the
    folder itself, single formats as `file_name(fmt, stem)`, `adr`, `observe` and `k8s`
    into their `SUBFOLDERS`. Paths in the outcome are relative to `folder`.

    `confine_to` keeps every write inside that folder (under `stratus serve`). Everything
    is rendered and checked before the first write: a refusal or a render failure writes
    nothing. Raises ActionError (see `write_folder`).
    """
    from ..confine import OutsideRootError, confine

    try:
        folder = confine(folder, confine_to)
    except OutsideRootError as exc:
        raise ActionError(str(exc)) from None
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ActionError(f"unknown format {unknown[0]!r}", usage=True)
    plans: list[tuple[str, Plan]] = []
    if ALL in formats:
        plans.append(("", folder_plan(design, ALL)))
    singles = [(file_name(f, stem), f, render_format(design, f)) for f in formats if f in EXPORTERS]
    plans += [(SUBFOLDERS[f], folder_plan(design, f)) for f in SUBFOLDERS if f in formats]
    for rel, fmt, _text in singles:
        refuse_design_file(folder / rel, design_path, f"{fmt} export")
    for sub, _plan in plans:
        refuse_not_folder(folder / sub if sub else folder)
    for sub, plan in plans:
        refuse_plan_over_design(plan, folder / sub if sub else folder, design_path)
    outcome = ExportOutcome()
    if plans and not plans[0][0]:  # `all` first: the layout the others sit in
        _merge(outcome, "", write_folder(plans.pop(0)[1], folder, design_path=design_path))
    for rel, fmt, (text, notes) in singles:
        target = folder / rel
        write_file(text, target, design_path=design_path, what=f"{fmt} export", shown=str(target))
        outcome.written.append(rel)
        outcome.notes += notes
    for sub, plan in plans:
        _merge(outcome, sub, write_folder(plan, folder / sub, design_path=design_path))
    return outcome


def _merge(into: ExportOutcome, sub: str, done: ExportOutcome) -> None:
    pre = f"{sub}/" if sub else ""
    into.written += [pre + p for p in done.written]
    into.unchanged += [pre + p for p in done.unchanged]
    into.removed += [pre + p for p in done.removed]
    into.notes += [n for n in done.notes if n not in into.notes]


# --------------------------------------------------------------------------- checking


def check_folder(plan: Plan, root: Path) -> CheckResult:
    """How `root` differs from `plan` (nothing is written)."""
    from ..export.bundle import check_plan

    return check_plan(plan, root)


def check_exports(design: Design, folder: Path, *, confine_to: Path | None = None) -> CheckResult:
    """How `folder` differs from `all` written there (the EXPORT screen's status).

    Raises ActionError for a folder outside `confine_to`.
    """
    from ..confine import OutsideRootError, confine

    try:
        folder = confine(folder, confine_to)
    except OutsideRootError as exc:
        raise ActionError(str(exc)) from None
    return check_folder(folder_plan(design, ALL), folder)


def file_state(path: Path, text: str) -> str:
    """`missing`, `stale` or `up to date`: `path` against a fresh export's `text`."""
    if not path.is_file():
        return "missing"
    if path.read_bytes() != text.encode("utf-8"):
        return "stale"
    return "up to date"


__all__ = [
    "ALL",
    "SUBFOLDERS",
    "ExportOutcome",
    "check_exports",
    "check_folder",
    "export_formats",
    "file_name",
    "file_state",
    "folder_plan",
    "format_names",
    "is_folder_format",
    "refuse_design_file",
    "refuse_not_folder",
    "refuse_plan_over_design",
    "render_format",
    "write_file",
    "write_folder",
]
