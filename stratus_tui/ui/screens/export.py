"""EXPORT: pick formats and a folder, preview, write, and see whether it is up to date."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, SelectionList, Static, TextArea
from textual.worker import get_current_worker

from .base import WorkbenchScreen

if TYPE_CHECKING:
    from ...core.model import Design

ALL = "all"
ADR = "adr"
OBSERVE = "observe"
K8S = "k8s"
OPS = {OBSERVE: "observe", K8S: "deploy/k8s"}
"""Folder formats of the OBSERVE and DEPLOY exports, and their folder under the export's."""


def format_names() -> list[str]:
    """`all` first, then each single-file format, then `adr`, `observe` and `k8s`."""
    from ...core.export import EXPORTERS

    return [ALL, *EXPORTERS, ADR, OBSERVE, K8S]


def ops_preview(design: Design, name: str) -> str:
    """What `observe` or `k8s` writes: the file list, then the first rule file or manifest."""
    from ...core.export.bundle import k8s_plan, observe_plan

    plan = observe_plan(design) if name == OBSERVE else k8s_plan(design)
    if not plan.files:
        return "\n".join(["Nothing to write:", *plan.notes])
    paths = sorted(plan.files)
    first = next((p for p in paths if p.startswith(("prometheus/", "base/"))), paths[0])
    lines = [f"{OPS[name]}/{p}" for p in paths] + [f"note: {n}" for n in plan.notes]
    return "\n".join([*lines, "", f"--- {OPS[name]}/{first}", plan.files[first].decode()])


def write_exports(design: Design, folder: Path, formats: list[str], stem: str) -> list[str]:
    """Write the chosen formats under `folder`; the paths written, relative to it."""
    from ...core.confine import confine, export_root
    from ...core.export import EXPORTERS, EXTENSIONS, export_all
    from ...core.export.bundle import decisions_plan, write_plan
    from ...core.store.design_file import atomic_write

    folder = confine(folder, export_root())  # under `stratus serve`: the design's folder only
    written: list[str] = []
    folder.mkdir(parents=True, exist_ok=True)
    if ALL in formats:
        result = export_all(design, folder)
        written += [f"{p} (written)" for p in result.written]
        written += [f"{p} (unchanged)" for p in result.unchanged]
    for name in formats:
        if name in EXPORTERS:
            rel = f"{stem}{'' if name == 'mermaid' else '.' + name}{EXTENSIONS[name]}"
            rel = rel if name not in ("mermaid-c4", "storm-mermaid") else f"{stem}.{name}.mmd"
            atomic_write(folder / rel, EXPORTERS[name](design).encode("utf-8"), backup=False)
            written.append(f"{rel} (written)")
    if ADR in formats:
        result = write_plan(decisions_plan(design), folder / "decisions")
        written += [f"decisions/{p} (written)" for p in result.written]
        written += [f"decisions/{p} (unchanged)" for p in result.unchanged]
    for name, sub in OPS.items():
        if name in formats:
            from ...core.export.bundle import k8s_plan, observe_plan

            plan = observe_plan(design) if name == OBSERVE else k8s_plan(design)
            result = write_plan(plan, folder / sub)
            written += [f"{sub}/{p} (written)" for p in result.written]
            written += [f"{sub}/{p} (unchanged)" for p in result.unchanged]
    return written


def ticked_text(selected: list[str]) -> str:
    """The line under the formats saying exactly what Write will write."""
    if not selected:
        return "Nothing ticked: tick a format (space) to write it."
    if ALL in selected:
        return "Will write: all (the full docs layout: every format and the decision records)"
    return "Will write: " + ", ".join(n for n in format_names() if n in selected)


