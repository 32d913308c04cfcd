"""The structural diff of two designs: components, dependencies, flows, decisions.

Items are matched by id. A removed and an added item of the same kind are read as one
**rename** (same item, new id) instead of remove + add when either

1. every field other than `id` is equal (references to other renamed items mapped to
   their new ids first), or
2. both carry the same, non-empty `name` (or decision `title`) and no other removed or
   added item of that kind carries it: a rename that also edited some fields; the edits
   are listed as changes of the renamed item.

Pairs are made in file order, one to one. Dependencies have no id: they are matched by
`(from, to)` after the renames are applied to the old design (and by occurrence when a
pair is declared twice), so renaming a service does not show its calls as new.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model import Datastore, Decision, Dependency, Design, External, Flow, Model, Service

Item = Service | Datastore | External | Flow | Decision
"""What `_diff_items` compares: anything with an id."""

ChangeKind = Literal["added", "removed", "changed", "renamed"]
ItemKind = Literal["service", "datastore", "external", "dependency", "flow", "decision"]

# Fields that hold ids of other items, mapped through renames before comparing.
_REFERENCES: dict[str, tuple[str, ...]] = {
    "service": ("datastore",),
    "flow": ("entry",),
    "decision": ("superseded_by",),
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: dotted path, the old value, the new value (None = absent)."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One added, removed, changed or renamed item."""

    kind: ItemKind
    id: str
    """The id in the new design (the old one for a removed item)."""
    change: ChangeKind
    old_id: str | None = None
    """For a rename: the id it had."""
    fields: tuple[FieldChange, ...] = ()
    """For a change (or a rename with edits): what differs."""
    label: str = ""
    """The item's name for people (its id when it has none)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id, "change": self.change}
        if self.old_id is not None:
            out["old_id"] = self.old_id
        out["label"] = self.label
        out["fields"] = [f.to_json() for f in self.fields]
        return out


@dataclass(frozen=True, slots=True)
class StructuralDiff:
    """What the change edits, section by section."""

    components: tuple[ItemChange, ...] = ()
    dependencies: tuple[ItemChange, ...] = ()
    flows: tuple[ItemChange, ...] = ()
    decisions: tuple[ItemChange, ...] = ()
    answers: tuple[FieldChange, ...] = ()
    """DISCOVER answers that changed (dotted under `discovery`)."""
    other: tuple[str, ...] = ()
    """Other sections that changed (failure_modes, accepted_risks, ...), by key."""
    renames: Mapping[str, str] = field(default_factory=dict)
    """Old id -> new id, components and flows."""

    @property
    def empty(self) -> bool:
        return not (
            self.components
            or self.dependencies
            or self.flows
            or self.decisions
            or self.answers
            or self.other
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "components": [c.to_json() for c in self.components],
            "dependencies": [c.to_json() for c in self.dependencies],
            "flows": [c.to_json() for c in self.flows],
            "decisions": [c.to_json() for c in self.decisions],
            "answers": [a.to_json() for a in self.answers],
            "other": list(self.other),
            "renames": dict(self.renames),
        }


# ----------------------------------------------------------------------------- fields


def _plain(item: Model) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys; lists stay whole values (compared as a unit)."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict) and value:
                out.update(flatten(value, path))
            else:
                out[path] = value
    return out


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """Dotted fields that differ between two flattened items, in a stable order."""
    a, b = flatten(dict(old)), flatten(dict(new))
    keys = list(a) + [k for k in b if k not in a]
    return tuple(FieldChange(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k))


def _mapped(data: dict[str, Any], kind: str, renames: Mapping[str, str]) -> dict[str, Any]:
    """An old item's data with its references to renamed items written with the new ids."""
    out = dict(data)
    for key in _REFERENCES.get(kind, ()):
        ref = out.get(key)
        if isinstance(ref, str) and ref in renames:
            out[key] = renames[ref]
    if kind == "flow":
        out["steps"] = [_mapped_step(s, renames) for s in out.get("steps", [])]
    return out


