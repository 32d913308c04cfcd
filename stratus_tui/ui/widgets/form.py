"""A typed form built from a pydantic model class.

Each field gets the input its type calls for: text and numbers in an `Input` (parsed as
you type, with the reason shown under the field when it does not parse), a `Select` for
enums, a yes/no/unanswered `Select` for optional booleans, a comma-separated `Input` for
lists. The form never touches the design: it posts `ModelForm.Edited` with a parsed
value, and the screen applies it (and calls `show_error` if the core refuses it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from ...core.fields import FieldSpec, unwrap_optional
from .field_input import FieldInput, FieldSelect
from .header import AppHeader
from .list_field import ListField

if TYPE_CHECKING:  # pydantic is imported where specs are derived, not for the first frame
    from pydantic import BaseModel


class ParseError(ValueError):
    """The text typed in a field is not a value of the field's type."""


def parse(spec: FieldSpec, text: str) -> Any:
    """The value typed in an Input for `spec`; raises ParseError with a reason."""
    text = text.strip()
    if spec.kind == "list":
        items = tuple(x.strip() for x in split_items(text) if x.strip())
        return items if items or not spec.optional else None
    if not text:
        if spec.optional:
            return None
        raise ParseError("required")
    if spec.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ParseError("a whole number is expected") from None
    if spec.kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ParseError("a number is expected") from None
        if not math.isfinite(value):
            raise ParseError("a finite number is expected")
        return value
    if spec.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ParseError("a date YYYY-MM-DD is expected") from None
    return text


def _quoted(item: str) -> str:
    """`item` as written in a comma-separated field: CSV-quoted when it holds a comma or
    starts with a quote, so the text parses back to the same items."""
    if "," in item or item.startswith('"'):
        return '"' + item.replace('"', '""') + '"'
    return item


def split_items(text: str) -> list[str]:
    """The items of a comma-separated field ("a, \"b, c\"" is two items)."""
    import csv

    try:
        return next(csv.reader([text], skipinitialspace=True), [])
    except csv.Error:  # a line break pasted into the field
        return text.split(",")


