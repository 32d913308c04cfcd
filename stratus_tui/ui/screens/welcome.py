"""Welcome: recent designs, a new design from a sample, open a file, import."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.problems import DesignError
from ...core.resources import sample_names
from ..dialogs.path import new_check
from ..dialogs.prompt import PromptDialog
from ..recent import load_recent
from .base import WorkbenchScreen

# What `import_design` reads (core.importers.KINDS), named as users know them: the
# importers stay unimported until an import runs.
IMPORTABLE = "docker-compose, Kubernetes, Mermaid, LikeC4 or Structurizr DSL"


class WelcomeScreen(WorkbenchScreen):
    """The first screen of `stratus` without a file."""

    TITLE_TEXT = "WELCOME"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "o",
            "open_file",
            "Open file",
            id="welcome.open",
            tooltip="Open a design file (Tab completes; asks before creating a new one)",
        ),
        Binding(
            "i",
            "import_file",
            "Import",
            id="welcome.import",
            tooltip=f"Bootstrap a design from {IMPORTABLE}",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="welcome-body"):
            yield Static("Choose a design to work on.", id="intro")
            yield Label("Recent designs")
            recent = load_recent()
            yield OptionList(
                *[Option(str(p), id=f"recent:{p}") for p in recent]
                or [Option("(none yet)", id="none", disabled=True)],
                id="recent",
            )
            yield Label("New from a sample (saved as a copy next to where you run stratus)")
            yield OptionList(*[Option(n, id=f"sample:{n}") for n in sample_names()], id="samples")
            yield Static("o open a file · i import · ctrl+q quit", id="hint")

    @on(OptionList.OptionSelected)
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        if oid.startswith("recent:"):
            await self.stratus.open_design(Path(oid.removeprefix("recent:")))
        elif oid.startswith("sample:"):
            name = oid.removeprefix("sample:")
            self.app.push_screen(
                PromptDialog(
                    "Save the new design as (Tab completes)",
                    f"{name}.yaml",
                    check=new_check,
                    paths=True,
                ),
                lambda value: self._new_from_sample(name, value),
            )

    async def _new_from_sample(self, name: str, target: str | None) -> None:
        if not target:
            return
        from ...core.actions import ActionError
        from ...core.actions.new import create_design

        try:  # the CLI's `stratus new --sample`: JSON/TOML by extension, never overwrites
            path = create_design(Path(target).expanduser(), name, shown=target)
        except ActionError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        await self.stratus.open_design(path)

    def action_open_file(self) -> None:
        self.stratus.action_open()

    def action_import_file(self) -> None:
        self.app.push_screen(
            PromptDialog(
                f"Import from ({IMPORTABLE})",
                placeholder="docker-compose.yaml",
                check=_exists_check,
                paths=True,
            ),
            lambda value: self._import(value),
        )

    async def _import(self, source: str | None) -> None:
        if not source:
            return
        from ...core.actions import ActionError
        from ...core.actions.importing import import_design, import_summary_lines

        try:  # the CLI's `stratus import`, to a free name next to the source
            outcome = import_design(Path(source).expanduser())
        except DesignError as exc:  # FILE:LINE:COL problems from the importer
            self.notify(f"Cannot import:\n{exc}", severity="error", timeout=10, markup=False)
            return
        except ActionError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        summary = import_summary_lines(outcome, source, str(outcome.target), detail=False)
        # file names and skipped items are the user's text: "[x]" is not markup
        self.notify(
            "\n".join(summary),
            severity="warning" if outcome.skipped else "information",
            timeout=10,
            markup=False,
        )
        await self.stratus.open_design(outcome.target)


def _exists_check(value: str) -> str | None:
    path = Path(value.strip()).expanduser()
    if path.is_dir():
        return f"{value.strip()} is a folder: give a file inside it (Tab completes)"
    return None if path.is_file() else "no such file"
