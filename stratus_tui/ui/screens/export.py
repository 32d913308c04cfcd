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
    from ...core.actions.exporting import format_names as names

    return [ALL, *(n for n in names() if n != ALL)]


def ops_preview(design: Design, name: str) -> str:
    """What `observe` or `k8s` writes: the file list, then the first rule file or manifest."""
    from ...core.actions.exporting import folder_plan

    plan = folder_plan(design, name)
    if not plan.files:
        return "\n".join(["Nothing to write:", *plan.notes])
    paths = sorted(plan.files)
    first = next((p for p in paths if p.startswith(("prometheus/", "base/"))), paths[0])
    lines = [f"{OPS[name]}/{p}" for p in paths] + [f"note: {n}" for n in plan.notes]
    return "\n".join([*lines, "", f"--- {OPS[name]}/{first}", plan.files[first].decode()])


def write_exports(
    design: Design,
    folder: Path,
    formats: list[str],
    stem: str,
    design_path: Path | None = None,
) -> list[str]:
    """Write the chosen formats under `folder` (core/actions/exporting.py names the
    files and refuses to overwrite the design file); the paths, relative to it, each
    with what happened to it."""
    from ...core.actions.exporting import export_formats
    from ...core.confine import export_root

    # under `stratus serve`: the design's folder only
    done = export_formats(
        design, folder, formats, stem, design_path=design_path, confine_to=export_root()
    )
    return (
        [f"{p} (written)" for p in done.written]
        + [f"{p} (unchanged)" for p in done.unchanged]
        + [f"{p} (removed)" for p in done.removed]
    )


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

    @work(thread=True, exclusive=True, group="export-preview", description="export-preview")
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

    @work(thread=True, exclusive=True, group="export-check", description="export-check")
    def check(self, design: Design, folder: Path) -> None:
        from ...core.actions.exporting import check_exports

        if not folder.is_dir():
            message = f"{folder} does not exist yet: Write creates it."
        else:
            try:
                from ...core.confine import export_root

                result: Any = check_exports(design, folder, confine_to=export_root())
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
        self.write(design, self.folder, formats, stem, doc.path if doc is not None else None)

    @work(thread=True, exclusive=True, group="export-write", description="export-write")
    def write(
        self, design: Design, folder: Path, formats: list[str], stem: str, path: Path | None
    ) -> None:
        try:
            written = write_exports(design, folder, formats, stem, path)
            text = "\n".join(written) or "Nothing to write."
        except Exception as exc:  # disk full, permission denied, dot crashed ...
            text = f"Export failed: {exc}"
        self.app.call_from_thread(self._written, text)
        # Workers are started from the event loop: from this thread it would have none.
        self.app.call_from_thread(self.check, design, folder)

    def _written(self, text: str) -> None:
        self.query_one("#written", Static).update(text)
