"""`export --format all -o DIR`: the whole documentation folder, and the staleness check.

The layout is fixed by spec/cli.md::

    DIR/design.md  DIR/report.md  DIR/design.json
    DIR/diagrams/topology.mmd  DIR/diagrams/storm.mmd (board has items)
    DIR/diagrams/topology.dot  DIR/diagrams/topology.svg (when `dot` is installed)
    DIR/diagrams/storm.svg (board has items, `dot` installed)
    DIR/diagrams/flows/<flow-id>.mmd (a sequence diagram per request flow or saga)
    DIR/decisions/NNNN-slug.md
    DIR/interop/likec4/model.c4  DIR/interop/structurizr/workspace.dsl (+ decisions/)
    DIR/interop/backstage/catalog-info.yaml
    DIR/observe/openslo/<slo-id>.yaml  DIR/observe/prometheus/<service>.rules.yaml
    DIR/observe/runbooks/<id>.md (when the design has SLOs or failure modes)
    DIR/deploy/k8s/base/<service>.yaml  DIR/deploy/k8s/base/kustomization.yaml
    DIR/deploy/k8s/overlays/{dev,staging,prod}/kustomization.yaml (kubernetes services)

`plan_all` computes every file's bytes in memory (pure apart from running `dot`), so the
same design always gives the same bytes; `export_all` writes only what changed, each file
atomically, and removes records and optional diagrams that no longer belong;
`check_all` writes nothing and says what is stale, missing or unexpected.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Design
from .sequence import FLOW_FOLDER

DECISIONS = "decisions"
STRUCTURIZR_DECISIONS = "interop/structurizr/decisions"
STORM = "diagrams/storm.mmd"
SVG = "diagrams/topology.svg"
STORM_SVG = "diagrams/storm.svg"
FLOWS = FLOW_FOLDER
# Files in DIR/decisions that export manages: anything else there (a README) is left alone.
RECORD_NAME = re.compile(r"^\d{4}-.*\.md$")


@dataclass(frozen=True)
class Plan:
    """What `export --format all` writes: relative POSIX path -> bytes."""

    files: dict[str, bytes]
    optional: tuple[str, ...]
    """Managed paths absent from `files` this time: removed by export, flagged by check."""
    notes: tuple[str, ...] = ()
    """Things skipped, e.g. the SVG when `dot` is not installed."""
    record_dir: str = DECISIONS
    """Folder (relative) whose `NNNN-*.md` files are all managed: strays are removed."""
    more_record_dirs: tuple[str, ...] = (STRUCTURIZR_DECISIONS,)
    """Other folders managed like `record_dir` (the copy beside the Structurizr workspace)."""
    flow_dir: str | None = None
    """Folder (relative) of the flows' sequence diagrams: generated `*.mmd` strays go."""
    generated_dirs: tuple[tuple[str, str], ...] = ()
    """(folder, suffix): files there with that suffix that stratus wrote (OBSERVE_MARK)
    and the plan no longer has are strays (an SLO or a service that went away)."""


@dataclass
class CheckResult:
    """How DIR differs from what export would write."""

    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()

    @property
    def up_to_date(self) -> bool:
        return not (self.stale or self.missing or self.unexpected)


