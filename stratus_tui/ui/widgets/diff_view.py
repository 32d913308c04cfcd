"""REVIEW's "since last commit" tab: `stratus diff --git HEAD FILE` for the open design.

Compares the design as it is in the workbench now (saved or not) with the file at the
last commit, and shows the same sections as `stratus diff --format markdown` (headings
instead of collapsible HTML, which the terminal's Markdown viewer does not show). The
diff runs in a thread, only while the tab is on screen (`Deferred`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown
from textual.worker import get_current_worker

from .deferred import Deferred

if TYPE_CHECKING:
    from ...core.model import Design

REVISION = "HEAD"
WAITING = "Comparing with the last commit ..."


def diff_since_commit(design: Design, path: Path | None, rev: str = REVISION) -> str:
    """The Markdown the tab shows: the diff against `rev`, or why there is none."""
    from ...core.diff import diff_designs
    from ...core.diff.git import GitError, design_at, relative_to_root, repo_root
    from ...core.diff.output import to_markdown
    from ...core.escape import md_inline
    from ...core.problems import DesignError

    if path is None:
        return "This design has no file yet: save it in a git repository to compare it."
    try:
        root = repo_root(path.parent)
        rel = relative_to_root(root, path)
        old, old_name = design_at(root, rev, rel)
    except GitError as exc:
        return f"Nothing to compare with: {md_inline(str(exc))}."
    except DesignError as exc:
        return f"The file at the last commit is not a valid design:\n\n{md_inline(str(exc))}"
    result = diff_designs(old, design, old_name=old_name, new_name=f"{rel} (in the workbench)")
    return to_markdown(result, plain=True)


class DiffView(Deferred, VerticalScroll):
    """The diff of the open design against its last commit, computed while shown."""

    DEFAULT_CSS = """
    DiffView { height: 1fr; padding: 0 1; }
    DiffView > Markdown { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Markdown(WAITING, id="diff-md")

    def on_mount(self) -> None:
        self.watch(self.app, "design", self.design_changed, init=False)

    def on_show(self) -> None:
        # A commit moves HEAD without changing the design: compare again on every show.
        self._deferred_stale = True
        self.refresh_if_stale()

    @work(thread=True, exclusive=True, group="diff-view", description="diff-view")
    def compute(self, design: Design) -> None:
        document = getattr(self.app, "document", None)
        path = getattr(document, "path", None)
        try:
            text = diff_since_commit(design, Path(path) if path is not None else None)
        except Exception as exc:  # analysis bugs show as text, the editor keeps working
            text = f"The diff failed: {exc}"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, design, text)

    def _show(self, design: Design, text: str) -> None:
        if not self.result_is_current(design):
            return
        self.query_one("#diff-md", Markdown).update(text)

    @property
    def text(self) -> str:
        """The Markdown shown (for tests and screen readers)."""
        return str(self.query_one("#diff-md", Markdown).source)
