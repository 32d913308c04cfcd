"""STORM: the event-storming board for a workshop, typed fast by a facilitator.

Every edit is a pure function of `stratus_tui.core.storm.board` posted to the app
(`messages.DesignEdited`), so the app's undo/redo and autosave cover the board. The capture
input is where typing goes; Escape moves to the board, where single keys move, edit and
group stickies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from ...core.storm import board as storm
from ...core.storm import derive
from ...core.storm.board import StormError
from ..messages import DesignEdited, Edit, post_edit
from ..widgets.storm_board import BoardContext, StormBoard
from ..widgets.storm_dialogs import ContextChoice, ContextPicker, DerivePreview
from ..widgets.storm_phases import PHASES, StormPhases
from .base import WorkbenchScreen

if TYPE_CHECKING:
    from ...core.model import Design, StormItem

CAPTURE_HINT = (
    "! event  > command  @ actor  # aggregate  ~ policy  = read model  $ system  ? hotspot"
    "  (plain text = event) · Enter places it after the cursor"
)
CAPTURE_HINT_SHORT = "!event >command @actor #aggregate ~policy =read model $system ?hotspot"
"""The prefixes alone, for terminals too narrow for the whole hint (80 columns)."""
CAPTURE_TIP = "plain text = event · Enter places it after the cursor"


def _b(
    keys: str, action: str, text: str, bid: str, tip: str, show: bool = True, display: str = ""
) -> Binding:
    return Binding(
        keys, action, text, show=show, id=f"storm.{bid}", tooltip=tip, key_display=display or None
    )


# Actions that act on the board; hidden while the capture input has the keys.
BOARD_ACTIONS = {
    "cursor", "cursor_to", "move", "edit", "delete", "kind", "pivotal", "mark", "context",
    "rename_context", "derive", "phase", "timer", "capture", "zoom", "find", "vote",
}  # fmt: skip
NEEDS_STICKY = {"cursor", "cursor_to", "move", "edit", "delete", "kind", "pivotal", "mark",
                "context"}  # fmt: skip


class StormScreen(WorkbenchScreen):
    """The board, the facilitation stepper and the capture input."""

    CSS_PATH = "storm.tcss"
    TITLE_TEXT = "STORM"
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("escape", "leave_field", "Board", "board", "Leave the capture input for the board"),
        _b("i,enter", "capture", "Capture", "capture", "Type stickies after the cursor", False),
        _b("left", "cursor(-1)", "Earlier", "cursor_left", "Cursor to the sticky before", False),
        _b("right", "cursor(1)", "Later", "cursor_right", "Cursor to the sticky after", False),
        _b("home", "cursor_to(0)", "First", "cursor_first", "Cursor to the first sticky", False),
        _b("end", "cursor_to(-1)", "Last", "cursor_last", "Cursor to the last sticky", False),
        _b("pageup", "cursor(-5)", "Back 5", "cursor_back", "Cursor five stickies back", False),
        _b("pagedown", "cursor(5)", "On 5", "cursor_on", "Cursor five stickies on", False),
        _b("shift+left,left_square_bracket", "move(-1)", "Move", "move_earlier",
           "Move the sticky one place earlier on the timeline", display="⇧←→"),
        _b("shift+right,right_square_bracket", "move(1)", "Later", "move_later",
           "Move the sticky one place later on the timeline", False, "⇧→"),
        _b("e", "edit", "Edit", "edit", "Edit the sticky's text (its prefix changes its kind)"),
        _b("d,delete", "delete", "Delete", "delete", "Take the sticky off the board"),
        _b("k", "kind", "Kind", "kind", "Change the sticky to the next kind", False),
        _b("p", "pivotal", "Pivotal", "pivotal", "Mark or unmark a pivotal event"),
        _b("v", "mark", "Range", "mark", "Start or clear a range from the cursor", False),
        _b("c", "context", "Context", "context", "Put the sticky (or range) in a context"),
        _b("r", "rename_context", "Rename ctx", "rename_context",
           "Rename the context of the sticky under the cursor", False),
        _b("s", "derive", "Derive", "derive", "Preview the services the board suggests"),
        _b("n", "phase(1)", "Next phase", "phase_next", "Go to the next workshop phase", False),
        _b("N", "phase(-1)", "Prev phase", "phase_previous", "Back to the previous phase",
           False),
        _b("t", "timer", "Timer", "timer", "Start or pause the phase timer", False),
        _b("z", "zoom", "Overview", "zoom", "Zoom out to the whole timeline, or back in"),
        _b("slash", "find", "Find", "find", "Find a sticky by its text and jump to it",
           False, "/"),
        _b("plus", "vote(1)", "Dot +", "vote_add",
           "Live workshop: put one of your dots on this hotspot or pivotal event", False),
        _b("minus", "vote(-1)", "Dot -", "vote_remove",
           "Live workshop: take one of your dots back from this sticky", False),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.editing: str | None = None
        """Id of the sticky being edited in the capture input (None: capturing)."""
        self._follow: list[str | None] | None = None
        """The sticky the cursor goes to, while the edit posted last is on its way to the
        app: a cell, which that edit updates if the app makes it again on a newer design
        (a new sticky's id may change then)."""
        self._key_state: tuple[bool, ...] = ()
        self._last_find = ""

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        live = Static("", id="storm-live", markup=False)
        live.display = self.live is not None
        yield live
        yield StormPhases(id="storm-phases")
        yield StormBoard(id="storm-board")
        yield Static("", id="storm-status", markup=False)
        capture = Input(placeholder=CAPTURE_HINT, id="storm-capture")
        capture.border_title = "Capture"
        yield capture

    @property
    def board(self) -> StormBoard:
        return self.query_one(StormBoard)

    @property
    def capture_input(self) -> Input:
        return self.query_one("#storm-capture", Input)

    def on_mount(self) -> None:
        self.watch(self.app, "design", self._design_changed, init=True)
        self.capture_input.focus()
        if self.live is not None:
            self.set_interval(1.0, self.live_changed)  # the facilitator's timer counts down
            self.live_changed()

    @property
    def live(self) -> Any:
        """The live workshop this board is part of (`stratus join`), else None."""
        return getattr(self.app, "live", None)

    def on_resize(self) -> None:
        # The whole hint where it fits; else the prefixes, the rest on the border.
        capture = self.capture_input
        wide = self.size.width >= len(CAPTURE_HINT) + 6  # borders and padding
        capture.placeholder = CAPTURE_HINT if wide else CAPTURE_HINT_SHORT
        capture.border_subtitle = "" if wide else CAPTURE_TIP

    def _design_changed(self, design: Design | None) -> None:
        if design is None:
            return
        board = self.board
        line = storm.timeline(design)
        contexts = tuple(BoardContext(c.id, c.name or c.id) for c in design.event_storming.contexts)
        pending = self._follow[0] if self._follow is not None else None
        follow = pending or (board.selected.id if board.selected else None)
        ids = [item.id for item in line]
        dots: dict[str, int] = {}
        for vote in design.event_storming.votes:
            dots[vote.item] = dots.get(vote.item, 0) + vote.dots
        board.show(line, contexts, dots)
        if follow in ids:
            board.cursor = ids.index(follow)
        if self.editing is not None and self.editing not in ids:
            self._stop_editing()
        self._update_status()

    # ------------------------------------------------------------------ state

    def _typing(self) -> bool:
        return self.focused is self.capture_input

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_field":
            return self._typing()
        if action in BOARD_ACTIONS and self._typing():
            return False
        if not self.is_mounted or self.design is None:
            return True
        board = self.board
        if action in NEEDS_STICKY and board.selected is None:
            return None
        if action == "move" and parameters:
            step = int(str(parameters[0]))
            if not 0 <= board.cursor + step < len(board.items):
                return None
        if action == "rename_context":
            selected = board.selected
            return True if selected is not None and selected.context else None
        if action == "derive" and not any(i.context for i in board.items):
            return None
        return True

    def on_descendant_focus(self, _event: object) -> None:
        self._refresh_keys()

    def on_descendant_blur(self, _event: object) -> None:
        self._refresh_keys()

    def _update_status(self) -> None:
        board = self.board
        item = board.selected
        design = self.design
        if item is None or design is None:
            text = "The board is empty: type an event below and press Enter."
        else:
            parts = [f"{board.cursor + 1}/{len(board.items)}", item.kind.replace("_", " "),
                     item.text, f"id {item.id}"]  # fmt: skip
            ctx = storm.context_name(design, item.context)
            parts.append(f"context {ctx}" if ctx else "no context")
            if item.pivotal:
                parts.append("pivotal")
            if board.marked is not None:
                lo, hi = board.marked
                parts.append(f"range {lo + 1}-{hi + 1} marked")
            text = " · ".join(parts)
        self.query_one("#storm-status", Static).update(text, layout=False)
        if self.live is not None:
            self.live.at(item.id if item is not None else None)
        capture = self.capture_input
        if self.editing is not None:
            capture.border_title = f"Editing {self.editing} · Enter saves · Escape cancels"
        elif item is not None:
            capture.border_title = f"Capture · after {board.cursor + 1}: {item.text[:40]}"
        else:
            capture.border_title = "Capture"
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Refresh the footer only when what check_action answers can change (a footer
        refresh recomposes it, too slow to do on every cursor step)."""
        board = self.board
        selected = board.selected
        state = (
            self._typing(),
            selected is None,
            board.cursor == 0,
            board.cursor >= len(board.items) - 1,
            bool(selected and selected.context),
            any(i.context for i in board.items),
        )
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    @on(StormBoard.CursorMoved)
    def _clicked(self) -> None:
        self._update_status()

    # ------------------------------------------------------------------ applying

    def _apply(
        self, base: Design, edit: Edit, label: str, follow: str | list[str | None] | None = None
    ) -> None:
        """Post `edit` of `base`; the cursor follows `follow` once the app applies it.

        Raises what `edit` raises on `base` (StormError), before anything is posted.
        """
        edited = DesignEdited.made(base, edit, label)
        cell = follow if isinstance(follow, list) else [follow]
        self._follow = cell
        post_edit(self, edited, then=lambda: self._landed(cell))

    def _landed(self, cell: list[str | None]) -> None:
        # The app has applied the edit (or found it changed nothing): its follow is spent.
        if self._follow is cell:
            self._follow = None

    def _anchor(self) -> list[str | None]:
        """A cell holding the sticky a capture goes after: the cursor's, or the one the
        edit still on its way will put the cursor on (keys faster than the app)."""
        if self._follow is not None:
            return self._follow
        selected = self.board.selected
        return [selected.id if selected is not None else None]

    def _selected(self) -> StormItem | None:
        return self.board.selected

    # ------------------------------------------------------------------ capture

    @on(Input.Submitted, "#storm-capture")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        design = self.design
        if design is None or not event.value.strip():
            return
        typed = event.value
        try:
            if self.editing is not None:
                item_id = self.editing
                self._apply(
                    design,
                    lambda d: storm.edit_capture(d, item_id, typed),
                    f"edit sticky {item_id}",
                    follow=item_id,
                )
                self._stop_editing()
                return
            anchor = self._anchor()
            new, item_id = storm.capture(design, typed, index=_after(design, anchor[0]))
            kind = storm.find_item(new, item_id).kind.replace("_", " ")
            cell: list[str | None] = [item_id]

            def add(d: Design) -> Design:
                # The anchor is read when the app makes this (again, on a newer design):
                # the capture before it may have got another id then, and so may this one.
                made, cell[0] = storm.capture(d, typed, index=_after(d, anchor[0]))
                return made

            self._apply(design, add, f"add {kind} {item_id}", follow=cell)
        except StormError as exc:
            self.notify(str(exc), severity="error")
            return
        self.capture_input.value = ""

    def _stop_editing(self) -> None:
        self.editing = None
        self.capture_input.value = ""
        self._update_status()

    def action_capture(self) -> None:
        self.capture_input.focus()

    def action_leave_field(self) -> None:
        if self.editing is not None:
            self._stop_editing()
        self.board.focus()

    # ------------------------------------------------------------------ board keys

    def action_cursor(self, step: int) -> None:
        board = self.board
        board.cursor = board.clamp(board.cursor + step)
        self._update_status()

    def action_cursor_to(self, index: int) -> None:
        board = self.board
        board.cursor = board.clamp(index if index >= 0 else len(board.items) - 1)
        self._update_status()

    def action_move(self, step: int) -> None:
        item, design = self._selected(), self.design
        if item is not None and design is not None:
            where = "earlier" if step < 0 else "later"
            item_id = item.id
            self._apply(
                design, lambda d: storm.move(d, item_id, step), f"move {item_id} {where}", item_id
            )

    def action_edit(self) -> None:
        item = self._selected()
        if item is None:
            return
        self.editing = item.id
        capture = self.capture_input
        capture.value = storm.capture_text(item)
        capture.focus()
        self._update_status()

    def action_delete(self) -> None:
        item, design = self._selected(), self.design
        if item is not None and design is not None:
            item_id = item.id
            self._apply(design, lambda d: storm.delete(d, item_id), f"delete sticky {item_id}")

    def action_kind(self) -> None:
        item, design = self._selected(), self.design
        if item is not None and design is not None:
            # Relative edits (next kind, toggle, one place along): a key pressed twice
            # before the app applied the first acts twice, as it reads.
            item_id = item.id
            kind = storm.find_item(storm.cycle_kind(design, item_id), item_id).kind
            label = f"make {item_id} a {kind.replace('_', ' ')}"
            self._apply(design, lambda d: storm.cycle_kind(d, item_id), label, item_id)

    def action_pivotal(self) -> None:
        item, design = self._selected(), self.design
        if item is not None and design is not None:
            item_id = item.id
            label = f"{'unmark' if item.pivotal else 'mark'} {item_id} pivotal"
            self._apply(design, lambda d: storm.set_pivotal(d, item_id), label, item_id)

    def action_mark(self) -> None:
        board = self.board
        board.mark_from = None if board.mark_from is not None else board.cursor
        self._update_status()

    def action_phase(self, step: int) -> None:
        if self.live is not None:  # the room's phase: the facilitator's to set
            self.run_worker(self.live.set_phase(step), group="live-request")
            return
        self.query_one(StormPhases).step(step)

    def action_timer(self) -> None:
        live = self.live
        if live is not None:
            left, _label = live.timer_left()
            phases = self.query_one(StormPhases)
            seconds = 0 if left else PHASES[phases.phase].minutes * 60
            self.run_worker(
                live.set_timer(seconds, PHASES[phases.phase].title), group="live-request"
            )
            return
        self.query_one(StormPhases).toggle_timer()

    def action_vote(self, delta: int) -> None:
        item, live = self._selected(), self.live
        if live is None:
            self.notify("Dot-voting is for live workshops (stratus serve).", timeout=3)
            return
        if item is not None:
            self.run_worker(live.vote(item.id, delta), group="live-request")

    def action_zoom(self) -> None:
        board = self.board
        board.set_overview(not board.overview)
        self.notify("Overview: the whole timeline" if board.overview else "Back to the board",
                    timeout=2)  # fmt: skip

    def action_find(self) -> None:
        from ..dialogs.prompt import PromptDialog

        def found(text: str | None) -> None:
            if text:
                self.find(text)

        self.app.push_screen(
            PromptDialog("Find a sticky", self._last_find, None, "words on the sticky, or its id"),
            found,
        )

    def find(self, text: str) -> bool:
        """Move the cursor to the next sticky (after the cursor, wrapping) matching `text`."""
        self._last_find = text
        board = self.board
        wanted = text.strip().casefold()
        count = len(board.items)
        for step in range(1, count + 1):
            index = (board.cursor + step) % count
            item = board.items[index]
            if wanted in item.text.casefold() or wanted == item.id.casefold():
                board.cursor = index
                self._update_status()
                return True
        self.notify(f"No sticky matches {text!r}", severity="warning", timeout=3)
        return False

    def live_changed(self) -> None:
        """The room's people, phase, timer or dots changed (or a second passed)."""
        live = self.live
        if live is None or not self.is_mounted:
            return
        phases = self.query_one(StormPhases)
        titles = [phase.title for phase in PHASES]
        if live.phase in titles:
            phases.phase = titles.index(live.phase)
        left, _label = live.timer_left()
        phases.show_live(left)
        self.query_one("#storm-live", Static).update(self._live_text(), layout=False)

    def _live_text(self) -> str:
        live = self.live
        design = self.design
        where: dict[str, str] = {}
        if design is not None:
            where = {item.id: item.text for item in design.event_storming.items}
        others = []
        for person in live.people():
            if person.get("me"):
                continue
            name = str(person.get("name", "?"))
            at = person.get("at")
            spot = f" @ {_short(where[at])}" if isinstance(at, str) and at in where else ""
            role = " (facilitator)" if person.get("role") == "facilitator" else ""
            others.append(f"{name}{role}{spot}")
        me = f"{live.name}{' (facilitator)' if live.facilitator else ''}"
        dots = f"dots {live.dots_used()}/{live.budget} (+/-)"
        people = ", ".join(others) if others else "nobody else yet"
        if not getattr(live, "connected", True):
            # Who was here is stale; what is typed waits and reaches the room on return.
            return f"○ OFFLINE  you: {me} · reconnecting to the workshop; your edits are kept"
        return f"● LIVE  you: {me} · {dots} · here: {people}"

    # ------------------------------------------------------------------ contexts

    def action_context(self) -> None:
        design, item = self.design, self._selected()
        if design is None or item is None:
            return
        marked = self.board.marked
        count = 1 if marked is None else marked[1] - marked[0] + 1
        title = f"Put {count} stick{'y' if count == 1 else 'ies'} in a bounded context"
        picker = ContextPicker(title, design.event_storming.contexts, item.context)
        self.app.push_screen(picker, self._context_chosen)

    def _context_chosen(self, choice: ContextChoice | None) -> None:
        design, board = self.design, self.board
        if choice is None or design is None or board.selected is None:
            return
        item_id, marked = board.selected.id, board.marked

        def assign(d: Design) -> Design:
            context_id = choice.context_id
            if choice.new_name is not None:
                d, context_id = storm.create_context(d, choice.new_name)
            if marked is None:
                return storm.assign_context(d, [item_id], context_id)
            return storm.assign_range(d, marked[0], marked[1], context_id)

        try:
            context_id = choice.context_id
            if choice.new_name is not None:  # the new context's id, for the undo label
                context_id = storm.create_context(design, choice.new_name)[1]
            self._apply(design, assign, f"context {context_id or 'cleared'}", item_id)
        except StormError as exc:
            self.notify(str(exc), severity="error")
            return
        board.mark_from = None

    def action_rename_context(self) -> None:
        design, item = self.design, self._selected()
        if design is None or item is None or item.context is None:
            return
        from ..dialogs.prompt import PromptDialog

        context_id = item.context
        current = storm.context_name(design, context_id) or context_id

        def renamed(name: str | None) -> None:
            now = self.design
            if name and now is not None:
                try:
                    self._apply(now, lambda d: storm.rename_context(d, context_id, name),
                                f"rename context {context_id}")  # fmt: skip
                except StormError as exc:
                    self.notify(str(exc), severity="error")

        check = _name_check
        self.app.push_screen(PromptDialog(f"Rename context {context_id}", current, check), renamed)

    # ------------------------------------------------------------------ services

    def action_derive(self) -> None:
        design = self.design
        if design is None:
            return
        plan = derive.derive_services(design)

        def chosen(apply: bool | None) -> None:
            now = self.design
            if apply and now is not None:
                self._apply(
                    now, lambda d: derive.apply_derived(d, plan), "derive services from the board"
                )
                self.notify(f"Derived {len(plan.services)} service(s); see ARCHITECT.")

        self.app.push_screen(DerivePreview(plan), chosen)


def _after(design: Design, anchor: str | None) -> int:
    """Timeline position just after sticky `anchor` (0 without one: the board's start)."""
    ids = [item.id for item in storm.timeline(design)]
    return ids.index(anchor) + 1 if anchor in ids else (len(ids) if anchor else 0)


def _name_check(value: str) -> str | None:
    return None if value.strip() else "A context needs a name."


def _short(text: str, width: int = 18) -> str:
    """A sticky's text cut for the presence bar, marked when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


__all__ = ["StormScreen"]
