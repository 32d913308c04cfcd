"""Event-storming board operations: pure functions `(Design, ...) -> Design`.

The board is `design.event_storming`: stickies (`StormItem`) on one timeline, ordered by
their `order`, and the bounded contexts they are grouped into. The UI calls these functions
and hands the result to `app.apply`, so every board edit is undoable.

Orders stay *stable and distinct*: an insertion takes a whole number strictly between its
neighbours and leaves every other sticky alone (a clean diff); only when there is no room,
or when the file holds duplicate orders, are all stickies renumbered 10, 20, 30 ... in
timeline order. Moving a sticky earlier or later swaps its order with its neighbour's.

Deriving services lives in `stratus_tui.core.storm.derive`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import get_args

from ..ids import slug_id, unique_id
from ..model import Design, StickyKind, StormContext, StormItem

KINDS: tuple[StickyKind, ...] = get_args(StickyKind)
"""Every sticky kind, in the order of the board's lanes."""

PREFIXES: dict[str, StickyKind] = {
    "!": "event",
    ">": "command",
    "@": "actor",
    "#": "aggregate",
    "~": "policy",
    "=": "read_model",
    "$": "external",
    "?": "hotspot",
}
"""Fast-capture prefixes: the first character of the typed text chooses the kind."""

PREFIX_OF: dict[StickyKind, str] = {kind: prefix for prefix, kind in PREFIXES.items()}

# Id prefixes follow the sample board (a1, c1, e1 ...); aggregates take `g` because `a`
# is the actor's.
ID_LETTER: dict[StickyKind, str] = {
    "event": "e",
    "command": "c",
    "actor": "a",
    "aggregate": "g",
    "policy": "p",
    "read_model": "r",
    "external": "x",
    "hotspot": "h",
}

ORDER_STEP = 10


class StormError(ValueError):
    """A board operation that cannot be done (unknown sticky or context, empty text)."""


# --------------------------------------------------------------------------- reading


def timeline(design: Design) -> tuple[StormItem, ...]:
    """The stickies in timeline order (by `order`; ties keep file order)."""
    return tuple(sorted(design.event_storming.items, key=lambda item: item.order))


def find_item(design: Design, item_id: str) -> StormItem:
    """The sticky with that id; raises StormError when there is none."""
    for item in design.event_storming.items:
        if item.id == item_id:
            return item
    raise StormError(f"no sticky {item_id!r} on the board")


def context_name(design: Design, context_id: str | None) -> str | None:
    """The display name of a board context (its id when it has no name)."""
    for ctx in design.event_storming.contexts:
        if ctx.id == context_id:
            return ctx.name or ctx.id
    return None


def parse_capture(text: str) -> tuple[StickyKind, str]:
    """Split fast-capture text into (kind, text): `!` event, `>` command, `@` actor,
    `#` aggregate, `~` policy, `=` read model, `$` external, `?` hotspot; plain text is
    an event. Whitespace around the text is dropped."""
    stripped = text.strip()
    if stripped and stripped[0] in PREFIXES:
        return PREFIXES[stripped[0]], stripped[1:].strip()
    return "event", stripped


def capture_text(item: StormItem) -> str:
    """The capture-input text that recreates a sticky (its kind prefix + its text)."""
    return f"{PREFIX_OF[item.kind]}{item.text}"


# --------------------------------------------------------------------------- helpers


def _replace_board(
    design: Design,
    items: Iterable[StormItem] | None = None,
    contexts: Iterable[StormContext] | None = None,
) -> Design:
    board = design.event_storming
    update: dict[str, object] = {}
    if items is not None:
        update["items"] = tuple(items)
    if contexts is not None:
        update["contexts"] = tuple(contexts)
    return design.model_copy(update={"event_storming": board.model_copy(update=update)})


def _update_item(design: Design, item_id: str, **changes: object) -> Design:
    find_item(design, item_id)
    items = (
        item.model_copy(update=changes) if item.id == item_id else item
        for item in design.event_storming.items
    )
    return _replace_board(design, items=items)


def _orders_distinct(items: Iterable[StormItem]) -> bool:
    orders = [item.order for item in items]
    return len(set(orders)) == len(orders)


