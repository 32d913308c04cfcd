"""Services: the table and detail editor, plus the dependency editor of the service."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import ContentSwitcher, DataTable, Static

from ...core import edits
from ...core.fields import specs_for
from ...core.model import Dependency, Design
from ..dialogs.pick import PickDialog
from ..messages import DesignEdited, post_edit
from ..widgets.collection import CollectionPane, cursor_key
from ..widgets.field_input import set_text
from ..widgets.fit_table import SteadyTable
from ..widgets.form import ModelForm, display, nested_changes
from .collections import SERVICES, _as_choice

DEP_SPECS = _as_choice(specs_for(Dependency, exclude=("from_",)), "to")


def dependency_at(design: Design, index: int, source: str, target: str) -> int:
    """Where `source -> target` is in `design.dependencies`: at `index`, where it was when
    the edit was made, unless an edit applied first moved it (EditError when gone)."""
    deps = design.dependencies
    if 0 <= index < len(deps) and (deps[index].from_, deps[index].to) == (source, target):
        return index
    for i, d in enumerate(deps):
        if (d.from_, d.to) == (source, target):
            return i
    raise edits.EditError(f"the dependency {source} -> {target} no longer exists")


class ServicesPane(CollectionPane):
    """Services on the left, the dependencies of the highlighted one below them."""

    DEFAULT_CSS = """
    ServicesPane .deps { height: 1fr; }
    ServicesPane ContentSwitcher { width: 3fr; border-left: solid $primary; }
    ServicesPane ContentSwitcher ModelForm { width: 1fr; border-left: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+l",
            "add_dependency",
            "Add dependency",
            id="services.add_dependency",
            tooltip="Add a dependency from the selected service (pick the target)",
        ),
        Binding(
            "shift+f8,x",
            "delete_dependency",
            "Delete dependency",
            id="services.delete_dependency",
            tooltip="Delete the highlighted dependency of the selected service",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(SERVICES, id="services-pane")
        self.dep_index: int | None = None
        self._dep_rows: list[tuple[int, Dependency]] | None = None
        self._deps_title = ""

    def compose_extra(self) -> ComposeResult:
        yield Static("Dependencies (ctrl+l add, x delete)", classes="pane-title", id="deps-title")
        table = SteadyTable(cursor_type="row", classes="deps")  # a refill lays out nothing
        table.add_columns("to", "mode", "protocol", "timeout", "retries", "breaker")
        yield table

    def compose_forms(self) -> ComposeResult:
        with ContentSwitcher(initial="services-form"):
            yield ModelForm(self.collection.specs, id="services-form")
            yield ModelForm(DEP_SPECS, id="dependency-form")

    @property
    def deps_table(self) -> DataTable[str]:
        return self.query_one("DataTable.deps", DataTable)

    @property
    def dep_form(self) -> ModelForm:
        return self.query_one("#dependency-form", ModelForm)

    def choices(self, design: Design) -> dict[str, list[str]]:
        return {"datastore": [d.id for d in design.datastores]}

    def load_form(self, design: Design) -> None:
        super().load_form(design)
        self._show_dependencies(design)

    def _show_dependencies(self, design: Design) -> None:
        table = self.deps_table
        sid = self.selected_id
        rows = [(i, d) for i, d in enumerate(design.dependencies) if d.from_ == sid]
        keep = self.dep_index
        if rows != self._dep_rows:
            self._fill_dependencies(rows)
        self._dep_rows = rows
        indexes = [i for i, _ in rows]
        if keep in indexes:
            table.move_cursor(row=indexes.index(keep), animate=False)
        else:
            # Never another service's dependency: the form below edits what it shows.
            self.dep_index = (
                indexes[min(max(table.cursor_row, 0), len(indexes) - 1)] if indexes else None
            )
        title = f"Dependencies of {sid} (ctrl+l add, x delete)" if sid else "Dependencies"
        if title != self._deps_title:
            self._deps_title = title
            set_text(self.query_one("#deps-title", Static), title)
        self._load_dependency(design)

    def _load_dependency(self, design: Design) -> None:
        """The dependency form shows the highlighted dependency of the selected service.

        Only while it is shown: hidden, it is emptied once and loaded when it comes on
        (`on_descendant_focus`), so moving through the services list does not refill a
        form nobody sees (its target picker lists every component) on every key, and it
        never holds another service's dependency.
        """
        if self.query_one(ContentSwitcher).current != "dependency-form":
            if self.dep_form.model is not None or not self.dep_form.disabled:
                self.dep_form.load(None, key=None)
            return
        dep = self._dependency(design)
        # The options and the value in one pass: the previous dependency's target may not
        # be an option for this service (it may be the service itself).
        self.dep_form.load(
            dep,
            key=self.dep_index,
            choices={"to": sorted(design.component_ids() - {self.selected_id or ""})},
        )

    def _dependency(self, design: Design) -> Dependency | None:
        """The highlighted dependency, if it is one of the selected service's."""
        i = self.dep_index
        if i is None or not 0 <= i < len(design.dependencies):
            return None
        dep = design.dependencies[i]
        return dep if dep.from_ == self.selected_id else None

    def _fill_dependencies(self, rows: list[tuple[int, Dependency]]) -> None:
        table = self.deps_table
        table.clear()
        for i, d in rows:
            table.add_row(
                d.to,
                d.mode,
                display(d.protocol),
                display(d.timeout_ms),
                display(d.retries),
                display(d.circuit_breaker),
                key=str(i),
            )

    @on(DataTable.RowHighlighted, "DataTable.deps")
    def _dep_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value if event.row_key is not None else None
        if key is None or key != cursor_key(self.deps_table):
            return  # stale: from a refill for a service no longer selected
        index = int(key)
        if index == self.dep_index or index not in [i for i, _ in self._dep_rows or ()]:
            return
        self.dep_index = index
        design = self.stratus.design
        if design is not None:
            self._load_dependency(design)

    def on_descendant_focus(self, event: object) -> None:
        focused = self.app.focused
        switcher = self.query_one(ContentSwitcher)
        if focused is self.deps_table:
            if switcher.current != "dependency-form":
                switcher.current = "dependency-form"
                design = self.stratus.design
                if design is not None:
                    self._load_dependency(design)
        elif focused is self.table:
            switcher.current = "services-form"

    @on(ModelForm.Edited, "#dependency-form")
    def _dep_edited(self, event: ModelForm.Edited) -> None:
        event.stop()
        design = self.stratus.design
        dep = self._dependency(design) if design is not None else None
        if design is None or dep is None or self.dep_index is None:
            return
        index, source, target = self.dep_index, dep.from_, dep.to
        name, value = event.name, event.value

        def edit(d: Design) -> Design:
            i = dependency_at(d, index, source, target)
            changes = nested_changes(d.dependencies[i], name, value)
            return edits.update_dependency(d, i, **changes)

        label = f"edit dependency {source}->{target} {name}"
        try:
            edited = DesignEdited.made(design, edit, label, coalesce=True)
        except edits.EditError as exc:
            if not event.revert:
                self.dep_form.refuse(event.name, str(exc))
            return
        post_edit(self, edited)

    def action_add_dependency(self) -> None:
        design = self.stratus.design
        source = self.selected_id
        if design is None or source is None:
            self.notify("Select a service first", severity="warning")
            return
        taken = {d.to for d in design.dependencies if d.from_ == source}
        options = [
            (c, f"{c} ({design.kind_of(c)})")
            for c in sorted(design.component_ids() - {source} - taken)
        ]
        if not options:
            self.notify(f"{source} already depends on every component", timeout=3)
            return
        self.app.push_screen(
            PickDialog(f"{source} depends on ...", options),
            lambda target: self._add_dependency(source, target),
        )

    def _add_dependency(self, source: str, target: str | None) -> None:
        design = self.stratus.design
        if design is None or target is None:
            return
        dependency = Dependency(from_=source, to=target)
        try:
            edited = DesignEdited.made(
                design,
                lambda d: edits.add_dependency(d, dependency),
                f"add dependency {source}->{target}",
            )
        except edits.EditError as exc:
            self.notify(str(exc), severity="error")
            return
        post_edit(self, edited, then=lambda: self._dependency_added(source, target))

    def _dependency_added(self, source: str, target: str) -> None:
        """Once the app holds the new dependency: highlight it, its form to edit."""
        design = self.stratus.design
        if design is None or self.selected_id != source:
            return
        try:
            self.dep_index = dependency_at(design, len(design.dependencies) - 1, source, target)
        except edits.EditError:
            return
        self._show_dependencies(design)
        self.deps_table.focus()

    def action_delete_dependency(self) -> None:
        design = self.stratus.design
        if design is None:
            return
        dep = self._dependency(design)
        if dep is None or self.dep_index is None:
            who = self.selected_id or "the selected service"
            self.notify(f"No dependency of {who} is highlighted: nothing deleted", timeout=3)
            return
        index, source, target = self.dep_index, dep.from_, dep.to
        what = f"dependency {source} → {target} ({dep.mode})"
        edited = DesignEdited.made(
            design,
            lambda d: edits.delete_dependency(d, dependency_at(d, index, source, target)),
            f"delete {what}",
        )
        self.dep_index = None
        post_edit(self, edited)
        self.notify(f"Deleted {what} (ctrl+z brings it back)", timeout=4)
