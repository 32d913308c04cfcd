"""`?`: every active key binding with what it does, plus how the workbench behaves."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Markdown

ABOUT = """\
**Edits save themselves** a second after you stop typing (atomic, with a `.bak`).
Invalid input is shown in red under the field and never enters the design.
`ctrl+p` opens the command palette: add a service or dependency, jump to a component,
export, switch screen. Keys can be remapped in `keymap.toml` (binding id = key).
"""


class HelpScreen(ModalScreen[None]):
    """A table of key, what it does and the binding id to remap it (from rows of
    (key, action, binding id, tooltip))."""

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
            "escape,question_mark,q", "dismiss", "Close", id="help.close", tooltip="Close the help"
        ),
    ]

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Markdown(ABOUT)
            table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("key", "what it does", "binding id")
            for key, action, binding_id, tooltip in self.rows:
                table.add_row(key, tooltip or action, binding_id)
            yield table
