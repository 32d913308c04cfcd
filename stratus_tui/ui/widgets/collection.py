"""A list of design items (services, stores, failure modes ...): table + detail editor.

The table shows one row per item; the form beside it edits the highlighted item. Adding,
renaming and deleting go through dialogs and `core.edits`. Every change is posted to the
app (`messages.DesignEdited`); the pane redraws from the design it is given (attributes
down), so what follows an edit (selecting the new item) runs once the app has applied it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from ...core import edits
from ...core.fields import FieldSpec
from ...core.model import ID_PATTERN, Design
from ..dialogs.delete import DeleteChoice, DeleteDialog
from ..dialogs.prompt import PromptDialog
from ..messages import DesignEdited, Edit, post_edit
from ..workbench import Workbench, stratus_app
from .deferred import Deferred
from .form import ModelForm, display, nested_changes

COMPONENT_SECTIONS = ("services", "datastores", "externals")


@dataclass(frozen=True)
class Collection:
    """What a pane edits: a section of the design and how to show and create items."""

    section: edits.Section
    title: str
    columns: tuple[str, ...]
    specs: list[FieldSpec]
    make: Callable[[str, Design], BaseModel]
    add: Callable[[Design, Any], Design]
    id_base: str


def id_check(design: Design | None, section: edits.Section) -> Callable[[str], str | None]:
    """A prompt check: a well-formed id not already used."""
    import re

    def check(value: str) -> str | None:
        value = value.strip()
        if not re.fullmatch(ID_PATTERN, value):
            return "1-64 letters, digits, '_', '-' or '.', starting with a letter or digit"
        if design is None:
            return None
        if section in COMPONENT_SECTIONS:
            taken = design.component_ids()
        else:
            taken = {x.id for x in getattr(design, section)}
        return f"{value!r} is already used" if value in taken else None

    return check


def without_empty_blocks(item: BaseModel, changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` with an optional block left holding no value at all (a flow's or a
    service's SLO whose last target was cleared, or refused and put back) set to None:
    the file gets no `slo: {}`. Only blocks whose every field is optional, so an empty
    one and none say the same."""
    fields = type(item).model_fields
    out = dict(changes)
    for name, value in changes.items():
        info = fields.get(name)
        if info is None or info.default is not None or not isinstance(value, BaseModel):
            continue
        inner = type(value).model_fields
        if all(f.default is None and getattr(value, n) is None for n, f in inner.items()):
            out[name] = None
    return out


def field_edit(section: edits.Section, item_id: str, name: str, value: Any) -> Edit:
    """The edit setting field `name` (dotted: "slo.availability") of item `item_id`."""

    def edit(design: Design) -> Design:
        # The item as it is in `design`: a nested block keeps what other edits put in it.
        item = next((x for x in getattr(design, section) if x.id == item_id), None)
        if item is None:
            raise edits.EditError(f"{item_id} no longer exists")
        changes = without_empty_blocks(item, nested_changes(item, name, value))
        return edits.update_item(design, section, item_id, **changes)

    return edit


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under `table`'s cursor now (None when the table is empty)."""
    row = table.cursor_row
    if not 0 <= row < table.row_count:
        return None
    return table.ordered_rows[row].key.value