def display(value: Any) -> str:
    """How a model value is written in an Input."""
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ", ".join(_quoted(str(v)) for v in value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def get_path(model: BaseModel | None, name: str) -> Any:
    """The value at dotted `name` in `model` (None if a step is missing)."""
    value: Any = model
    for part in name.split("."):
        value = getattr(value, part, None) if value is not None else None
    return value


def _wid(name: str) -> str:
    return "f-" + name.replace(".", "__")


BOOL_OPTIONS: list[tuple[str, bool]] = [("yes", True), ("no", False)]


class ModelForm(VerticalScroll):
    """Inputs for `specs`; `load(model)` fills them; edits are posted as `Edited`."""

    DEFAULT_CSS = """
    ModelForm { height: 1fr; padding: 0 1; }
    ModelForm .group { text-style: bold; color: $accent; margin-top: 1; }
    ModelForm .field { height: auto; margin-bottom: 1; }
    ModelForm .label { color: $foreground; }
    ModelForm .error { color: $error; display: none; }
    ModelForm .error.-shown { display: block; }
    ModelForm Input.-invalid { background: $error 25%; }
    /* A fixed height: an auto-sized Input re-lays out the whole screen per keystroke. */
    ModelForm Input { height: 1; }
    ModelForm .-unanswered SelectCurrent { color: $text-muted; }
    """

    @dataclass
    class Edited(Message):
        """A field now holds a valid value of its type."""

        form: ModelForm
        name: str
        value: Any
        revert: bool = False
        """Put back the value from before a run of keystrokes that ended invalid."""

        @property
        def control(self) -> ModelForm:
            return self.form

    HELP_WIDTH: ClassVar[int] = 0

    def __init__(
        self,
        specs: list[FieldSpec],
        *,
        model: BaseModel | None = None,
        id: str | None = None,  # noqa: A002
        rest_waits_for_model: bool = False,
        hold_rest: bool = False,
    ) -> None:
        super().__init__(id=id)
        self._rest_waits = rest_waits_for_model and not hold_rest
        """The fields below the first screenful are built when `load` brings a model
        (the design is still being read): built once with their values, not refilled."""
        self._hold_rest = hold_rest
        """The owner builds the fields below the first screenful (`build_rest`) when what
        the first frames must show is on screen; nothing here builds them."""
        self._rest_started = False
        self.rest_built = asyncio.Event()
        """Set once every field is mounted (at once for a form of one screenful)."""
        self.specs = specs
        self.by_id = {_wid(s.name): s for s in specs}
        self.model: BaseModel | None = model
        """Shown from the first frame when given (no restyling pass after mount)."""
        self._posted: dict[str, list[Any]] = {}
        """Values each field posted while typing: their echoes must not undo newer keys."""
        self._built: set[str] = set()
        self.invalid: dict[str, str] = {}
        """Fields whose text is not a valid value (name -> why): shown in red, NOT in the
        design. The screen's header says so, since the file does not hold what is shown."""
        self._origin: dict[str, Any] = {}
        """Each field's value before its current run of keystrokes: what the design goes
        back to when the run ends invalid (`150` must not leave the `15` it passed)."""
        self._item: Any = None
        """Which item the form shows (`load(key=...)`); another item drops pending text."""
        self._options: dict[str, list[str]] = {}
        """Options each id picker should offer (`set_choices`), besides its current value."""

    EAGER: ClassVar[int] = 10
    """Fields built for the first frame; the rest are mounted right after it."""

    def compose(self) -> ComposeResult:
        yield from self._build(self.specs[: self.EAGER], None)
        self._built.update(s.name for s in self.specs[: self.EAGER])
        if len(self.specs) <= self.EAGER:
            self._rest_started = True
            self.rest_built.set()

    def on_mount(self) -> None:
        if self._hold_rest or self._rest_started:
            return
        if not (self._rest_waits and self.model is None):
            self._rest_waits = False
            self.call_after_refresh(self.build_rest)

    async def build_rest(self) -> None:
        """Build the fields below the first screenful (once); return when all are mounted.

        Safe to call any number of times, from anywhere: a call while they are being
        mounted waits for that mount.
        """
        if self._rest_started:
            await self.rest_built.wait()
            return
        self._rest_started = True
        self._rest_waits = False
        try:
            if self.is_attached:
                await self._mount_rest()
        finally:
            self.rest_built.set()

    async def _mount_rest(self) -> None:
        first_group = self.specs[self.EAGER - 1].group
        await self.mount_all(self._build(self.specs[self.EAGER :], first_group))
        self._built.update(s.name for s in self.specs[self.EAGER :])
        # The model may have changed while the rest waited: show its current values.
        # (None: the design is still being read; `load` disabling the form would
        # restyle every field now and again when the design arrives.)
        if self.model is not None:
            self.load(self.model)

    def _build(self, specs: list[FieldSpec], group: str | None) -> list[Widget]:
        widgets: list[Widget] = []
        for spec in specs:
            if spec.group and spec.group != group:
                group = spec.group
                widgets.append(Static(group, classes="group", markup=False))
            label = Text(spec.label, style="bold")
            if spec.help:
                label.append("  " + spec.help, style="dim")
            widgets.append(
                Vertical(
                    Static(label, classes="label"),
                    self._input(spec),
                    Static("", classes="error", id=f"{_wid(spec.name)}-error", markup=False),
                    classes="field",
                )
            )
        return widgets

    def _input(self, spec: FieldSpec) -> Widget:
        wid = _wid(spec.name)
        value = get_path(self.model, spec.name)
        unanswered = "-unanswered" if value is None else ""
        if spec.kind in ("choice", "bool"):
            options = BOOL_OPTIONS if spec.kind == "bool" else [(c, c) for c in spec.choices]
            return FieldSelect(
                options,
                prompt="— unanswered —",
                id=wid,
                classes=unanswered,
                compact=True,
                value=Select.NULL if value is None else value,
            )
        if spec.kind == "items":
            field = ListField("add an item, Enter", id=wid)
            field.items = tuple(value or ())
            return field
        placeholder = {
            "list": "comma, separated",
            "int": "unanswered (whole number)",
            "float": "unanswered (number)",
            "date": "YYYY-MM-DD",
        }.get(spec.kind, "unanswered" if spec.optional else "required")
        # validate_on=(): Textual's own validation sets and clears `-invalid` on blur and
        # Enter; the form alone decides when a field's text is refused.
        return FieldInput(
            display(value), placeholder=placeholder, id=wid, compact=True, validate_on=()
        )

    # ---------------------------------------------------------------- model -> inputs

    def load(
        self,
        model: BaseModel | None,
        *,
        key: object = None,
        choices: dict[str, list[str]] | None = None,
    ) -> None:
        """Show `model`'s values, leaving alone any field whose text already means them.

        `key` names the item shown (default: the model's class and id); showing another
        item drops text still pending in a field. `choices` sets the options of id pickers
        in the same pass as their values, so a picker never holds a value that is not one
        of its options (Textual raises on that: the crash of issue 11, item 1).
        """
        self.model = model
        if choices:
            self._options.update(choices)
        item = key if key is not None else _item_key(model)
        if item != self._item:
            self._item = item
            self._origin.clear()
            self._posted.clear()
            for name in list(self.invalid):
                self.show_error(name, None)
        if self._rest_waits and model is not None and not self._rest_started:
            self._rest_waits = False
            self.call_after_refresh(self.build_rest)
        for spec in self.specs:
            if spec.name not in self._built:
                continue  # mounted after the first frame, from `self.model`
            value = get_path(model, spec.name)
            try:
                widget = self._widget(spec.name)
            except NoMatches:  # still being mounted: it is built from `self.model`
                continue
            if isinstance(widget, Select):
                self._show_choice(spec, widget, value)
            elif isinstance(widget, ListField):
                widget.set_items(tuple(value or ()))
            elif isinstance(widget, Input):
                self._show_text(spec, widget, value)
        self.disabled = model is None

    def _show_choice(self, spec: FieldSpec, select: Select[Any], value: Any) -> None:
        options = self._options.get(spec.name)
        if options is not None:
            # The current value stays choosable even when the options leave it out: a
            # value without its option is what Textual refuses.
            wanted = options if value is None or value in options else [*options, value]
            if getattr(select, "_stratus_options", None) != wanted:
                select._stratus_options = wanted  # type: ignore[attr-defined]
                with select.prevent(Select.Changed):
                    select.set_options([(c, c) for c in wanted])
        target = Select.NULL if value is None else value
        if select.value != target:
            with select.prevent(Select.Changed):
                select.value = target
        select.set_class(value is None, "-unanswered")

    def _show_text(self, spec: FieldSpec, widget: Input, value: Any) -> None:
        name = spec.name
        if name in self.invalid:
            if value == self._origin.get(name) or value in self._posted.get(name, ()):
                return  # still pending: the red text stays until fixed or left
            self.show_error(name, None)  # the value changed under it (undo, reload)
        try:
            same = parse(spec, widget.value) == value
        except ParseError:
            same = False
        if same and (value is not None or not widget.value):
            return
        if widget.has_focus and value in self._posted.get(name, ()):
            # An echo of an earlier keystroke of ours while newer text is still on
            # its way: keep what the user typed (undo brings values never posted).
            return
        with widget.prevent(Input.Changed):
            widget.value = display(value)
        self._origin[name] = value  # what is shown is the design's: a new run starts here

    # ---------------------------------------------------------------- inputs -> messages

    def _widget(self, name: str) -> Widget:
        """The input of field `name` (looked up once: load runs on every keystroke)."""
        cache: dict[str, Widget] = self.__dict__.setdefault("_inputs", {})
        if name not in cache:
            cache[name] = self.query_one(f"#{_wid(name)}")
        return cache[name]

    def label_of(self, name: str) -> str:
        """The label of field `name` as shown above it."""
        return next((s.label for s in self.specs if s.name == name), name)

    def show_error(self, name: str, message: str | None) -> None:
        """Show (or clear) the reason under field `name`.

        For a text field the message means its text is refused: it stays on screen in
        red, and the design goes back to the value from before the keystrokes that led
        there, so the design never holds a half-typed value (`15` on the way to `150`).
        """
        error = self.query_one(f"#{_wid(name)}-error", Static)
        widget = self._widget(name)
        pending = bool(message) and isinstance(widget, Input)
        was = set(self.invalid)
        if pending:
            self.invalid[name] = message or ""
            origin = self._origin.get(name, get_path(self.model, name))
            if origin != get_path(self.model, name):
                self.post_message(self.Edited(self, name, origin, revert=True))
        else:
            self.invalid.pop(name, None)
        if set(self.invalid) != was and self.is_attached:
            # Directly, not by a message: one posted while the pane handles an event
            # would stop bubbling at the pane (Textual stops a message at its sender).
            show_pending(self.screen)
        if not message and not error.has_class("-shown"):
            return
        error.update(message or "")
        error.set_class(bool(message), "-shown")
        widget.set_class(bool(message), "-invalid")

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        spec = self.by_id.get(event.input.id or "")
        if spec is None:
            return
        event.stop()
        self._origin.setdefault(spec.name, get_path(self.model, spec.name))
        try:
            value = parse(spec, event.value)
        except ParseError as exc:
            self.show_error(spec.name, str(exc))
            return
        self.show_error(spec.name, None)
        if value != get_path(self.model, spec.name):
            posted = self._posted.setdefault(spec.name, [])
            posted.append(value)
            del posted[:-50]
            self.post_message(self.Edited(self, spec.name, value))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A visit to a field is one run of keystrokes: if it ends invalid, the design goes
        # back to the value the field had when the visit began (not on blur: the last
        # keystroke's verdict from the core may still be on its way then).
        spec = self.by_id.get(event.widget.id or "")
        if spec is not None and spec.name not in self.invalid:
            self._origin[spec.name] = get_path(self.model, spec.name)

    @on(ListField.Changed)
    def _list_changed(self, event: ListField.Changed) -> None:
        spec = self.by_id.get(event.field.id or "")
        if spec is None:
            return
        event.stop()
        value = event.items or (None if spec.optional else ())
        if value != get_path(self.model, spec.name):
            self.post_message(self.Edited(self, spec.name, value))

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        spec = self.by_id.get(event.select.id or "")
        if spec is None:
            return
        event.stop()
        value = None if event.value is Select.NULL else event.value
        event.select.set_class(value is None, "-unanswered")
        self.show_error(spec.name, None)
        if value != get_path(self.model, spec.name):
            self.post_message(self.Edited(self, spec.name, value))

    def refuse(self, name: str, message: str) -> None:
        """The core refused the value of field `name`: say why, keep the design's value.

        Typed text stays (red, pending); a picker shows the design's value again.
        """
        self.show_error(name, message)
        widget = self._widget(name)
        if isinstance(widget, Select):
            self._show_choice(self.by_id[_wid(name)], widget, get_path(self.model, name))

    def set_choices(self, name: str, choices: list[str]) -> None:
        """Replace the options of choice field `name` (ids that exist in the design)."""
        self._options[name] = choices
        widget = self._widget(name)
        if isinstance(widget, Select):
            self._show_choice(self.by_id[_wid(name)], widget, get_path(self.model, name))

    def focus_field(self, name: str) -> None:
        """Move focus to field `name`."""
        self.query_one(f"#{_wid(name)}").focus()


def show_pending(screen: Widget) -> None:
    """Tell `screen`'s header which field holds text the design does not (or none)."""
    pending = [
        form.label_of(name)
        for form in screen.query(ModelForm)
        for name in form.invalid
        if form.is_attached
    ]
    text = f"invalid value in {', '.join(pending)}" if pending else None
    for header in screen.query(AppHeader):
        header.show_pending(text)


def _item_key(model: BaseModel | None) -> object:
    """Which item `model` is, for `ModelForm.load`: its class and id."""
    if model is None:
        return None
    return (type(model).__name__, getattr(model, "id", None))


def nested_changes(model: BaseModel, name: str, value: Any) -> dict[str, Any]:
    """Top-level `changes` for setting dotted `name` to `value` inside `model`.

    "slo.availability" on a service without an SLO creates the SLO. Raises EditError
    (from core.edits) when the nested value is invalid.
    """
    from ...core.edits import replace_fields

    head, _, rest = name.partition(".")
    if not rest:
        return {head: value}
    sub = getattr(model, head)
    if sub is None:
        inner, _ = unwrap_optional(type(model).model_fields[head].annotation)
        sub = inner()
    return {head: replace_fields(sub, **nested_changes(sub, rest, value))}
