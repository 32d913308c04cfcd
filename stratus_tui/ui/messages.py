"""What the widgets tell the app: an edit of the design (`DesignEdited`).

Screens, panes and widgets never change the design themselves: they make the new design
with a pure function of `stratus_tui.core` (its errors are theirs to show) and post it; the
app applies it in one place (undo step, dirty mark, autosave) and every widget redraws
from the app's `design` (attributes down, messages up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from ..core.model import Design

Edit = Callable[["Design"], "Design"]
"""A pure edit: the design before -> the design after (raises ValueError when refused)."""


@dataclass
class DesignEdited(Message):
    """Replace the app's design with `design`: one undo step named `label`.

    `coalesce=True` (typing in a field) makes consecutive edits with the same label one
    undo step. An edit made by `edit` from `base` is made again on the app's design when
    that is no longer `base`: keys typed faster than the app applies them must not each
    start from the same design (the later edit would undo the earlier one).
    """

    design: Design
    label: str
    coalesce: bool = False
    base: Design | None = None
    edit: Edit | None = None

    @classmethod
    def made(cls, base: Design, edit: Edit, label: str, *, coalesce: bool = False) -> DesignEdited:
        """`edit` applied to `base` now; raises what `edit` raises (the caller shows it)."""
        return cls(edit(base), label, coalesce, base, edit)


def post_edit(
    node: MessagePump, edited: DesignEdited, then: Callable[[], object] | None = None
) -> None:
    """Post `edited` to the app; `then` runs once the app has applied it.

    Straight to the app rather than bubbling: no widget between handles it, and a widget
    removed meanwhile would drop it. `then` is queued behind it on the app's queue, which
    is first in, first out, so it sees the new design (and every widget redrawn from it).
    """
    app = node.app
    app.post_message(edited)
    if then is not None:
        app.call_later(then)
