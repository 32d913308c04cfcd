"""Datastores shared across bounded contexts, and stores with more than one writer.

A service *uses* a store when it declares it as its own `datastore` or calls it
synchronously. Asynchronous links (publishing to or consuming from a broker) are
messaging, not shared data, and do not count. Every user is taken to write unless its
dependency label says it only reads (a reading verb such as "read", "query", "get",
"look up", "fetch", "list" or "search", and no writing verb): the design has no other
way to say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Design


@dataclass(frozen=True, slots=True)
class StoreUse:
    """Who uses one datastore, from which bounded contexts, and who writes."""

    store: str
    users: tuple[str, ...]
    contexts: tuple[str, ...]
    """Declared bounded contexts of the users (services without a context are skipped)."""
    writers: tuple[str, ...]

    @property
    def shared_across_contexts(self) -> bool:
        """True when users come from more than one bounded context."""
        return len(self.contexts) > 1


READ_WORDS = ("read", "query", "get", "look up", "lookup", "fetch", "list", "search", "scan")
WRITE_WORDS = ("write", "insert", "update", "delete", "put", "upsert", "append", "store")


def _reads_only(label: str | None) -> bool:
    import re

    words = re.findall(r"[a-z]+", (label or "").lower())
    text = " ".join(words)

    def has(terms: tuple[str, ...]) -> bool:
        return any(re.search(rf"\b{t}", text) for t in terms)

    return has(READ_WORDS) and not has(WRITE_WORDS)


def store_usage(design: Design) -> list[StoreUse]:
    """Usage of every datastore, in id order."""
    stores = {d.id for d in design.datastores}
    users: dict[str, set[str]] = {d: set() for d in stores}
    writers: dict[str, set[str]] = {d: set() for d in stores}
    for s in design.services:
        if s.datastore in stores:
            users[s.datastore].add(s.id)
            writers[s.datastore].add(s.id)
    for dep in design.dependencies:
        if dep.mode != "sync" or dep.to not in stores:
            continue
        users[dep.to].add(dep.from_)
        if not _reads_only(dep.label):
            writers[dep.to].add(dep.from_)
    context = {s.id: s.context for s in design.services}
    out = []
    for store in sorted(stores):
        ctxs = sorted({c for u in users[store] if (c := context.get(u))})
        out.append(
            StoreUse(store, tuple(sorted(users[store])), tuple(ctxs), tuple(sorted(writers[store])))
        )
    return out