class CollectionPane(Deferred, Vertical):
    """Table of items and a form for the highlighted one."""

    DEFAULT_CSS = """
    CollectionPane { height: 1fr; }
    CollectionPane > Horizontal { height: 1fr; }
    CollectionPane .list { width: 2fr; min-width: 24; }
    CollectionPane .list DataTable { height: 1fr; }
    CollectionPane .pane-title { text-style: bold; color: $accent; padding: 0 1; }
    CollectionPane ModelForm { width: 3fr; border-left: solid $primary; }
    CollectionPane .empty { color: $text-muted; padding: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+n,a", "add", "Add", id="collection.add", tooltip="Add a new item to this list"
        ),
        Binding(
            "f2,r",
            "rename",
            "Rename",
            id="collection.rename",
            tooltip="Give the selected component a new id (references follow)",
        ),
        Binding(
            "f8,delete",
            "delete",
            "Delete",
            id="collection.delete",
            tooltip="Delete the selected item (asks what to do with references)",
        ),
    ]

    @dataclass
    class Selected(Message):
        """The highlighted item changed (the ArchitectScreen tells the diagram)."""

        pane: CollectionPane
        item_id: str | None

        @property
        def control(self) -> CollectionPane:
            return self.pane

    def __init__(self, collection: Collection, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.collection = collection
        self.selected_id: str | None = None
        self._rows: list[tuple[str, ...]] = []

    @property
    def stratus(self) -> Workbench:
        """The app, typed (read it; edits are posted: `post_edit`)."""
        return stratus_app(self.app)

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(classes="list"):
                yield Static(self.collection.title, classes="pane-title", markup=False)
                table: DataTable[str] = DataTable(cursor_type="row", classes="items")
                table.add_columns(*self.collection.columns)
                yield table
                yield from self.compose_extra()
            yield from self.compose_forms()

    def compose_forms(self) -> ComposeResult:
        """The editor(s) on the right."""
        yield ModelForm(self.collection.specs, id=f"{self.collection.section}-form")

    def compose_extra(self) -> ComposeResult:
        """Widgets below the table (subclasses: risk matrix, dependencies)."""
        yield from ()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("DataTable.items", DataTable)

    @property
    def form(self) -> ModelForm:
        return self.query_one(f"#{self.collection.section}-form", ModelForm)

    def on_mount(self) -> None:
        self.watch(self.app, "design", self.show_design, init=True)

    def items(self, design: Design) -> tuple[Any, ...]:
        return tuple(getattr(design, self.collection.section))

    def row_of(self, item: Any) -> tuple[str, ...]:
        return tuple(
            display(getattr(item, c.replace(" ", "_"), None)) for c in self.collection.columns
        )

    def show_design(self, design: Design | None) -> None:
        """Redraw the table only when its rows changed; reload the form."""
        if design is None:
            return
        items = self.items(design)
        rows = [self.row_of(item) for item in items]
        table = self.table
        if rows != self._rows and self._same_ids(rows):
            # Typing in a field changes one cell: updated, not rebuilt. DataTable repaints
            # every row on an update (~40 ms at 200 services), so the cells follow once
            # typing pauses (the form beside shows the value at once).
            self.design_changed_later()
        elif rows != self._rows:
            self._rows = rows
            keep = self.selected_id
            table.clear()
            for item, row in zip(items, rows, strict=True):
                table.add_row(*row, key=item.id)
            ids = [item.id for item in items]
            if keep in ids:
                table.move_cursor(row=ids.index(keep), animate=False)
            elif ids:
                self.selected_id = ids[min(table.cursor_row, len(ids) - 1)]
            else:
                self.selected_id = None
            if self.selected_id != keep:
                self.post_message(self.Selected(self, self.selected_id))
        self.load_form(design)

    def compute(self, design: Design) -> None:
        """Bring the table's cells up to `design` (the same items in the same order)."""
        rows = [self.row_of(item) for item in self.items(design)]
        if rows == self._rows or not self._same_ids(rows):
            return  # up to date, or rebuilt by `show_design` meanwhile
        table = self.table
        columns = list(table.columns)
        for row, old in zip(rows, self._rows, strict=True):
            for i, (new_cell, old_cell) in enumerate(zip(row, old, strict=True)):
                if new_cell != old_cell:
                    table.update_cell(row[0], columns[i], new_cell)
        self._rows = rows

    def on_show(self) -> None:
        self.refresh_if_stale()  # cells edited while the pane was hidden

    def _same_ids(self, rows: list[tuple[str, ...]]) -> bool:
        """Same items in the same order (the first column is the id)."""
        return len(rows) == len(self._rows) and all(
            a[0] == b[0] for a, b in zip(rows, self._rows, strict=True)
        )

    def current(self, design: Design | None = None) -> Any:
        design = design or self.stratus.design
        if design is None or self.selected_id is None:
            return None
        return next((x for x in self.items(design) if x.id == self.selected_id), None)

    def load_form(self, design: Design) -> None:
        self.form.load(self.current(design), choices=self.choices(design))

    def choices(self, design: Design) -> dict[str, list[str]]:
        """Options of the form's id pickers in `design` (set together with the values)."""
        return {}

    @on(DataTable.RowHighlighted, "DataTable.items")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value if event.row_key is not None else None
        if key == self.selected_id or key != cursor_key(self.table):
            # Same item, or a stale event from before a refill or `select`: the table
            # has moved on, and following it would show another item's values.
            return
        self.selected_id = key
        design = self.stratus.design
        if design is not None:
            self.load_form(design)
        self.post_message(self.Selected(self, key))

    def select(self, item_id: str, *, focus: bool = True) -> bool:
        """Highlight `item_id` and focus the table (unless not `focus`: following the
        diagram's selection keeps the keys where they are); False when it is not here."""
        design = self.stratus.design
        if design is None:
            return False
        ids = [x.id for x in self.items(design)]
        if item_id not in ids:
            return False
        self.table.move_cursor(row=ids.index(item_id), animate=False)
        if self.selected_id != item_id:
            self.selected_id = item_id
            self.post_message(self.Selected(self, item_id))
        self.load_form(design)
        if focus:
            self.table.focus()
        return True

    @on(ModelForm.Edited)
    def _edited(self, event: ModelForm.Edited) -> None:
        if event.form is not self.form:
            return
        event.stop()
        design = self.stratus.design
        item = self.current(design)
        if design is None or item is None:
            return
        try:
            edited = DesignEdited.made(
                design,
                field_edit(self.collection.section, item.id, event.name, event.value),
                f"edit {item.id} {event.name}",
                coalesce=True,
            )
        except edits.EditError as exc:
            if not event.revert:
                self.form.refuse(event.name, str(exc))
            return
        post_edit(self, edited)

    # ---------------------------------------------------------------- add / rename / delete

    def action_add(self) -> None:
        design = self.stratus.design
        if design is None:
            return
        suggestion = edits.unique_id(design, self.collection.id_base, self.collection.section)
        self.app.push_screen(
            PromptDialog(
                f"Id of the new {self.collection.id_base}",
                suggestion,
                check=id_check(design, self.collection.section),
            ),
            self._add,
        )

    def make(self, new_id: str, design: Design) -> Any:
        """The new item called `new_id` (subclasses prefill it from the context)."""
        return self.collection.make(new_id, design)

    def _add(self, new_id: str | None) -> None:
        design = self.stratus.design
        if not new_id or design is None:
            return
        add = self.collection.add
        try:
            item = self.make(new_id, design)
            edited = DesignEdited.made(design, lambda d: add(d, item), f"add {new_id}")
        except (edits.EditError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        post_edit(self, edited, then=lambda: self._added(new_id))

    def _added(self, new_id: str) -> None:
        """Once the new item is in the app's design: select it, its first field to type."""
        if self.select(new_id):
            self.form.focus_field(self.collection.specs[0].name)

    def action_rename(self) -> None:
        design = self.stratus.design
        if design is None or self.selected_id is None:
            return
        if self.collection.section not in COMPONENT_SECTIONS:
            self.notify("Only services, datastores and externals are renamed here.", timeout=3)
            return
        old = self.selected_id
        self.app.push_screen(
            PromptDialog(
                f"New id for {old} (references follow)",
                old,
                check=lambda v: (
                    None if v.strip() == old else id_check(design, self.collection.section)(v)
                ),
            ),
            lambda new_id: self._rename(old, new_id),
        )

    def _rename(self, old: str, new_id: str | None) -> None:
        design = self.stratus.design
        if not new_id or design is None or new_id == old:
            return
        try:
            edited = DesignEdited.made(
                design,
                lambda d: edits.rename_component(d, old, new_id),
                f"rename {old} to {new_id}",
            )
        except edits.EditError as exc:
            self.notify(str(exc), severity="error")
            return
        # The redraw keeps the renamed item selected; the diagram follows once it is there.
        self.selected_id = new_id
        post_edit(self, edited, then=lambda: self.post_message(self.Selected(self, new_id)))

    def action_delete(self) -> None:
        design = self.stratus.design
        target = self.selected_id
        if design is None or target is None:
            self.notify(f"No {self.collection.id_base} is selected", timeout=3)
            return
        if self.collection.section in COMPONENT_SECTIONS:
            refs = edits.references_to(design, target)
            others = sorted(design.component_ids() - {target})
            self.app.push_screen(
                DeleteDialog(target, refs, others),
                lambda choice: self._delete_component(target, choice),
            )
            return
        section = self.collection.section
        what = f"{self.collection.id_base} {target}"
        try:
            edited = DesignEdited.made(
                design, lambda d: edits.delete_item(d, section, target), f"delete {what}"
            )
        except edits.EditError as exc:
            self.notify(str(exc), severity="error")
            return
        post_edit(self, edited)
        self.notify(f"Deleted {what} (ctrl+z brings it back)", timeout=4)

    def _delete_component(self, target: str, choice: DeleteChoice | None) -> None:
        design = self.stratus.design
        if choice is None or design is None:
            return
        kind = design.kind_of(target) or "component"
        try:
            edited = DesignEdited.made(
                design,
                lambda d: edits.delete_component(d, target, choice.policy, choice.target),
                f"delete {kind} {target}",
            )
        except edits.EditError as exc:
            self.notify(str(exc), severity="error")
            return
        post_edit(self, edited)
        self.notify(f"Deleted {kind} {target} (ctrl+z brings it back)", timeout=4)