def _mapped_step(step: dict[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    out = dict(step)
    for key in ("from", "to"):
        if isinstance(out.get(key), str):
            out[key] = renames.get(out[key], out[key])
    if isinstance(out.get("parallel"), list):
        out["parallel"] = [_mapped_step(p, renames) for p in out["parallel"]]
    return out


def _label_of(item: Item) -> str:
    if isinstance(item, Decision):
        return item.title or item.id
    return item.label


def _name_of(item: Item) -> str:
    value = item.title if isinstance(item, Decision) else item.name
    return value.strip() if isinstance(value, str) else ""


# ----------------------------------------------------------------------------- items by id


def _diff_items(
    kind: ItemKind,
    old: Sequence[Item],
    new: Sequence[Item],
    renames: dict[str, str],
) -> list[ItemChange]:
    """Added, removed, changed and renamed items of one kind; records renames found."""
    old_by = {i.id: i for i in old}
    new_by = {i.id: i for i in new}
    removed = [i for i in old if i.id not in new_by]
    added = [i for i in new if i.id not in old_by]

    def body(item: Item, mapped: bool) -> dict[str, Any]:
        data = _plain(item)
        data.pop("id", None)
        return _mapped(data, kind, renames) if mapped else data

    pairs: list[tuple[Item, Item]] = []
    # 1. same fields, new id
    for gone in list(removed):
        want = body(gone, mapped=True)
        match = next((a for a in added if body(a, mapped=False) == want), None)
        if match is not None:
            pairs.append((gone, match))
            removed.remove(gone)
            added.remove(match)
    # 2. same unique name
    for gone in list(removed):
        name = _name_of(gone)
        if not name:
            continue
        olds = [r for r in removed if _name_of(r) == name]
        news = [a for a in added if _name_of(a) == name]
        if len(olds) == 1 and len(news) == 1:
            pairs.append((gone, news[0]))
            removed.remove(gone)
            added.remove(news[0])
    for gone, came in pairs:
        renames[gone.id] = came.id

    out: list[ItemChange] = []
    renamed_to = {c.id: g for g, c in pairs}
    added_ids = {a.id for a in added}
    for item in new:
        iid = item.id
        if iid in renamed_to:
            before = renamed_to[iid]
            out.append(
                ItemChange(
                    kind,
                    iid,
                    "renamed",
                    before.id,
                    field_changes(body(before, True), body(item, False)),
                    _label_of(item),
                )
            )
        elif iid in old_by:
            changes = field_changes(body(old_by[iid], True), body(item, False))
            if changes:
                out.append(ItemChange(kind, iid, "changed", None, changes, _label_of(item)))
        elif iid in added_ids:
            out.append(ItemChange(kind, iid, "added", label=_label_of(item)))
    out.extend(ItemChange(kind, i.id, "removed", label=_label_of(i)) for i in removed)
    return out


# ----------------------------------------------------------------------------- dependencies


def dependency_id(source: str, target: str, nth: int = 0) -> str:
    """How a dependency is named: `from -> to` (with `#2` for a second declaration)."""
    return f"{source} -> {target}" + (f" #{nth + 1}" if nth else "")


def _keyed_deps(
    deps: Iterable[Dependency], renames: Mapping[str, str]
) -> dict[tuple[str, str, int], Dependency]:
    out: dict[tuple[str, str, int], Dependency] = {}
    seen: dict[tuple[str, str], int] = {}
    for d in deps:
        pair = (renames.get(d.from_, d.from_), renames.get(d.to, d.to))
        nth = seen.get(pair, 0)
        seen[pair] = nth + 1
        out[(*pair, nth)] = d
    return out


def _diff_dependencies(old: Design, new: Design, renames: Mapping[str, str]) -> list[ItemChange]:
    before = _keyed_deps(old.dependencies, renames)
    after = _keyed_deps(new.dependencies, {})

    def body(d: Dependency) -> dict[str, Any]:
        data = _plain(d)
        data.pop("from", None)
        data.pop("to", None)
        return data

    out: list[ItemChange] = []
    for key, dep in after.items():
        name = dependency_id(*key)
        label = dep.label or name
        if key not in before:
            out.append(ItemChange("dependency", name, "added", label=label))
        else:
            changes = field_changes(body(before[key]), body(dep))
            if changes:
                out.append(ItemChange("dependency", name, "changed", None, changes, label))
    for key, dep in before.items():
        if key not in after:
            out.append(
                ItemChange("dependency", dependency_id(*key), "removed", label=dep.label or "")
            )
    return out


# ----------------------------------------------------------------------------- whole design

_OTHER_SECTIONS = (
    "name",
    "scope",
    "context",
    "failure_modes",
    "migration",
    "event_storming",
    "accepted_risks",
    "imported",
)


def structural_diff(old: Design, new: Design) -> StructuralDiff:
    """What `new` edits against `old` (pure; see the module docstring for renames)."""
    renames: dict[str, str] = {}
    components: list[ItemChange] = []
    # Stores and externals first: a renamed store is then mapped in its owner's fields.
    components += _diff_items("datastore", old.datastores, new.datastores, renames)
    components += _diff_items("external", old.externals, new.externals, renames)
    components += _diff_items("service", old.services, new.services, renames)
    order = {"service": 0, "datastore": 1, "external": 2}
    components.sort(key=lambda c: order[c.kind])
    component_renames = dict(renames)
    flows = _diff_items("flow", old.flows, new.flows, renames)
    decisions = _diff_items("decision", old.decisions, new.decisions, {})
    deps = _diff_dependencies(old, new, component_renames)
    answers = field_changes(
        old.discovery.model_dump(mode="json", exclude_none=True),
        new.discovery.model_dump(mode="json", exclude_none=True),
    )
    old_data, new_data = old.to_data(), new.to_data()
    other = tuple(k for k in _OTHER_SECTIONS if old_data.get(k) != new_data.get(k))
    return StructuralDiff(
        components=tuple(components),
        dependencies=tuple(deps),
        flows=tuple(flows),
        decisions=tuple(decisions),
        answers=answers,
        other=other,
        renames=renames,
    )
