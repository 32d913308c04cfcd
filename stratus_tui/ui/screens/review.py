"""REVIEW: lint findings by severity (click selects, Enter or a double click opens the
component) and the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table as RichTable
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.style import Style as VisualStyle
from textual.widgets import Markdown, Static, TabbedContent, TabPane, Tree
from textual.widgets._markdown import MarkdownBlock, MarkdownTable  # a block type to swap
from textual.worker import get_current_worker

from ..optional import lint, render_report
from ..widgets.deferred import Deferred
from ..widgets.diff_view import DiffView
from ..widgets.reasons import ReasonsView
from .base import WorkbenchScreen

if TYPE_CHECKING:
    from ...core.model import Design

SEVERITIES = ("error", "warning", "info")
WIDE_FINDINGS = 60
"""From this pane width on, each finding's message shows in the tree too; narrower, the
tree lists rule and component (they fit) and the hint below shows the whole finding."""


LONG_TABLE = 100
"""Cells from which a report table is drawn as one widget (see `ReportTable`)."""


class ReportTable(MarkdownTable):
    """A long table of the report (one row per service at 200 services) as ONE widget.

    Textual's Markdown table makes a widget of every cell: at 200 services the report
    held ~3,800 of them, and every layout of the REVIEW screen (each arrow key in the
    findings updates the hint) walked them all, ~100 ms a key. Small tables keep the
    usual look; a big one is a rich table in a single Static, its cells keeping their
    styles (inline code), no tooltips.
    """

    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        if len(headers) * (len(rows) + 1) < LONG_TABLE:
            yield from super().compose()
            return
        self._headers, self._rows = headers, rows
        parse = getattr(self, "_get_style", None)  # resolves $variables as cells do
        base = self.visual_style  # translucent colours blend over the background
        table = RichTable(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
        header = self.app.theme_variables.get("primary", "blue")
        for cell in headers:
            table.add_column(_rich_text(cell, parse, base), header_style=f"bold {header}")
        for row in rows:
            table.add_row(*(_rich_text(cell, parse, base) for cell in row))
        yield Static(table, classes="long-table")


def _rich_text(content: Content, parse: Any, base: VisualStyle) -> Text:
    text = Text()
    for part, style in content.render(parse_style=parse, end=""):
        text.append(part, (base + style).rich_style)
    return text


class Report(Markdown):
    """The report; long tables are one widget each (`ReportTable`)."""

    BLOCKS: dict[str, type[MarkdownBlock]] = {  # noqa: RUF012 (as Textual declares it)
        **Markdown.BLOCKS,
        "table_open": ReportTable,
    }


class FindingsTree(Tree[Any]):
    """A click only selects a finding (to read it below); Enter or a double click opens
    its component. Textual's Tree opens on the first click, which left REVIEW at once."""

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "line" not in meta or meta.get("toggle", False):
            return  # Tree's own handler runs next: expand or collapse
        event.prevent_default()  # ... and not here: it would open the component
        async with self.lock:
            self.cursor_line = meta["line"]
            if event.chain >= 2:
                await self.run_action("select_cursor")


class ReviewScreen(Deferred, WorkbenchScreen):
    """Findings on the left, the STRATUS Architecture Report on the right."""

    TITLE_TEXT = "REVIEW"

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="review-body"):
            with Vertical(id="findings-pane"):
                yield Static("Findings (Enter or double click: open)", classes="pane-title")
                tree = FindingsTree("findings", id="findings")
                tree.show_root = False
                yield tree
                yield ReasonsView(id="hint")
            with TabbedContent(id="review-tabs"):
                with TabPane("Report", id="report-tab"), VerticalScroll(id="report-pane"):
                    yield Report("Computing the report ...", id="report")
                with TabPane("Since last commit", id="diff-tab"):
                    yield DiffView(id="diff-view")  # `stratus diff --git HEAD FILE`

    def on_mount(self) -> None:
        self.watch(self.app, "design", self.design_changed, init=False)
        self._findings: list[Any] = []
        self._wide: bool | None = None

    def on_resize(self) -> None:
        if self._wide is not None:
            self._fill_tree()

    def _is_wide(self) -> bool:
        return self.query_one("#findings-pane").size.width >= WIDE_FINDINGS

    def on_screen_resume(self) -> None:
        self.refresh_if_stale()

    @work(thread=True, exclusive=True, group="review", description="review")
    def compute(self, design: Design) -> None:
        try:
            findings: list[Any] | str | None = lint(design)
            report = render_report(design)
        except Exception as exc:  # analysis bugs show as text, the editor keeps working
            findings, report = f"Analysis failed: {exc}", None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, design, findings, report)

    def _show(self, design: Design, findings: list[Any] | str | None, report: str | None) -> None:
        if not self.result_is_current(design):
            return
        if findings is None or isinstance(findings, str):
            self._findings = []
            self.query_one("#findings", Tree).clear()
            self.query_one("#hint", ReasonsView).update(findings or "Lint is not available.")
        else:
            self._findings = findings
            self._fill_tree()
        self.query_one("#report", Markdown).update(
            report or "The report is not available in this build."
        )

    def _fill_tree(self) -> None:
        tree = self.query_one("#findings", Tree)
        self._wide = wide = self._is_wide()
        # Past the tree's guides and scrollbar a label is cut: end it in "…" instead (the
        # hint below shows the highlighted finding whole).
        room = max(20, tree.size.width - 4 - tree.styles.scrollbar_size_vertical - 1)
        tree.clear()
        for severity in SEVERITIES:
            group = [f for f in self._findings if f.severity == severity]
            node = tree.root.add(f"{severity} ({len(group)})", expand=True)
            for f in group:
                where = f" [{f.component}]" if f.component else ""
                accepted = " (accepted)" if getattr(f, "accepted", False) else ""
                message = f": {f.message}" if wide else ""
                # Text, not a str: "[component]" would be read as markup and vanish.
                label = Text(f"{f.rule}{where}{message}{accepted}")
                label.truncate(room, overflow="ellipsis")
                node.add_leaf(label, data=f)
        if not wide:
            self.query_one("#hint", ReasonsView).update("Highlight a finding to read it in full.")

    @on(Tree.NodeHighlighted, "#findings")
    def _highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        finding = event.node.data
        if finding is not None:
            where = f" [{finding.component}]" if finding.component else ""
            self.query_one("#hint", ReasonsView).update(
                f"{finding.severity} {finding.rule}{where}: {finding.message}\nHint: {finding.hint}"
            )

    @on(Tree.NodeSelected, "#findings")
    async def _selected(self, event: Tree.NodeSelected[Any]) -> None:
        finding = event.node.data
        if finding is not None and finding.component:
            await self.stratus.jump_to(str(finding.component))