def renumber(design: Design) -> Design:
    """Give every sticky the order 10, 20, 30 ... in timeline order (file order is kept)."""
    new_order = {item.id: float((i + 1) * ORDER_STEP) for i, item in enumerate(timeline(design))}
    items = (
        item.model_copy(update={"order": new_order[item.id]})
        for item in design.event_storming.items
    )
    return _replace_board(design, items=items)


def _distinct(design: Design) -> Design:
    """The design itself when orders are distinct, else renumbered."""
    return design if _orders_distinct(design.event_storming.items) else renumber(design)


def _between(before: float | None, after: float | None) -> float | None:
    """A whole order strictly between two neighbours (None = open end), or None."""
    if before is None and after is None:
        return float(ORDER_STEP)
    if after is None:
        assert before is not None
        return float(math.floor(before) + ORDER_STEP)
    if before is None:
        before = 0.0 if after > 1 else after - 2 * ORDER_STEP
    candidate = float(math.floor((before + after) / 2))
    return candidate if before < candidate < after else None


_id_tag = ""


def set_id_tag(tag: str) -> None:
    """Make every new sticky id of this process end in `-tag` (`e7-k3f9q`).

    A live-workshop client sets its own tag, so participants adding "the next event" at
    the same moment make distinct stickies instead of two writes to one id.
    """
    global _id_tag
    if tag and not re.fullmatch(r"[a-z0-9]{1,12}", tag):
        raise ValueError(f"bad sticky id tag {tag!r}")
    _id_tag = tag


def new_item_id(design: Design, kind: StickyKind) -> str:
    """A fresh sticky id for that kind: its letter and the next free number (`e7`),
    followed by this process's tag when one is set (`set_id_tag`)."""
    letter = ID_LETTER[kind]
    suffix = f"-{_id_tag}" if _id_tag else ""
    taken = {item.id for item in design.event_storming.items}
    numbers = [
        int(match.group(1))
        for item_id in taken
        if (match := re.fullmatch(rf"{letter}(\d+)(?:-[a-z0-9]+)?", item_id))
    ]
    n = max(numbers, default=0) + 1
    while f"{letter}{n}{suffix}" in taken:  # pragma: no cover - max+1 is always free
        n += 1
    return f"{letter}{n}{suffix}"


# --------------------------------------------------------------------------- stickies


def add_sticky(
    design: Design,
    text: str,
    kind: StickyKind = "event",
    index: int | None = None,
    context: str | None = None,
) -> tuple[Design, str]:
    """Place a new sticky at timeline position `index` (0 = first; None = last).

    Returns the new design and the new sticky's id. Other stickies keep their orders
    unless there is no whole number free between the neighbours (then all are renumbered).
    """
    if not text.strip():
        raise StormError("a sticky needs some text")
    if context is not None and context_name(design, context) is None:
        raise StormError(f"no context {context!r} on the board")
    design = _distinct(design)
    line = timeline(design)
    position = len(line) if index is None else max(0, min(index, len(line)))
    before = line[position - 1].order if position > 0 else None
    after = line[position].order if position < len(line) else None
    order = _between(before, after)
    if order is None:
        design = renumber(design)
        line = timeline(design)
        before = line[position - 1].order if position > 0 else None
        after = line[position].order if position < len(line) else None
        order = _between(before, after)
        assert order is not None  # steps of 10 always leave room
    item_id = new_item_id(design, kind)
    item = StormItem(id=item_id, kind=kind, text=text.strip(), context=context, order=order)
    return _replace_board(design, items=(*design.event_storming.items, item)), item_id


def capture(
    design: Design, typed: str, index: int | None = None, context: str | None = None
) -> tuple[Design, str]:
    """Fast capture: parse the kind prefix of `typed`, then `add_sticky` at `index`."""
    kind, text = parse_capture(typed)
    return add_sticky(design, text, kind, index, context)


def move(design: Design, item_id: str, steps: int) -> Design:
    """Move a sticky `steps` places along the timeline (negative = earlier).

    Each step swaps orders with the neighbour, so orders stay distinct and nothing else
    moves; at either end of the timeline the sticky stays where it is.
    """
    find_item(design, item_id)
    design = _distinct(design)
    orders = {item.id: item.order for item in design.event_storming.items}
    line = [item.id for item in timeline(design)]
    pos = line.index(item_id)
    target = max(0, min(pos + steps, len(line) - 1))
    direction = 1 if target > pos else -1
    while pos != target:
        other = line[pos + direction]
        orders[item_id], orders[other] = orders[other], orders[item_id]
        line[pos], line[pos + direction] = other, item_id
        pos += direction
    items = (
        item.model_copy(update={"order": orders[item.id]}) for item in design.event_storming.items
    )
    return _replace_board(design, items=items)


