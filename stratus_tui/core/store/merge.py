"""Apply a new design onto the round-trip tree it was loaded from, changing only what changed.

So that saving after an edit touches only the edited lines:

- a key kept in the file stays where it is, with its comments, quoting and style, even if
  its value is the default (writing `mode: sync` explicitly is the author's choice);
- an equal scalar is kept as written (`3` is not rewritten as `3.0`, a date stays a date);
- list items are matched by `id` (dependencies by `from`/`to`), so inserting or deleting
  an item leaves its neighbours and their comments alone;
- new keys are added only when they differ from the default; new flow-style neighbours
  make a new item flow-style too;
- a section the edit empties (the last service deleted) is removed, not left as `[]`;
- the blank lines and comments after a block's last line (ruamel hangs them on the
  deepest last value) stay after the block when items or keys are added or removed;
- a whole number is written as one (`500`, not `500.0`), though the model holds a float;
- an item or key removed by an edit is kept aside with its comments, and put back as it
  was written when the same value returns (undoing a delete restores the same bytes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from ..model import Design

GRAVE_LIMIT = 200
"""Removed items or keys each list or mapping keeps for an undo (oldest dropped first)."""

_FLOW_RISK = re.compile(r"^\?|:")
_NEEDS_ESCAPES = re.compile("[\r\x85\u2028\u2029\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")


def merged_tree(tree: Any, design: Design) -> Any:
    """`tree` (a round-trip document) updated in place to hold `design`; returned."""
    full = design.model_dump(mode="json", by_alias=True, exclude_none=True)
    minimal = design.to_data()
    return _merge(tree, full, minimal)


def _merge(tree: Any, full: Any, minimal: Any) -> Any:
    both_maps = isinstance(tree, dict) and isinstance(full, dict)
    if both_maps or (isinstance(tree, list) and isinstance(full, list)):
        # The separator after this block belongs after whatever ends up last in it.
        trailing = _detach_trailing(tree) or getattr(tree, "_stratus_trailing", "")
        merged = _merge_container(tree, full, minimal)
        # An emptied block keeps them for when an undo fills it again.
        _remember(
            merged, "_stratus_trailing", "" if _attach_trailing(merged, trailing) else trailing
        )
        return merged
    return _scalar(tree, full)


def _merge_container(tree: Any, full: Any, minimal: Any) -> Any:
    if isinstance(tree, dict) and isinstance(full, dict):
        mini = minimal if isinstance(minimal, dict) else {}
        keys = list(tree)
        for key in [k for k in keys if k not in full]:
            _bury_key(tree, key, keys)
        for key, value in full.items():
            if key in tree:
                old = tree[key]
                filled = isinstance(old, dict | list) and len(old) > 0
                merged = _merge(old, value, mini.get(key))
                if filled and not merged and key not in mini:
                    # Emptied by the edit: drop the key rather than leave `services: []`
                    # (ruamel also misplaces an emptied block's comments, breaking YAML).
                    _bury_key(tree, key, list(tree))
                else:
                    tree[key] = merged
            elif not _revive_key(tree, key, value, mini.get(key)) and key in mini:
                tree[key] = new_value(mini[key], tree)
        return tree
    if isinstance(tree, list) and isinstance(full, list):
        same = isinstance(minimal, list) and len(minimal) == len(full)
        return _merge_list(tree, full, minimal if same else full)
    return _scalar(tree, full)


def _trailing_slot(node: Any) -> tuple[dict[Any, Any], Any, int, bool] | None:
    """Where ruamel keeps the comment after the block `node`'s last line: the comment
    table of its deepest last value's parent, the key in it, the index in that entry
    (2 for a mapping key, 0 for a list item), and whether that value is a `|`/`>` block
    (whose comment token has no end-of-line part: the block took its own newline)."""
    while isinstance(node, dict | list) and len(node) > 0 and not _is_flow(node):
        ca = getattr(node, "ca", None)
        if ca is None:
            return None
        last: Any = next(reversed(node)) if isinstance(node, dict) else len(node) - 1
        value = node[last]
        if isinstance(value, dict | list) and len(value) > 0 and not _is_flow(value):
            node = value
            continue
        from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

        block = isinstance(value, LiteralScalarString | FoldedScalarString)
        return ca.items, last, 2 if isinstance(node, dict) else 0, block
    return None


def _detach_trailing(node: Any) -> str:
    """Take the lines after the block's last line (blank lines, comments) off it.

    The end-of-line comment (`# note` on the last line itself) stays where it is.
    """
    found = _trailing_slot(node)
    if found is None:
        return ""
    items, last, slot, block = found
    entry = items.get(last)
    token: Any = entry[slot] if entry is not None and len(entry) > slot else None
    value = getattr(token, "value", None)
    if not isinstance(value, str) or "\n" not in value:
        return ""
    if block:
        entry[slot] = None  # type: ignore[index]  # entry holds token, so not None
        return value
    keep, rest = value.split("\n", 1)
    if not rest:
        return ""
    token.value = keep + "\n"
    return rest


def _attach_trailing(node: Any, rest: str) -> bool:
    """Put lines taken by `_detach_trailing` after the block's (new) last line.

    False when there is nowhere to hang them (an emptied or flow-style block).
    """
    if not rest:
        return True
    found = _trailing_slot(node)
    if found is None:
        return False
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    items, last, slot, block = found
    entry = items.setdefault(last, [None, None, None, None])
    token: Any = entry[slot]
    if token is not None and isinstance(token.value, str) and token.value.endswith("\n"):
        token.value += rest
    else:
        entry[slot] = CommentToken(rest if block else "\n" + rest, CommentMark(0), None)
    return True


def _scalar(old: Any, new: Any) -> Any:
    """Keep the written scalar when it means the same value as the new one."""
    if isinstance(old, bool) or isinstance(new, bool):
        return old if type(old) is type(new) and old == new else new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return old if old == new and _renders_exactly(old) else new_value(new, None)
    if isinstance(old, str) and isinstance(new, str):
        if old == new:
            return old
        return _restyled(old, new)
    if isinstance(old, dt.date) and isinstance(new, str) and old.isoformat() == new:
        return old
    return new_value(new, None)


def _renders_exactly(number: float) -> bool:
    """ruamel re-derives the digits of an exponent float (1.5e-07) and may change them."""
    return not getattr(number, "_exp", None)


def _key(item: Any) -> Any:
    if isinstance(item, dict):
        if "id" in item:
            return ("id", item["id"])
        if "from" in item and "to" in item:
            return ("edge", item["from"], item["to"], item.get("mode", "sync"))
    return None


def _merge_list(tree: Any, full: list[Any], mini: list[Any]) -> Any:
    new_keys = [_key(v) for v in full]
    old_keys = [_key(v) for v in tree]
    keyed = (
        None not in new_keys
        and None not in old_keys
        and len(set(new_keys)) == len(new_keys)
        and len(set(old_keys)) == len(old_keys)
    )
    if not keyed:
        return _merge_unkeyed(tree, full, mini)
    # Delete vanished items from the end (CommentedSeq shifts its comments with them).
    wanted = set(new_keys)
    graves = _graves(tree)
    for i in range(len(tree) - 1, -1, -1):
        k = _key(tree[i])
        if k not in wanted:
            _bury(graves, k, (tree[i], _comment_of(tree, i), None))
            del tree[i]
    # The keys of `tree` as it changes, kept alongside (recomputing them per item was
    # quadratic: 2.3 s of a 2.5 s merge at 300 services).
    current = [_key(v) for v in tree]
    present = set(current)
    for i, value in enumerate(full):
        k = new_keys[i]
        if i < len(tree) and current[i] == k:
            tree[i] = _merge(tree[i], value, mini[i])
            continue
        if k in present:  # moved: take it out and put it back at its new place
            at = current.index(k, i)
            item = tree.pop(at)
            del current[at]
            tree.insert(i, _merge(item, value, mini[i]))
        elif k in graves and _same_data(graves[k][0], value, mini[i]):
            # The very item an edit removed is back (an undo): as it was written.
            node, comment, _ = graves.pop(k)
            tree.insert(i, node)
            if comment is not None:
                tree.ca.items[i] = comment
            present.add(k)
        else:
            tree.insert(i, new_value(mini[i], tree))
            present.add(k)
        current.insert(i, k)
    return tree


ALIGN_LIMIT = 40_000
"""Item pairs an id-less list compares to align old and new; beyond, items match by place."""


def _merge_unkeyed(tree: Any, full: list[Any], mini: list[Any]) -> Any:
    """Merge a list whose items have no id (accepted risks, flow steps, word lists).

    Items are aligned by their data, so deleting one leaves the others' nodes, quoting and
    comments alone (matching by place would pour each following item into its
    neighbour's node and restyle it), and an item an edit removed comes back as it was
    written when the same data returns. Items that changed are merged in place.
    """
    if len(tree) * len(full) > ALIGN_LIMIT:
        for i, value in enumerate(full):
            if i < len(tree):
                tree[i] = _merge(tree[i], value, mini[i])
            else:
                tree.append(new_value(mini[i], tree))
        del tree[len(full) :]
        return tree
    import difflib
    import json

    new_tokens = [json.dumps(v, sort_keys=True, default=str) for v in full]
    old_tokens: list[str] = []
    for j, node in enumerate(tree):
        # the same place first: an unchanged list costs one comparison per item
        order = [j, *range(len(full))] if j < len(full) else range(len(full))
        match = next((i for i in order if _same_data(node, full[i], mini[i])), None)
        old_tokens.append(new_tokens[match] if match is not None else f"\0old{j}")
    graves = _graves(tree)
    ops = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):  # from the end: earlier indices stay valid
        paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        for k in range(paired):
            tree[i1 + k] = _merge(tree[i1 + k], full[j1 + k], mini[j1 + k])
        for i in range(i2 - 1, i1 + paired - 1, -1):
            _bury(graves, ("item", id(tree[i])), (tree[i], _comment_of(tree, i), None))
            del tree[i]
        for k, j in enumerate(range(j1 + paired, j2)):
            at = i1 + paired + k
            # the newest removed item holding exactly this data (an undo puts it back)
            key = next(
                (
                    g
                    for g in reversed(graves)
                    if g[0] == "item" and _same_data(graves[g][0], full[j], mini[j])
                ),
                None,
            )
            if key is not None:
                node, comment, _ = graves.pop(key)
                tree.insert(at, node)
                if comment is not None:
                    tree.ca.items[at] = comment
            else:
                tree.insert(at, new_value(mini[j], tree))
    return tree


Grave = tuple[Any, Any, Any]
"""A removed node, its comment entry, and (in a mapping) the key it came after."""


def _graves(node: Any) -> dict[Any, Grave]:
    """The removed items or keys of `node`, kept on the node itself (the tree lives as
    long as the open document, and so do they)."""
    graves: dict[Any, Grave] | None = getattr(node, "_stratus_graves", None)
    if graves is None:
        graves = {}
        _remember(node, "_stratus_graves", graves)
    return graves


def _remember(node: Any, name: str, value: Any) -> None:
    """Keep `value` on a round-trip node (plain dicts and lists cannot hold it: skip)."""
    with contextlib.suppress(AttributeError):
        setattr(node, name, value)


def _bury(graves: dict[Any, Grave], key: Any, grave: Grave) -> None:
    graves.pop(key, None)
    graves[key] = grave
    while len(graves) > GRAVE_LIMIT:
        del graves[next(iter(graves))]


def _comment_of(node: Any, key: Any) -> Any:
    ca = getattr(node, "ca", None)
    return ca.items.get(key) if ca is not None else None


def _bury_key(tree: Any, key: Any, keys: list[Any]) -> None:
    """Remove `key` from mapping `tree`, keeping it, its comments and its place aside
    (the key before it in `keys`, the order before this edit removed any)."""
    at = keys.index(key)
    before = keys[at - 1] if at > 0 else None
    _bury(_graves(tree), key, (tree[key], _comment_of(tree, key), before))
    del tree[key]


def _revive_key(tree: Any, key: Any, full: Any, minimal: Any) -> bool:
    """Put a removed `key` back where it was, written as it was, if its value fits."""
    graves = _graves(tree)
    if key not in graves:
        return False
    node, comment, before = graves[key]
    if isinstance(node, dict | list):
        if isinstance(node, dict) != isinstance(full, dict) or not isinstance(full, dict | list):
            return False
        value = _merge(node, full, minimal)  # the same block, changed where it differs
        if not value:
            return False
    elif _scalar(node, full) is node:
        value = node
    else:
        return False
    del graves[key]
    keys = list(tree)
    if before is None:
        position = 0
    elif before in tree:
        position = keys.index(before) + 1
    else:
        position = len(keys)
    tree.insert(position, key, value)
    if comment is not None:
        tree.ca.items[key] = comment
    return True


def _same_data(node: Any, full: Any, minimal: Any) -> bool:
    """`node` (as written) holds exactly `full`, leaving out only defaults."""
    if isinstance(node, dict):
        if not isinstance(full, dict):
            return False
        mini = minimal if isinstance(minimal, dict) else {}
        keys = {str(k) for k in node}
        return (
            keys <= set(full)
            and all(_same_data(node[k], full[str(k)], mini.get(str(k))) for k in node)
            and all(k in keys or k not in mini for k in full)
        )
    if isinstance(node, list):
        if not isinstance(full, list) or len(node) != len(full):
            return False
        minis = minimal if isinstance(minimal, list) and len(minimal) == len(full) else full
        return all(_same_data(a, b, m) for a, b, m in zip(node, full, minis, strict=True))
    return _scalar(node, full) is node


def new_value(value: Any, siblings: Any) -> Any:
    """Plain data as round-trip nodes; flow style when its list neighbours use it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        node = CommentedMap((k, new_value(v, None)) for k, v in value.items())
        if isinstance(siblings, list) and any(_is_flow(s) for s in siblings):
            node.fa.set_flow_style()
        return node
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        # The model's floats hold whole numbers too: `timeout_ms: 500`, not `500.0`.
        return int(value)
    if isinstance(value, list):
        seq = CommentedSeq(new_value(v, None) for v in value)
        if all(not isinstance(v, dict | list) for v in value):
            seq.fa.set_flow_style()  # short lists of words read best as [a, b]
        return seq
    if isinstance(value, str):
        if _NEEDS_ESCAPES.search(value) or _FLOW_RISK.search(value):
            # `:` and a leading `?` break plain scalars inside [flow, lists] (ruamel
            # writes `[:0]`); quoting costs nothing in block context.
            # YAML folds these line breaks on load: only escapes keep them exact.
            return DoubleQuotedScalarString(value)
        if "\n" in value and _fits_a_block(value):
            return LiteralScalarString(value)
        if "\n" in value:
            return DoubleQuotedScalarString(value)
    return value


def _restyled(old: str, new: str) -> Any:
    """`new` in the style `old` was written in, where that style can hold it exactly.

    ruamel re-applies an old quoted or block style to a plain `str` assigned over it, so
    a value that style cannot hold (a tab in a `|` block) is given its own style here.
    """
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
        ScalarString,
        SingleQuotedScalarString,
    )

    if not isinstance(old, ScalarString):
        return new_value(new, None)
    if isinstance(old, LiteralScalarString | FoldedScalarString):
        block = "\n" in new and _fits_a_block(new) and not _NEEDS_ESCAPES.search(new)
        return LiteralScalarString(new) if block else DoubleQuotedScalarString(new)
    if isinstance(old, SingleQuotedScalarString) and not (
        "\n" in new or "\t" in new or _NEEDS_ESCAPES.search(new)
    ):
        return SingleQuotedScalarString(new)
    return DoubleQuotedScalarString(new)


def _fits_a_block(text: str) -> bool:
    """A `|` block reads back exactly: some content, at most one final newline, no
    leading blank or indented first line (ruamel writes `|2+` blocks that gain a line)."""
    return bool(text.strip()) and not text.endswith("\n\n") and text[0] not in " \t\n"


def _is_flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())
