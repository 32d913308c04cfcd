"""The shared document of a live workshop: its schema and its mapping to a `Design`.

One pycrdt `Doc` per room, with five root maps:

- `stickies`: sticky id -> map {kind, text, order, context, pivotal}. Keyed by id, so two
  replicas that both hold a sticky never duplicate it, and each field is its own
  last-writer-wins register: concurrent edits to different fields (or stickies) all
  survive, concurrent edits to one text converge on one value everywhere.
- `contexts`: context id -> map {name}.
- `meta`: phase, timer (end time, label, running), the dot budget. Written by the server
  only (it checks the facilitator's role first); `Room` reverts anyone else's write.
- `votes`: voter name -> map {sticky id: dots}. Written by the server only (it checks
  the voter's budget).
- `design`: every other top-level field of the design (services, flows, ...) as JSON
  text, so ARCHITECT edits made in a live session reach the file too; concurrent edits to
  different sections survive, to one section the last wins.

New stickies made by a live client carry a per-client tag in their id (`e7-k3f9q`) so
two participants adding "the next event" at once make two stickies, not one.

Pure data: no network and no Textual here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any, get_args

from pycrdt import Doc, Map
from pydantic import ValidationError

from ..core.model import (
    ID_PATTERN,
    MAX_ORDER,
    Design,
    EventStorming,
    StickyKind,
    StormContext,
    StormItem,
    StormVote,
)

SERVER = "server"
"""Transaction origin of the server's own writes (load, merges, meta, votes)."""
LOCAL = "local"
"""Transaction origin of a client's own edits (its undo manager tracks only these)."""

KINDS: frozenset[str] = frozenset(get_args(StickyKind))
DEFAULT_BUDGET = 3

BOARD_FIELDS = ("contexts", "items", "phase", "votes")

PHASES: tuple[str, ...] = (
    "Chaotic exploration",
    "Enforce the timeline",
    "Hotspots",
    "Pivotal events",
    "Bounded contexts",
)
"""The workshop's phases, in order (the STORM stepper's titles)."""


def _sticky_fields(item: StormItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "text": item.text,
        "order": float(item.order),
        "context": item.context,
        "pivotal": bool(item.pivotal),
    }


def _rest_fields(design: Design) -> dict[str, str]:
    """Every top-level field but the board, each as its JSON text."""
    data = json.loads(design.model_dump_json(by_alias=True, exclude={"event_storming"}))
    return {key: json.dumps(value, sort_keys=True) for key, value in data.items()}


