"""The explanation beside a verdict table: focusable, and it scrolls by keyboard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class ReasonsView(VerticalScroll):
    """Text the keyboard can reach (Tab) and scroll (arrows, page keys, home/end).

    A plain Static clipped by its height could be neither focused nor scrolled, so long
    explanations were cut off at 80x24.
    """

    DEFAULT_CSS = """
    ReasonsView > Static { height: auto; }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._text = text

    def compose(self) -> ComposeResult:
        yield Static(self._text, markup=False)

    def on_mount(self) -> None:
        # Text given between compose and mount (a design read before the first frame
        # brings its verdicts that early) would otherwise be lost.
        self.query_one(Static).update(self._text)

    def update(self, text: str) -> None:
        """Show `text` from its first line.

        The screen is laid out again only when the text takes another number of
        lines: a layout of REVIEW walks every block of its report (~50 ms at 200
        services), and each arrow key in the findings changes this text.
        """
        self._text = text
        found = self.query(Static)
        if not found:
            return  # not composed yet: `on_mount` shows the latest text
        static = found.first()
        width, before = static.content_size
        static.update(text, layout=False)
        if not width or static.get_content_height(self.size, self.app.size, width) != before:
            static.refresh(layout=True)
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The text shown."""
        return self._text
