"""The app as its screens, panes and widgets see it: typed, without importing app.py.

app.py imports the screens (modes, help) and the palette; a widget importing app.py back
would close an import cycle. So the state the widgets read (`design`, `dirty`, the file)
and the navigation they call live on `Workbench`, which `StratusApp` implements, and
`stratus_app` hands it out after an isinstance check. Widgets never change the design
here: they post `messages.DesignEdited` and the app applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App
from textual.reactive import reactive

if TYPE_CHECKING:
    from pathlib import Path

    from ..core.model import Design
    from ..core.store.design_file import Document

MODE_KEYS = {"discover": "1", "architect": "2", "storm": "3", "review": "4", "export": "5"}
"""Each screen (an app mode) and the key that shows it."""


class Workbench(App[None]):
    """What every STRATUS screen and widget may read and call; `StratusApp` is the app."""

    # repaint=False: a reactive on the App repaints the whole screen when it changes, and
    # both change on every keystroke that edits; the widgets showing them refresh
    # themselves (whole-screen repaints were most of a keystroke's time at 200 services).
    design: reactive[Design | None] = reactive(None, init=False, repaint=False)
    """The design being edited; None on the welcome screen."""
    dirty: reactive[bool] = reactive(False, init=False, repaint=False)
    """True while the design differs from what was last saved."""
    document: Document | None
    """The open file (its path, bytes, round-trip tree); None on the welcome screen."""
    loading: Path | None
    """The file being read by the start-up worker (`stratus FILE`), else None."""

    def save_mark(self) -> tuple[str, bool]:
        """What the header says about saving, and whether it is a warning."""
        return ("● unsaved", True) if self.dirty else ("✓ saved", False)

    def after_frame(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the next frame has been drawn (work that must not delay
        what that frame shows)."""
        raise NotImplementedError

    def take_verdicts(self, design: Design) -> object:
        """Pattern verdicts for `design` computed while it was read (`stratus FILE`),
        once; None when there are none."""
        return None

    # Navigation and file actions: implemented by StratusApp.

    async def jump_to(self, component_id: str) -> None:
        """Show `component_id` in its ARCHITECT editor."""
        raise NotImplementedError

    async def run_architect(self, action: str) -> None:
        """Run an ARCHITECT action (palette: add service, add dependency ...)."""
        raise NotImplementedError

    async def open_design(self, path: Path) -> bool:
        """Open `path`; False with a message when it fails."""
        raise NotImplementedError

    async def action_mode(self, mode: str) -> None:
        """Switch to the screen `mode` (one of MODE_KEYS)."""
        raise NotImplementedError

    async def action_welcome(self) -> None:
        """Back to the welcome screen."""
        raise NotImplementedError

    def action_open(self) -> None:
        """Ask for a design file and open it."""
        raise NotImplementedError

    def action_new_design(self) -> None:
        """Ask for the file of a new, empty design and open it."""
        raise NotImplementedError

    def action_undo(self) -> None:
        raise NotImplementedError

    def action_redo(self) -> None:
        raise NotImplementedError

    def action_save(self) -> None:
        raise NotImplementedError


def stratus_app(app: object) -> Workbench:
    """`app` (a widget's `self.app`) as the STRATUS workbench; TypeError outside one."""
    if not isinstance(app, Workbench):
        raise TypeError(f"not a STRATUS workbench: {type(app).__name__}")
    return app
