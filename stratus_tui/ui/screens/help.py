"""`?` (or f1): every key that works right now, read from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Markdown

ABOUT = """\
**Edits save themselves** a second after you stop typing (atomic, with a `.bak`).
Invalid input is shown in red under the field and never enters the design.
In a field, letters and digits type: `escape` leaves the field, `f1` shows this help.
`ctrl+p` opens the command palette. Keys can be remapped in `keymap.toml` (binding id = key).
"""


class HelpRow(NamedTuple):
    """One binding: its keys as shown, what it does, its id (for keymap.toml), where."""

    keys: str
    does: str
    binding_id: str
    where: str


def _where(node: object) -> str:
    if isinstance(node, App):
        return "everywhere"
    if isinstance(node, Screen):
        return "this screen"
    return type(node).__name__


def help_rows(screen: Screen[object]) -> list[HelpRow]:
    """Every binding active on `screen` now (app, screen, focused widget and its parents),
    one row per binding with all its keys."""
    app = screen.app
    rows: dict[tuple[int, str, str], tuple[list[str], HelpRow]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        does = active.tooltip or binding.tooltip or binding.description or binding.action
        group = (id(active.node), binding.action, binding.id or binding.description)
        # Each key as itself (a binding's key_display names only one of its keys).
        shown = app.get_key_display(Binding(key, binding.action))
        if group in rows:
            rows[group][0].append(shown)
        else:
            rows[group] = ([shown], HelpRow("", does, binding.id or "", _where(active.node)))
    return [row._replace(keys=" / ".join(dict.fromkeys(keys))) for keys, row in rows.values()]


class HelpScreen(ModalScreen[None]):
    """A table of key, what it does, where it works and the binding id to remap it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90%; height: 90%; border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen Markdown { height: auto; margin: 0; }
    HelpScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,f1,q",
            "dismiss",
            "Close",
            id="help.close",
            tooltip="Close the help",
        ),
    ]

    def __init__(self, rows: list[HelpRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Markdown(ABOUT)
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True, id="keys")
            table.add_columns("key", "what it does", "where", "binding id")
            for row in self.rows:
                table.add_row(row.keys, row.does, row.where, row.binding_id)
            yield table


MODULES = (
    "app", "screens.base", "screens.welcome", "screens.discover", "screens.architect",
    "screens.diagram_full",
    "screens.storm", "screens.review", "screens.export", "screens.help", "panes.decisions",
    "panes.services", "panes.flows", "widgets.collection", "widgets.diagram", "widgets.list_field",
    "widgets.storm_dialogs", "dialogs.choice", "dialogs.delete", "dialogs.path",
    "dialogs.pick", "dialogs.prompt",
)  # fmt: skip
"""Every module of the workbench that defines key bindings."""


def binding_catalogue() -> list[HelpRow]:
    """Every workbench binding that has an id, keys shown as `?` shows them, one row per
    id (the README's key list is this table: `python -m stratus_tui.ui.screens.help`)."""
    import importlib
    import inspect

    from textual.dom import DOMNode

    shown = App[None]()
    rows: dict[str, HelpRow] = {}
    for module_name in MODULES:
        module = importlib.import_module(f"stratus_tui.ui.{module_name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or cls.__module__ != module.__name__:
                continue
            for item in cls.__dict__.get("BINDINGS", ()):
                if not isinstance(item, Binding) or not item.id or item.id in rows:
                    continue
                keys = [k.strip() for k in item.key.split(",")]
                rows[item.id] = HelpRow(
                    " / ".join(shown.get_key_display(Binding(k, item.action)) for k in keys),
                    item.tooltip or item.description,
                    item.id,
                    cls.__name__,
                )
    return sorted(rows.values(), key=lambda r: r.binding_id)


def catalogue_markdown() -> str:
    """The key list as the README's Markdown table."""
    lines = ["| Keys | Binding id | Does |", "|---|---|---|"]
    for row in binding_catalogue():
        keys = " / ".join(f"`{k}`" for k in row.keys.split(" / "))
        lines.append(f"| {keys} | `{row.binding_id}` | {row.does} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
