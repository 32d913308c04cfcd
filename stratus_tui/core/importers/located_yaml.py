"""YAML parsed by libyaml (PyYAML's C loader) into dicts and lists that know where each
key and item was, the way ruamel's round-trip nodes do (`node.lc.key(k)`, `.item(i)`,
`.line`, `.col`, all 0-based), so a skipped key is still reported as FILE:LINE:COL.

ruamel's pure-Python round-trip parser took 90 % of an import (2 to 3 s for 1,000 services,
13 to 20x the libyaml parse of the same file); the importers only read the data and its
positions. YAML 1.2 core schema and duplicate keys refused, as `core.yaml_io` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..yaml_io import c_safe_loader_class


class _Where:
    """Positions of a mapping's keys or a sequence's items (ruamel's `lc`, 0-based)."""

    __slots__ = ("_items", "_keys", "col", "line")

    def __init__(self, mark: Any) -> None:
        self.line: int = mark.line
        self.col: int = mark.column
        self._keys: dict[Any, tuple[int, int]] = {}
        self._items: list[tuple[int, int]] = []

    def key(self, key: Any) -> tuple[int, int]:
        return self._keys[key]

    def item(self, index: int) -> tuple[int, int]:
        return self._items[index]


class LocatedMap(dict[Any, Any]):
    lc: _Where


class LocatedList(list[Any]):
    lc: _Where


def _located_loader() -> Any:
    base = c_safe_loader_class()
    if base is None:
        return None

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    def construct_map(loader: Any, node: Any) -> Iterator[LocatedMap]:
        data = LocatedMap()
        where = data.lc = _Where(node.start_mark)
        yield data
        data.update(loader.construct_mapping(node))  # merge keys and duplicates handled
        for key_node, _value in node.value:
            key = loader.construct_object(key_node)
            try:
                where._keys.setdefault(key, (key_node.start_mark.line, key_node.start_mark.column))
            except TypeError:  # an unhashable key was refused above; nothing to place
                continue

    def construct_seq(loader: Any, node: Any) -> Iterator[LocatedList]:
        data = LocatedList()
        where = data.lc = _Where(node.start_mark)
        yield data
        data.extend(loader.construct_sequence(node))
        where._items = [(n.start_mark.line, n.start_mark.column) for n in node.value]

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    return Loader


LOADER = _located_loader()
"""The located libyaml loader, or None where PyYAML has no libyaml (ruamel is used)."""


def load_all(text: str) -> list[Any]:
    """Every document of `text` (PyYAML's errors propagate: see `errors()`)."""
    assert LOADER is not None
    loader = LOADER(text)
    try:
        docs = []
        while loader.check_data():
            docs.append(loader.get_data())
        return docs
    finally:
        loader.dispose()