def edit_text(design: Design, item_id: str, text: str) -> Design:
    """Rewrite a sticky's text."""
    if not text.strip():
        raise StormError("a sticky needs some text")
    return _update_item(design, item_id, text=text.strip())


def edit_capture(design: Design, item_id: str, typed: str) -> Design:
    """Edit from the capture input: the prefix may change the kind too (plain = keep)."""
    stripped = typed.strip()
    kind, text = parse_capture(stripped)
    if not (stripped and stripped[0] in PREFIXES):
        kind = find_item(design, item_id).kind
    return set_kind(edit_text(design, item_id, text), item_id, kind)


def delete(design: Design, item_id: str) -> Design:
    """Take a sticky off the board."""
    find_item(design, item_id)
    return _replace_board(design, items=(i for i in design.event_storming.items if i.id != item_id))


def set_kind(design: Design, item_id: str, kind: StickyKind) -> Design:
    """Change a sticky's kind (its id stays: references and diffs keep working)."""
    return _update_item(design, item_id, kind=kind)


def cycle_kind(design: Design, item_id: str, step: int = 1) -> Design:
    """Change a sticky to the next kind in lane order (wrapping round)."""
    kind = find_item(design, item_id).kind
    return set_kind(design, item_id, KINDS[(KINDS.index(kind) + step) % len(KINDS)])


def set_pivotal(design: Design, item_id: str, pivotal: bool | None = None) -> Design:
    """Mark a sticky pivotal (None toggles)."""
    current = find_item(design, item_id).pivotal
    return _update_item(design, item_id, pivotal=(not current) if pivotal is None else pivotal)


# --------------------------------------------------------------------------- contexts


def create_context(design: Design, name: str, context_id: str | None = None) -> tuple[Design, str]:
    """Add a bounded context to the board; its id is made from the name when not given."""
    if not name.strip():
        raise StormError("a context needs a name")
    taken = [c.id for c in design.event_storming.contexts]
    cid = context_id or unique_id(slug_id(name, "context"), taken)
    if cid in taken:
        raise StormError(f"context {cid!r} already exists")
    ctx = StormContext(id=cid, name=name.strip())
    return _replace_board(design, contexts=(*design.event_storming.contexts, ctx)), cid


def rename_context(design: Design, context_id: str, name: str) -> Design:
    """Rename a context; its id stays, so stickies and services keep pointing at it."""
    if not name.strip():
        raise StormError("a context needs a name")
    if context_name(design, context_id) is None:
        raise StormError(f"no context {context_id!r} on the board")
    contexts = (
        c.model_copy(update={"name": name.strip()}) if c.id == context_id else c
        for c in design.event_storming.contexts
    )
    return _replace_board(design, contexts=contexts)


def assign_context(design: Design, item_ids: Iterable[str], context_id: str | None) -> Design:
    """Put the given stickies in a context (None takes them out of any context)."""
    if context_id is not None and context_name(design, context_id) is None:
        raise StormError(f"no context {context_id!r} on the board")
    wanted = set(item_ids)
    for item_id in wanted:
        find_item(design, item_id)
    items = (
        item.model_copy(update={"context": context_id}) if item.id in wanted else item
        for item in design.event_storming.items
    )
    return _replace_board(design, items=items)


def assign_range(design: Design, first: int, last: int, context_id: str | None) -> Design:
    """Put the stickies at timeline positions first..last (inclusive, either order) in a
    context."""
    line = timeline(design)
    lo, hi = sorted((first, last))
    return assign_context(design, (item.id for item in line[max(lo, 0) : hi + 1]), context_id)


__all__ = [
    "KINDS",
    "PREFIXES",
    "StormError",
    "add_sticky",
    "assign_context",
    "assign_range",
    "capture",
    "create_context",
    "cycle_kind",
    "delete",
    "edit_capture",
    "edit_text",
    "move",
    "parse_capture",
    "rename_context",
    "set_kind",
    "set_pivotal",
    "timeline",
]