class Board:
    """Typed access to a room's document (a server's or a client's replica)."""

    def __init__(self, doc: Doc[Any] | None = None) -> None:
        self.doc: Doc[Any] = doc if doc is not None else Doc()
        self.stickies: Map[Any] = self.doc.get("stickies", type=Map)
        self.contexts: Map[Any] = self.doc.get("contexts", type=Map)
        self.meta: Map[Any] = self.doc.get("meta", type=Map)
        self.votes: Map[Any] = self.doc.get("votes", type=Map)
        self.rest: Map[Any] = self.doc.get("design", type=Map)
        self._rest_cache: tuple[tuple[tuple[str, str], ...], Design] | None = None

    # ---------------------------------------------------------------- writing

    def load(self, design: Design, origin: str = SERVER) -> None:
        """Fill an empty document from a design (the server, at start)."""
        with self.doc.transaction(origin=origin):
            self.apply(Design(name=design.name), design, origin)
            if self.meta.get("budget") is None:
                self.meta["budget"] = DEFAULT_BUDGET

    def apply(self, old: Design, new: Design, origin: str = LOCAL) -> None:
        """Write what changed from `old` to `new` as fine-grained CRDT operations.

        Only the fields that differ are written, so a concurrent edit elsewhere on the
        board (or to another field of the same sticky) is never overwritten.
        """
        with self.doc.transaction(origin=origin):
            self._apply_items(old.event_storming.items, new.event_storming.items)
            self._apply_contexts(old.event_storming.contexts, new.event_storming.contexts)
            if origin == SERVER:
                if old.event_storming.phase != new.event_storming.phase:
                    self.meta["phase"] = new.event_storming.phase
                if old.event_storming.votes != new.event_storming.votes:
                    self._write_votes(new.event_storming.votes)
            old_rest, new_rest = _rest_fields(old), _rest_fields(new)
            for key, text in new_rest.items():
                if old_rest.get(key) != text or key not in self.rest:
                    self.rest[key] = text
            for key in old_rest.keys() - new_rest.keys():
                self.rest.pop(key, None)

    def _apply_items(self, old: Iterable[StormItem], new: Iterable[StormItem]) -> None:
        before = {item.id: item for item in old}
        after = {item.id: item for item in new}
        for item_id in before.keys() - after.keys():
            self.stickies.pop(item_id, None)
        for item_id, item in after.items():
            fields = _sticky_fields(item)
            current = self.stickies.get(item_id)
            if not isinstance(current, Map):
                self.stickies[item_id] = Map(fields)
                continue
            was = _sticky_fields(before[item_id]) if item_id in before else {}
            for key, value in fields.items():
                if was.get(key, object()) != value:
                    current[key] = value

    def _apply_contexts(self, old: Iterable[StormContext], new: Iterable[StormContext]) -> None:
        before = {ctx.id: ctx for ctx in old}
        after = {ctx.id: ctx for ctx in new}
        for ctx_id in before.keys() - after.keys():
            self.contexts.pop(ctx_id, None)
        for ctx_id, ctx in after.items():
            current = self.contexts.get(ctx_id)
            if not isinstance(current, Map):
                self.contexts[ctx_id] = Map({"name": ctx.name})
            elif ctx_id not in before or before[ctx_id].name != ctx.name:
                current["name"] = ctx.name

    def _write_votes(self, votes: Iterable[StormVote]) -> None:
        wanted: dict[str, dict[str, int]] = {}
        for vote in votes:
            wanted.setdefault(vote.by, {})[vote.item] = vote.dots
        for voter in list(self.votes.keys()):
            if voter not in wanted:
                del self.votes[voter]
        for voter, dots in wanted.items():
            if self.votes_of(voter) != dots:
                self.votes[voter] = Map(dict(dots))

    # ---------------------------------------------------------------- server-only state

    def set_meta(self, **values: object) -> None:
        with self.doc.transaction(origin=SERVER):
            for key, value in values.items():
                self.meta[key] = value

    def votes_of(self, voter: str) -> dict[str, int]:
        entry = self.votes.get(voter)
        if not isinstance(entry, Map):
            return {}
        return {k: int(v) for k, v in (entry.to_py() or {}).items() if isinstance(v, int | float)}

    def set_votes_of(self, voter: str, dots: dict[str, int]) -> None:
        with self.doc.transaction(origin=SERVER):
            kept = {item: n for item, n in dots.items() if n > 0}
            if kept:
                self.votes[voter] = Map(kept)
            else:
                self.votes.pop(voter, None)

    @property
    def budget(self) -> int:
        value = self.meta.get("budget")
        return int(value) if isinstance(value, int | float) else DEFAULT_BUDGET

    @property
    def phase(self) -> str | None:
        value = self.meta.get("phase")
        return value if isinstance(value, str) else None

    def timer(self) -> tuple[float | None, str]:
        """(end time as epoch seconds or None, label)."""
        end = self.meta.get("timer_end")
        label = self.meta.get("timer_label")
        return (
            float(end) if isinstance(end, int | float) else None,
            label if isinstance(label, str) else "",
        )

    def meta_snapshot(self) -> dict[str, Any]:
        return dict(self.meta.to_py() or {})

    def votes_snapshot(self) -> dict[str, Any]:
        return dict(self.votes.to_py() or {})

    # ---------------------------------------------------------------- reading

    def read(self, previous: Design | None = None) -> Design:
        """The design the document holds now: always valid.

        Stickies keep the file order of `previous` (new ones follow, in timeline order),
        so a save changes only the lines that changed. Anything a replica holds that the
        model refuses (a rogue client's bad id or kind) is left out, and references that a
        concurrent delete broke (a sticky's context, a vote's sticky) are dropped.
        """
        base = self._rest(previous)
        contexts = self._read_contexts(previous)
        context_ids = {ctx.id for ctx in contexts}
        items = self._read_items(previous, context_ids)
        item_ids = {item.id for item in items}
        votes = tuple(vote for vote in self._read_votes() if vote.item in item_ids)
        board = EventStorming(contexts=contexts, items=items, phase=self.phase, votes=votes)
        return base.model_copy(update={"event_storming": board})

    def _rest(self, previous: Design | None) -> Design:
        raw = self.rest.to_py() or {}
        key = tuple(sorted((k, v) for k, v in raw.items() if isinstance(v, str)))
        if self._rest_cache is not None and self._rest_cache[0] == key:
            return self._rest_cache[1]
        try:
            data = {k: json.loads(v) for k, v in key}
            design = Design.model_validate_json(json.dumps(data))
        except (ValueError, ValidationError):
            # A replica that has not synced yet (or bad data): the last good one stands.
            design = previous if previous is not None else Design(name="workshop")
        self._rest_cache = (key, design)
        return design

    @staticmethod
    def _ordered(ids: Iterable[str], previous: Iterable[str], key: Any = None) -> list[str]:
        present = set(ids)
        kept = [i for i in previous if i in present]
        seen = set(kept)
        fresh = sorted((i for i in present if i not in seen), key=key)
        return kept + fresh

    def _read_contexts(self, previous: Design | None) -> tuple[StormContext, ...]:
        raw: dict[str, Any] = self.contexts.to_py() or {}
        before = [c.id for c in previous.event_storming.contexts] if previous else []
        out: list[StormContext] = []
        for ctx_id in self._ordered(raw, before):
            fields = raw[ctx_id]
            name = fields.get("name") if isinstance(fields, dict) else None
            try:
                out.append(StormContext(id=ctx_id, name=name if isinstance(name, str) else None))
            except ValidationError:
                continue
        return tuple(out)

    def _read_items(self, previous: Design | None, context_ids: set[str]) -> tuple[StormItem, ...]:
        raw: dict[str, Any] = self.stickies.to_py() or {}
        before = [i.id for i in previous.event_storming.items] if previous else []

        def timeline_key(item_id: str) -> tuple[float, str]:
            fields = raw[item_id]
            order = fields.get("order") if isinstance(fields, dict) else None
            return (float(order) if isinstance(order, int | float) else 0.0, item_id)

        out: list[StormItem] = []
        for item_id in self._ordered(raw, before, key=timeline_key):
            item = _item(item_id, raw[item_id], context_ids)
            if item is not None:
                out.append(item)
        return tuple(out)

    def _read_votes(self) -> list[StormVote]:
        out: list[StormVote] = []
        for voter, dots in sorted((self.votes.to_py() or {}).items()):
            if not isinstance(dots, dict):
                continue
            for item_id, n in sorted(dots.items()):
                if isinstance(n, int | float) and n >= 1:
                    try:
                        out.append(StormVote(by=voter, item=item_id, dots=int(n)))
                    except ValidationError:
                        continue
        return out