class ExportScreen(WorkbenchScreen):
    """Formats and folder on the left, preview and results on the right."""

    TITLE_TEXT = "EXPORT"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+o",
            "write",
            "Write",
            id="export.write",
            tooltip="Write the selected formats into the folder",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="export-body"):
            with VerticalScroll(id="export-options"):
                yield Label("Formats (space toggles)")
                names = format_names()
                yield SelectionList[str](*[(n, n, n == ALL) for n in names], id="formats")
                yield Static(ticked_text([ALL]), id="ticked", markup=False)
                yield Label("Folder")
                yield Input(self._default_folder(), id="folder")
                yield Button("Write", id="write", variant="primary")
                yield Static("", id="export-status", markup=False)
            with Vertical(id="export-results"):
                yield Label("Preview", id="preview-title")
                yield TextArea("", id="preview", read_only=True)
                yield Label("Written")
                yield Static("Nothing written yet.", id="written", markup=False)

    def _default_folder(self) -> str:
        doc = self.stratus.document
        base = doc.path.parent if doc is not None else Path.cwd()
        return str(base / "docs")

    @property
    def folder(self) -> Path:
        return Path(self.query_one("#folder", Input).value.strip() or "docs").expanduser()

    def on_mount(self) -> None:
        self.watch(self.app, "design", self._changed, init=True)

    def on_screen_resume(self) -> None:
        self._changed(self.design)

    def _changed(self, design: Design | None) -> None:
        if design is not None and self.is_current:
            self.check(design, self.folder)
            self._preview()

    @on(SelectionList.SelectionHighlighted, "#formats")
    def _highlighted(self) -> None:
        self._preview()

    @on(SelectionList.SelectionToggled, "#formats")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        # `all` is the whole documentation layout, not the other ticks added up: it and
        # single formats exclude each other, so what is ticked is what gets written.
        formats = self.query_one("#formats", SelectionList)
        value = event.selection.value
        if value in formats.selected:
            for other in list(formats.selected):
                if (other == ALL) != (value == ALL):
                    formats.deselect(other)

    @on(SelectionList.SelectedChanged, "#formats")
    def _ticked(self, event: SelectionList.SelectedChanged[str]) -> None:
        selected = list(self.query_one("#formats", SelectionList).selected)
        self.query_one("#ticked", Static).update(ticked_text(selected))

    @on(Input.Changed, "#folder")
    def _folder_changed(self) -> None:
        if self.design is not None:
            self.check(self.design, self.folder)

    def _preview(self) -> None:
        selections = self.query_one("#formats", SelectionList)
        index = selections.highlighted
        names = format_names()
        name = names[index] if index is not None and 0 <= index < len(names) else "markdown"
        if name in (ALL, ADR):
            name = "markdown"
        if self.design is not None:
            self.preview(self.design, name)

    @work(thread=True, exclusive=True, group="export-preview")
    def preview(self, design: Design, name: str) -> None:
        from ...core.export import EXPORTERS

        try:
            text = ops_preview(design, name) if name in OPS else EXPORTERS[name](design)
        except Exception as exc:  # e.g. svg without `dot`: say so in the preview
            text = f"{name} export failed: {exc}"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_preview, name, text)

    def _show_preview(self, name: str, text: str) -> None:
        self.query_one("#preview-title", Label).update(f"Preview: {name}")
        self.query_one("#preview", TextArea).load_text(text)

    @work(thread=True, exclusive=True, group="export-check")
    def check(self, design: Design, folder: Path) -> None:
        from ...core.export import check_all

        if not folder.is_dir():
            message = f"{folder} does not exist yet: Write creates it."
        else:
            try:
                from ...core.confine import confine, export_root

                result: Any = check_all(design, confine(folder, export_root()))
            except Exception as exc:  # a folder we cannot read is reported, not raised
                message = f"Cannot check {folder}: {exc}"
            else:
                message = (
                    f"{folder}: up to date"
                    if result.up_to_date
                    else f"{folder}: stale "
                    + ", ".join(result.stale + result.missing + result.unexpected)
                )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._status, message)

    def _status(self, message: str) -> None:
        self.query_one("#export-status", Static).update(message)

    @on(Button.Pressed, "#write")
    def _write_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_write()

    def action_write(self) -> None:
        design = self.design
        formats = list(self.query_one("#formats", SelectionList).selected)
        if design is None:
            return
        if not formats:
            self.notify("Select at least one format", severity="warning")
            return
        doc = self.stratus.document
        stem = doc.path.stem if doc is not None else "design"
        self.write(design, self.folder, formats, stem)

    @work(thread=True, exclusive=True, group="export-write")
    def write(self, design: Design, folder: Path, formats: list[str], stem: str) -> None:
        try:
            written = write_exports(design, folder, formats, stem)
            text = "\n".join(written) or "Nothing to write."
        except Exception as exc:  # disk full, permission denied, dot crashed ...
            text = f"Export failed: {exc}"
        self.app.call_from_thread(self._written, text)
        # Workers are started from the event loop: from this thread it would have none.
        self.app.call_from_thread(self.check, design, folder)

    def _written(self, text: str) -> None:
        self.query_one("#written", Static).update(text)
