"""Values derived once per object, keyed by the object's identity.

Designs are frozen pydantic models: hashing a whole design would cost more than building
what is derived from it (its topology, its flows), so derived values are cached by `id()`.
Each entry holds only a weak reference to its key object and goes when that object is
garbage-collected, so a cache never keeps a design alive, and a reused `id()` never
returns another object's value.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class IdentityCache(Generic[K, V]):
    """`cache(obj)` is `build(obj)`, computed once while `obj` lives."""

    def __init__(self, build: Callable[[K], V]) -> None:
        self._build = build
        self._entries: dict[int, tuple[weakref.ref[K], V]] = {}

    def __call__(self, key: K) -> V:
        ident = id(key)
        hit = self._entries.get(ident)
        if hit is not None and hit[0]() is key:
            return hit[1]
        value = self._build(key)
        self._entries[ident] = (weakref.ref(key, self._dropper(ident)), value)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def _dropper(self, ident: int) -> Callable[[weakref.ref[K]], None]:
        def drop(ref: weakref.ref[K]) -> None:
            # Only the entry of this very object: its id may already be reused by another.
            hit = self._entries.get(ident)
            if hit is not None and hit[0] is ref:
                self._entries.pop(ident, None)

        return drop
