"""Command palette: `edit: undo`, `file: open design`, `add: service`, `jump: <id>` ..."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .workbench import MODE_KEYS, Workbench, stratus_app

if TYPE_CHECKING:
    from ..core.model import Design

Entry = tuple[str, Callable[[], Awaitable[None] | None], str]


class StratusCommands(Provider):
    """Workbench actions with category prefixes."""

    def _entries(self) -> list[Entry]:
        app = stratus_app(self.app)
        design = app.design
        files: list[Entry] = [
            ("file: open design", app.action_open, "open or create a design file (Tab completes)"),
            ("file: new design", app.action_new_design, "a new, empty design file"),
        ]
        if design is None:
            return files
        entries: list[Entry] = [
            ("edit: undo", app.action_undo, "ctrl+z: undo the last edit"),
            ("edit: redo", app.action_redo, "ctrl+y: redo the last undone edit"),
            ("file: save", app.action_save, "ctrl+s: save now"),
            *files,
            ("screen: welcome", app.action_welcome, "back to the welcome screen"),
        ]
        entries += [
            (f"screen: {mode}", partial(app.action_mode, mode), f"key {key}")
            for mode, key in MODE_KEYS.items()
        ]
        entries += [
            ("add: service", partial(app.run_architect, "add_service"), "new service"),
            (
                "add: dependency",
                partial(app.run_architect, "add_dependency"),
                "from the selected service",
            ),
            ("add: datastore", partial(app.run_architect, "add_datastore"), "new datastore"),
            ("add: external", partial(app.run_architect, "add_external"), "new external"),
            (
                "add: failure mode",
                partial(app.run_architect, "add_failure_mode"),
                "for the selected component",
            ),
            ("export: all formats", partial(app.action_mode, "export"), "EXPORT screen"),
            *_diagram_entries(app, design),
        ]
        for group, kind in (
            (design.services, "service"),
            (design.datastores, "datastore"),
            (design.externals, "external"),
        ):
            for c in group:
                entries.append((f"jump: {c.id}", partial(app.jump_to, c.id), f"{kind} {c.label}"))
        return entries

    async def discover(self) -> Hits:
        for text, callback, help_text in self._entries():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text)


def _diagram_entries(app: Workbench, design: Design) -> list[Entry]:
    """The ARCHITECT diagram's views: full screen, SVG, tidy, each flow, each context."""
    from ..core.flows import flows_of

    run = app.run_architect
    entries: list[Entry] = [
        ("diagram: full screen", partial(run, "diagram_full"), "ctrl+f in ARCHITECT"),
        (
            "diagram: save as SVG",
            partial(run, "save_diagram_svg"),
            "the diagram as shown, beside the design file",
        ),
        ("diagram: tidy layout", partial(run, "tidy_diagram"), "lay the diagram out afresh"),
    ]
    for flow in flows_of(design):
        entries.append(
            (
                f"diagram: flow {flow.id}",
                partial(run, f"diagram_flow({flow.id!r})"),
                f"highlight the path of {flow.name}",
            )
        )
    for ctx in sorted({s.context for s in design.services if s.context}):
        entries.append(
            (
                f"diagram: context {ctx}",
                partial(run, f"diagram_context({ctx!r})"),
                "only this context and its neighbours",
            )
        )
    return entries
