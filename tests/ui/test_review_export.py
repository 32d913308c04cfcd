"""REVIEW jumps to components; EXPORT writes files and reports whether they are current."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, SelectionList, Static, Tree

from stratus_tui.ui.app import make_app
from stratus_tui.ui.screens.architect import ArchitectScreen
from stratus_tui.ui.widgets.collection import CollectionPane

from .helpers import goto, settle, stratus


async def test_review_enter_jumps_to_component(design_file: Path) -> None:
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await goto(pilot, "4")
        tree = app.screen.query_one("#findings", Tree)
        groups = {str(n.label).split(" ")[0]: n for n in tree.root.children}
        assert set(groups) == {"error", "warning", "info"}
        leaf = next(
            n
            for g in groups.values()
            for n in g.children
            if n.data is not None and n.data.component == "monolith"
        )
        tree.focus()
        tree.move_cursor(leaf)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "architect"
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        pane = screen.query_one("#services-pane", CollectionPane)
        assert pane.selected_id == "monolith"


async def test_export_writes_and_reports_up_to_date(design_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await goto(pilot, "5")
        screen = app.screen
        folder = screen.query_one("#folder", Input)
        folder.value = str(out)
        formats = screen.query_one("#formats", SelectionList)
        formats.select("mermaid")
        await settle(pilot)
        await pilot.click("#write")
        await settle(pilot)
        assert (out / "design.md").is_file()
        assert (out / "diagrams" / "topology.mmd").is_file()
        assert (out / "checkout.mmd").read_text().startswith(("flowchart", "%%", "---"))
        written = str(screen.query_one("#written", Static).render())
        assert "design.md" in written
        status = str(screen.query_one("#export-status", Static).render())
        assert "up to date" in status
        # an edit makes the folder stale
        from stratus_tui.core import edits
        from stratus_tui.core.model import Service

        assert app.design is not None
        app.apply(edits.add_service(app.design, Service(id="search")), "add search")
        await settle(pilot)
        assert "stale" in str(screen.query_one("#export-status", Static).render())


async def test_palette_lists_workbench_commands(design_file: Path) -> None:
    from stratus_tui.ui.commands import StratusCommands

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        provider = StratusCommands(app.screen)
        names = [text for text, _cb, _help in provider._entries()]
        assert {
            "add: service",
            "add: dependency",
            "jump: stripe",
            "screen: review",
            "export: all formats",
        } <= set(names)
        callback = dict((t, c) for t, c, _h in provider._entries())["jump: stripe"]
        await callback()  # type: ignore[misc]
        await settle(pilot)
        assert app.current_mode == "architect"
        pane = app.screen.query_one("#externals-pane", CollectionPane)
        assert pane.selected_id == "stripe"
