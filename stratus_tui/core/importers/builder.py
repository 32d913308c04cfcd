"""Collecting components and dependencies from any source into a valid Design."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from ..model import Design, ImportKind
from ..problems import DesignError, Problem
from ..store.validation import check_references
from .ids import IdAllocator
from .source import MAX_COMPONENTS, MAX_DEPENDENCIES, fail
from .stores import is_broker

Section = Literal["services", "datastores", "externals"]


@dataclass(frozen=True)
class ImportResult:
    """A design bootstrapped from a file, and what could not be imported (with where)."""

    design: Design
    skipped: list[str]
    kind: ImportKind


@dataclass
class DesignBuilder:
    """Accumulates components and edges; `build` returns a design that validates."""

    file: str
    kind: ImportKind
    ids: IdAllocator = field(default_factory=IdAllocator)
    sections: dict[Section, list[dict[str, Any]]] = field(
        default_factory=lambda: {"services": [], "datastores": [], "externals": []}
    )
    dependencies: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    _section_of: dict[str, Section] = field(default_factory=dict)
    _items: dict[str, dict[str, Any]] = field(default_factory=dict)
    _aliases: dict[str, str] = field(default_factory=dict)
    _edges: set[tuple[str, str, str]] = field(default_factory=set)

    # -- components ----------------------------------------------------------------

    def add(self, section: Section, raw: str, fallback: str, **fields: Any) -> str:
        """Add a component named `raw` (made a valid unique id); returns its id."""
        if len(self._section_of) >= MAX_COMPONENTS:
            raise fail(
                self.file,
                f"more than {MAX_COMPONENTS:,} components: too large to import",
            )
        cid = self.ids.allocate(raw, fallback)
        item: dict[str, Any] = {"id": cid}
        if raw.strip() and raw != cid and fields.get("name") is None:
            item["name"] = raw
        item.update({k: v for k, v in fields.items() if v is not None})
        self.sections[section].append(item)
        self._section_of[cid] = section
        self._items[cid] = item
        return cid

    def alias(self, name: str, cid: str) -> None:
        """Let `resolve(name)` find `cid` (host names, container names; first one wins)."""
        self._aliases.setdefault(name.lower(), cid)

    def resolve(self, name: str) -> str | None:
        """The component a host or reference name points at, if any."""
        return self._aliases.get(name.lower())

    def section_of(self, cid: str) -> Section | None:
        """Which list holds the component `cid`."""
        return self._section_of.get(cid)

    def component(self, cid: str) -> dict[str, Any] | None:
        """The mutable dict of a component being built."""
        return self._items.get(cid)

    def skip(self, where: str, message: str) -> None:
        """Record something that was not imported, with its place."""
        self.skipped.append(f"{where}: {message}")

    # -- dependencies ----------------------------------------------------------------

    def mode_towards(self, cid: str) -> Literal["sync", "async"]:
        """async towards a message broker, sync otherwise."""
        comp = self.component(cid)
        if (
            comp is not None
            and self._section_of[cid] == "datastores"
            and is_broker(comp.get("kind"))
        ):
            return "async"
        return "sync"

    def depend(
        self,
        frm: str,
        to: str,
        where: str,
        mode: Literal["sync", "async"] | None = None,
        **fields: Any,
    ) -> bool:
        """Add a dependency; returns False (with a note when useful) if it cannot be one."""
        if frm == to:
            return False
        if self.section_of(frm) != "services":
            what = self.section_of(frm) or "unknown component"
            self.skip(
                where,
                f"{frm} -> {to}: only services have dependencies ({frm} is a {what.rstrip('s')})",
            )
            return False
        if self.section_of(to) is None:
            self.skip(where, f"{frm} -> {to}: {to} is not a component")
            return False
        mode = mode or self.mode_towards(to)
        key = (frm, to, mode)
        if key in self._edges:
            return False
        if len(self.dependencies) >= MAX_DEPENDENCIES:
            raise fail(self.file, f"more than {MAX_DEPENDENCIES:,} dependencies: too large")
        self._edges.add(key)
        dep: dict[str, Any] = {"from": frm, "to": to, "mode": mode}
        dep.update({k: v for k, v in fields.items() if v is not None})
        self.dependencies.append(dep)
        return True

    def has_edge(self, frm: str, to: str) -> bool:
        """True when any dependency frm -> to exists."""
        return any((frm, to, m) in self._edges for m in ("sync", "async"))

    # -- result ----------------------------------------------------------------------

    def infer_owned_datastores(self) -> None:
        """A service that alone uses one (non-broker) store is that store's owner."""
        users: dict[str, set[str]] = {}
        for dep in self.dependencies:
            if self._section_of.get(dep["to"]) == "datastores" and dep["mode"] == "sync":
                users.setdefault(dep["to"], set()).add(dep["from"])
        owner = {store: next(iter(u)) for store, u in users.items() if len(u) == 1}
        owned: dict[str, list[str]] = {}
        for store, service_id in sorted(owner.items()):
            owned.setdefault(service_id, []).append(store)
        for service in self.sections["services"]:
            stores = owned.get(service["id"], [])
            if "datastore" not in service and len(stores) == 1:
                service["datastore"] = stores[0]

    def build(self, name: str, source: str) -> ImportResult:
        """The design, with DISCOVER answers that follow from it and its provenance."""
        answers: list[str] = []
        current: dict[str, Any] = {}
        count = len(self.sections["services"])
        if count:
            current = {"topology": "monolith" if count == 1 else "microservices", "services": count}
            answers = ["current.topology", "current.services"]
        data: dict[str, Any] = {
            "stratus": 1,
            "name": name,
            "discovery": {"current": current},
            **{k: v for k, v in self.sections.items() if v},
            "dependencies": self.dependencies,
            "imported": {"source": source, "kind": self.kind, "answers": answers},
        }
        try:
            design = Design.model_validate(data)
        except ValidationError as exc:  # a bug here, but never a traceback for the user
            raise DesignError(
                [
                    Problem(
                        f"import produced an invalid design: {e['msg']} at "
                        f"{'.'.join(map(str, e['loc']))}",
                        (),
                        self.file,
                    )
                    for e in exc.errors(include_url=False)
                ]
            ) from None
        problems = check_references(design)
        if problems:
            raise DesignError(
                [
                    Problem(f"import produced an invalid design: {p.message}", (), self.file)
                    for p in problems
                ]
            )
        return ImportResult(design, sorted(self.skipped, key=self._line_of), self.kind)

    def _line_of(self, note: str) -> int:
        # Notes start with FILE:LINE[:COL]; list them in file order.
        rest = note[len(self.file) :].split(":", 2)
        return int(rest[1]) if len(rest) > 1 and rest[1].isdigit() else 0