@dataclass
class ExportResult:
    """What `export_all` did, relative paths."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()


def plan_all(
    design: Design,
    template: str | Path | None = None,
    *,
    verdicts: Any = None,
    findings: Any = None,
    analysis: Any = None,
    library: Any = None,
) -> Plan:
    """Every file of the layout with its bytes. Inputs not given are computed here."""
    from ..analysis.analyse import analysis_from
    from ..analysis.context import LintContext
    from ..lint import lint
    from ..patterns import recommend
    from ..report.render import render as render_report_from
    from ..store.serialise import to_json
    from .adr import decision_records
    from .document import render_design_doc
    from .dot import GraphvizError, dot_available, to_dot, to_svg
    from .interop import interop_files
    from .mermaid import size_warnings, to_mermaid
    from .sequence import flow_file_names, sequence_diagrams
    from .storm import storm_svg, to_storm_mermaid

    flow_names = flow_file_names(design)
    verdicts = recommend(design) if verdicts is None else verdicts
    if findings is None or analysis is None:
        ctx = LintContext(design)  # lint, the figures and the report share one analysis
        findings = lint(design, ctx) if findings is None else findings
        analysis = analysis_from(ctx) if analysis is None else analysis
    text: dict[str, str] = {
        "design.md": render_design_doc(design, verdicts, findings, analysis, template),
        "report.md": render_report_from(design, analysis, findings),
        "diagrams/topology.mmd": to_mermaid(design),
        "diagrams/topology.dot": to_dot(design),
        "design.json": to_json(design),
    }
    optional = [STORM]
    notes = size_warnings(text["diagrams/topology.mmd"], "diagrams/topology.mmd")
    if design.event_storming.items:
        text[STORM] = to_storm_mermaid(design)
        notes += size_warnings(text[STORM], STORM)
    for fid, diagram in sequence_diagrams(design).items():
        text[f"{FLOWS}/{flow_names[fid]}"] = diagram
    optional.append(STORM_SVG)
    if dot_available():
        try:
            text[SVG] = to_svg(design)
            optional.append(SVG)
        except GraphvizError as exc:  # the rest of the folder is still worth writing
            notes.append(f"{exc}: {SVG} skipped")
        if design.event_storming.items:
            try:
                text[STORM_SVG] = storm_svg(design)
            except GraphvizError as exc:
                notes.append(f"{exc}: {STORM_SVG} skipped")
    else:
        notes.append(f"Graphviz `dot` is not installed: {SVG} skipped")
    records = decision_records(design, library)
    for name, record in records.items():
        text[f"{DECISIONS}/{name}"] = record
    text.update(interop_files(design, records))  # LikeC4, Structurizr, Backstage
    text.update(_ops_files(design, notes))  # observe/ and deploy/k8s/ (issue 18)
    files = {path: content.encode("utf-8") for path, content in sorted(text.items())}
    return Plan(
        files,
        tuple(p for p in optional if p not in files),
        tuple(notes),
        flow_dir=FLOWS,
        generated_dirs=ops_dirs("observe", "deploy/k8s"),
    )


def _ops_files(design: Design, notes: list[str]) -> dict[str, str]:
    from .deploy import k8s_files
    from .observe import observe_files

    observe, observe_notes = observe_files(design, "observe")
    deploy, deploy_notes = k8s_files(design, "deploy/k8s", say_left_out=False)
    notes += observe_notes + deploy_notes
    return {**observe, **deploy}


def ops_dirs(observe: str | None, deploy: str | None) -> tuple[tuple[str, str], ...]:
    """The folders of the OBSERVE and DEPLOY exports whose generated files are managed."""
    from .deploy import ENVIRONMENTS

    out: list[tuple[str, str]] = []
    if observe is not None:
        pre = f"{observe}/" if observe else ""
        out += [
            (f"{pre}openslo", ".yaml"),
            (f"{pre}prometheus", ".yaml"),
            (f"{pre}runbooks", ".md"),
        ]
    if deploy is not None:
        pre = f"{deploy}/" if deploy else ""
        out.append((f"{pre}base", ".yaml"))
        out += [(f"{pre}overlays/{env}", ".yaml") for env in ENVIRONMENTS]
    return tuple(out)


def observe_plan(design: Design) -> Plan:
    """The plan of `--format observe -o DIR`: openslo/, prometheus/, runbooks/ in DIR."""
    from .observe import observe_files

    files, notes = observe_files(design, "")
    return _ops_plan(files, notes, ops_dirs("", None))


def k8s_plan(design: Design) -> Plan:
    """The plan of `--format k8s -o DIR`: base/ and overlays/<env>/ in DIR."""
    from .deploy import k8s_files

    files, notes = k8s_files(design, "")
    return _ops_plan(files, notes, ops_dirs(None, ""))


def _ops_plan(files: dict[str, str], notes: list[str], dirs: tuple[tuple[str, str], ...]) -> Plan:
    return Plan(
        {path: body.encode("utf-8") for path, body in files.items()},
        (),
        tuple(notes),
        record_dir=DECISIONS,  # no stray decision records here: that folder is not ours
        more_record_dirs=(),
        generated_dirs=dirs,
    )


class ExportRefused(ValueError):
    """A managed path cannot be written safely (a symlink, a folder, a special file):
    raised before anything is written, so a refused export leaves the folder as it was."""


def _inside(root: Path, rel: str, resolved_root: Path | None = None) -> Path:
    """`root/rel`, refusing any path that would land outside `root`."""
    target = (root / rel).resolve()
    if not target.is_relative_to(resolved_root or root.resolve()):
        raise ExportRefused(f"refusing to write outside {root}: {rel}")
    return target


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _check_path(root: Path, rel: str) -> None:
    """Refuse `rel` unless every folder on the way is a real folder and the file, if it
    exists, is a regular file: never follow a symlink out of (or around) the export folder.
    """
    parts = Path(rel).parts
    here = root
    for i, part in enumerate(parts):
        here = here / part
        st = _lstat(here)
        if st is None:
            return  # missing from here on: the export creates it
        last = i == len(parts) - 1
        if stat.S_ISLNK(st.st_mode):
            raise ExportRefused(
                f"{here}: is a symlink; refusing to write through it (nothing was written)"
            )
        if last and not stat.S_ISREG(st.st_mode):
            what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise ExportRefused(f"{here}: is {what}; refusing to replace it (nothing was written)")
        if not last and not stat.S_ISDIR(st.st_mode):
            raise ExportRefused(f"{here}: is a file, not a folder; nothing was written")


GENERATED_MARK = b"<!-- Generated by stratus from the design file"
FLOW_MARK = b"%% Generated by stratus from the design file"


def _stray_flows(root: Path, plan: Plan) -> list[str]:
    """Sequence diagrams of flows the design no longer has (only ones stratus wrote)."""
    if plan.flow_dir is None:
        return []
    folder = root / plan.flow_dir
    st = _lstat(folder)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return []
    return sorted(
        f"{plan.flow_dir}/{p.name}"
        for p in folder.iterdir()
        if p.name.endswith(".mmd")
        and f"{plan.flow_dir}/{p.name}" not in plan.files
        and _generated(p, FLOW_MARK)
    )


OBSERVE_MARK = b"Generated by stratus from the design file"


def _stray_generated(root: Path, plan: Plan) -> list[str]:
    """OBSERVE and DEPLOY files of SLOs, failure modes or services the design no longer
    has (only files stratus wrote: a team's own rule file beside them stays)."""
    found: list[str] = []
    for folder_rel, suffix in plan.generated_dirs:
        folder = root / folder_rel
        st = _lstat(folder)
        if st is None or not stat.S_ISDIR(st.st_mode):
            continue
        prefix = f"{folder_rel}/" if folder_rel else ""
        found += (
            prefix + p.name
            for p in folder.iterdir()
            if p.name.endswith(suffix)
            and prefix + p.name not in plan.files
            and _generated(p, OBSERVE_MARK)
        )
    return sorted(found)


def _stray_records(root: Path, plan: Plan) -> list[str]:
    found: list[str] = []
    for record_dir in (plan.record_dir, *plan.more_record_dirs):
        folder = root / record_dir
        st = _lstat(folder)
        # A symlinked decisions folder is not ours to clean: its records live elsewhere.
        if st is None or not stat.S_ISDIR(st.st_mode):
            continue
        prefix = f"{record_dir}/" if record_dir else ""
        found += (
            prefix + p.name
            for p in folder.iterdir()
            if RECORD_NAME.match(p.name) and prefix + p.name not in plan.files and _generated(p)
        )
    return sorted(found)


def _generated(path: Path, mark: bytes = GENERATED_MARK) -> bool:
    """Whether stratus wrote this record: a team's hand-written records are never removed.

    Only a regular file (not a symlink, a FIFO or a device) is read: stratus never
    writes anything else.
    """
    st = _lstat(path)
    if st is None or not stat.S_ISREG(st.st_mode):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return mark in head


def _leftovers(root: Path, plan: Plan) -> list[str]:
    # lstat, not is_file(): a symlinked leftover is removed as a link, never followed.
    present = []
    for p in plan.optional:
        st = _lstat(root / p)
        if st is not None and (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
            present.append(p)
    strays = _stray_records(root, plan) + _stray_flows(root, plan)
    return sorted(present + strays + _stray_generated(root, plan))


def _same_bytes(path: Path, data: bytes) -> bool | None:
    """Whether the regular file at `path` holds `data`; None when it is missing or not a
    regular file (never opened: a FIFO would block, a device never end)."""
    st = _lstat(path)
    if st is None or not stat.S_ISREG(st.st_mode):
        return None
    if st.st_size != len(data):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            return fh.read(len(data) + 1) == data
    except OSError:
        return False


def check_plan(plan: Plan, root: Path) -> CheckResult:
    """Compare DIR with the plan without writing anything."""
    result = CheckResult(notes=plan.notes)
    for rel, data in plan.files.items():
        same = _same_bytes(root / rel, data)
        if same is None and _lstat(root / rel) is None:
            result.missing.append(rel)
        elif not same:  # different bytes, or a link, a folder, a FIFO where a file belongs
            result.stale.append(rel)
    result.unexpected = _leftovers(root, plan)
    return result


def write_plan(plan: Plan, root: Path) -> ExportResult:
    """Write the plan under `root` (created if needed): changed files only, each atomically
    (`write_many`: none is replaced if a write fails before the first rename).

    Every path is checked before the first write (ExportRefused: nothing written); a
    leftover that is a symlink is removed as a link, its target untouched.
    """
    from ..store.many_files import write_many

    base = root.resolve()
    targets: dict[str, Path] = {}
    for rel in plan.files:
        _check_path(root, rel)
        targets[rel] = _inside(root, rel, base)
    result = ExportResult(notes=plan.notes)
    root.mkdir(parents=True, exist_ok=True)
    changed: list[tuple[str, Path, bytes]] = []
    for rel, data in plan.files.items():
        path = targets[rel]
        if _same_bytes(path, data):
            result.unchanged.append(rel)
        else:
            changed.append((rel, path, data))
    write_many([(path, data) for _rel, path, data in changed])  # each atomic, one flush
    result.written += (rel for rel, _path, _data in changed)
    for rel in _leftovers(root, plan):
        # The link itself: `_inside` would resolve it and unlink its target.
        os.unlink(_inside(root, str(Path(rel).parent)) / Path(rel).name)
        result.removed.append(rel)
    return result


def export_all(
    design: Design, out_dir: str | Path, template: str | Path | None = None, **inputs: Any
) -> ExportResult:
    """Write the layout of spec/cli.md under `out_dir`."""
    return write_plan(plan_all(design, template, **inputs), Path(out_dir))


def check_all(
    design: Design, out_dir: str | Path, template: str | Path | None = None, **inputs: Any
) -> CheckResult:
    """What in `out_dir` differs from what `export_all` would write (nothing is written)."""
    return check_plan(plan_all(design, template, **inputs), Path(out_dir))


def decisions_plan(design: Design, library: Any = None) -> Plan:
    """The plan of `--format adr -o DIR`: the records only, directly in DIR."""
    from .adr import decision_records

    files = {name: text.encode("utf-8") for name, text in decision_records(design, library).items()}
    return Plan(files, (), record_dir="", more_record_dirs=())