def _item(item_id: str, fields: object, context_ids: set[str]) -> StormItem | None:
    if not isinstance(fields, dict):
        return None
    kind = fields.get("kind")
    text = fields.get("text")
    order = fields.get("order")
    context = fields.get("context")
    pivotal = fields.get("pivotal")
    number = float(order) if isinstance(order, int | float) else 0.0
    if not math.isfinite(number):
        number = 0.0
    try:
        return StormItem(
            id=item_id,
            kind=kind if isinstance(kind, str) and kind in KINDS else "event",
            text=text if isinstance(text, str) else "",
            order=max(-MAX_ORDER, min(MAX_ORDER, number)),
            context=context if isinstance(context, str) and context in context_ids else None,
            pivotal=pivotal is True,
        )
    except ValidationError:
        return None


def tally(design: Design) -> dict[str, int]:
    """Dots per sticky id (for the board and the exports)."""
    out: dict[str, int] = {}
    for vote in design.event_storming.votes:
        out[vote.item] = out.get(vote.item, 0) + vote.dots
    return out


def votable(item: StormItem) -> bool:
    """Dot-voting is on hotspots and pivotal events."""
    return item.kind == "hotspot" or (item.kind == "event" and item.pivotal)


__all__ = [
    "BOARD_FIELDS",
    "DEFAULT_BUDGET",
    "ID_PATTERN",
    "LOCAL",
    "PHASES",
    "SERVER",
    "Board",
    "tally",
    "votable",
]
