"""Derive candidate services from the event-storming board, preview them, then apply.

The rules (one place, documented for users in the README):

- **One service per bounded context** that has stickies, mapped onto the services already
  in it: its id is, in this order, the id of an existing service with the context's id;
  else an existing service whose `context` (or name) is the context's id or name, case
  and spacing ignored (with several, the one whose context and name both match, else the
  first in file order: never a new, duplicate service); else the context's id itself
  (made unique if a datastore or external already uses it). Its name is the context's name.
- **Owns** the texts of the context's aggregates; **API** lists its commands
  (`Commands: Place Order, Cancel Order`).
- **Async dependencies**: a policy reacts to the nearest domain event before it on the
  timeline. When that event belongs to another context, the policy's service gets an
  `async` dependency *on* the event's service (`from` = the reacting service, `to` = the
  emitting one, label `on <event>`). It is drawn directly between the two services rather
  than through an invented broker: which broker carries it is the architect's decision,
  and one shared broker datastore would trip the `shared-datastore` lint rule for every
  pair of contexts.
- **Externals**: every external-system sticky becomes an external (matched to an existing
  one by id or name). When the sticky sits in a context, that context's service gets a
  `sync` dependency on it (`uses <name>`), for the architect to give a timeout and a
  circuit breaker.

Applying merges by id and never loses an edit: fields already set win, missing ones are
filled, new `owns` entries and new commands are appended, and existing dependencies and
externals are left alone. Applying the same plan twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..ids import slug_id, unique_id
from ..model import Dependency, Design, External, Mode, Service, StormContext, StormItem
from .board import timeline


@dataclass(frozen=True)
class ServiceCandidate:
    """A service derived from one bounded context."""

    id: str
    name: str
    context: str
    owns: tuple[str, ...]
    commands: tuple[str, ...]
    existing: bool
    """True when it merges into a service already in the design."""


@dataclass(frozen=True)
class ExternalCandidate:
    """An external system derived from an external-system sticky."""

    id: str
    name: str
    existing: bool


@dataclass(frozen=True)
class DependencyCandidate:
    """A dependency derived from a policy (async) or an external sticky (sync)."""

    from_: str
    to: str
    mode: Mode
    label: str
    existing: bool


@dataclass(frozen=True)
class DerivedPlan:
    """What `apply_derived` would do; shown to the user as a preview first."""

    services: tuple[ServiceCandidate, ...] = ()
    externals: tuple[ExternalCandidate, ...] = ()
    dependencies: tuple[DependencyCandidate, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.services or self.externals or self.dependencies)


def _unique_texts(items: Iterable[StormItem]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        text = " ".join(item.text.split())
        seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _service_id(design: Design, ctx: StormContext, claimed: set[str]) -> str:
    services = {s.id for s in design.services}
    if ctx.id in services:
        return ctx.id
    # the services already in the context (by its id or its name, case and spacing
    # ignored): the context maps onto them, never onto a new, duplicate service
    keys = {_fold(ctx.id)} | ({_fold(ctx.name)} if ctx.name else set())
    mine = [s for s in design.services if s.id not in claimed and _fold(s.context) in keys]
    named = [s for s in design.services if s.id not in claimed and _fold(s.name or s.id) in keys]
    if mine or named:
        # several in the context: the one named like it, else the first in file order
        both = [s for s in mine if s in named]
        return (both or mine or named)[0].id
    others = {d.id for d in design.datastores} | {e.id for e in design.externals}
    return unique_id(ctx.id, others | services | claimed)


def _reacted_event(line: tuple[StormItem, ...], policy_index: int) -> StormItem | None:
    for item in reversed(line[:policy_index]):
        if item.kind == "event":
            return item
    return None


def derive_services(design: Design) -> DerivedPlan:
    """The candidate services, externals and dependencies the board suggests."""
    line = timeline(design)
    board_contexts = design.event_storming.contexts
    used = {item.context for item in line if item.context is not None}
    service_of: dict[str, str] = {}
    services: list[ServiceCandidate] = []
    existing_services = {s.id for s in design.services}
    for ctx in board_contexts:
        if ctx.id not in used:
            continue  # an empty context has nothing to derive
        sid = _service_id(design, ctx, set(service_of.values()))
        service_of[ctx.id] = sid
        mine = [item for item in line if item.context == ctx.id]
        services.append(
            ServiceCandidate(
                id=sid,
                name=ctx.name or ctx.id,
                context=ctx.id,
                owns=_unique_texts(i for i in mine if i.kind == "aggregate"),
                commands=_unique_texts(i for i in mine if i.kind == "command"),
                existing=sid in existing_services,
            )
        )

    externals: list[ExternalCandidate] = []
    external_of: dict[str, str] = {}  # casefolded sticky text -> external id
    taken = design.component_ids() | set(service_of.values())
    for item in line:
        if item.kind != "external":
            continue
        key = " ".join(item.text.split()).casefold()
        if key in external_of:
            continue
        match = next(
            (
                e
                for e in design.externals
                if e.id.casefold() == slug_id(key, "external") or (e.name or "").casefold() == key
            ),
            None,
        )
        if match is not None:
            external_of[key] = match.id
            externals.append(ExternalCandidate(match.id, match.name or match.id, True))
        else:
            eid = unique_id(slug_id(key, "external"), taken)
            taken.add(eid)
            external_of[key] = eid
            externals.append(ExternalCandidate(eid, " ".join(item.text.split()), False))

    present = {(d.from_, d.to, d.mode) for d in design.dependencies}
    deps: dict[tuple[str, str, Mode], list[str]] = {}
    for index, item in enumerate(line):
        if item.context not in service_of:
            continue
        me = service_of[item.context]
        if item.kind == "policy":
            event = _reacted_event(line, index)
            if event is None or event.context not in service_of:
                continue
            them = service_of[event.context]
            if them != me:
                deps.setdefault((me, them, "async"), []).append(f"on {event.text}")
        elif item.kind == "external":
            target = external_of[" ".join(item.text.split()).casefold()]
            deps.setdefault((me, target, "sync"), []).append(f"uses {item.text}")
    dependencies = tuple(
        DependencyCandidate(f, t, mode, ", ".join(dict.fromkeys(labels)), (f, t, mode) in present)
        for (f, t, mode), labels in deps.items()
    )
    return DerivedPlan(tuple(services), tuple(externals), dependencies)


def _merge_service(service: Service, candidate: ServiceCandidate) -> Service:
    update: dict[str, object] = {}
    if service.name is None:
        update["name"] = candidate.name
    if service.context is None:
        update["context"] = candidate.context
    have = {o.casefold() for o in service.owns}
    extra = tuple(o for o in candidate.owns if o.casefold() not in have)
    if extra:
        update["owns"] = (*service.owns, *extra)
    if candidate.commands:
        if service.api is None:
            update["api"] = "Commands: " + ", ".join(candidate.commands)
        else:
            api = service.api.casefold()
            missing = [c for c in candidate.commands if c.casefold() not in api]
            if missing:
                update["api"] = f"{service.api}; Commands: {', '.join(missing)}"
    return service.model_copy(update=update) if update else service


def apply_derived(design: Design, plan: DerivedPlan) -> Design:
    """Merge a plan into the design by id; existing fields and entries always win."""
    services = list(design.services)
    index = {s.id: i for i, s in enumerate(services)}
    non_services = {d.id for d in design.datastores} | {e.id for e in design.externals}
    for candidate in plan.services:
        if candidate.id in index:
            i = index[candidate.id]
            services[i] = _merge_service(services[i], candidate)
        elif candidate.id not in non_services:  # the design changed since the preview
            index[candidate.id] = len(services)
            services.append(
                _merge_service(Service(id=candidate.id, context=candidate.context), candidate)
            )
    externals = list(design.externals)
    ids = set(index) | {d.id for d in design.datastores} | {e.id for e in externals}
    for ext in plan.externals:
        if ext.id not in ids:
            externals.append(External(id=ext.id, name=ext.name))
            ids.add(ext.id)
    dependencies = list(design.dependencies)
    present: set[tuple[str, str, Mode]] = {(d.from_, d.to, d.mode) for d in dependencies}
    for dep in plan.dependencies:
        key = (dep.from_, dep.to, dep.mode)
        if key in present or dep.from_ not in index or dep.to not in ids or dep.from_ == dep.to:
            continue
        present.add(key)
        dependencies.append(
            Dependency.model_validate(
                {"from": dep.from_, "to": dep.to, "mode": dep.mode, "label": dep.label}
            )
        )
    return design.model_copy(
        update={
            "services": tuple(services),
            "externals": tuple(externals),
            "dependencies": tuple(dependencies),
        }
    )


def _flat(text: str) -> str:
    """User text for one preview line: no newlines, no control characters."""
    from ..escape import clean_text

    return " ".join(clean_text(text).split())


def plan_lines(plan: DerivedPlan) -> list[str]:
    """The plan as plain lines for a preview (what is new, what merges).

    Sticky texts and context names are flattened so that each entry stays on its line.
    """
    if plan.empty:
        return ["Nothing to derive: put stickies in bounded contexts first."]
    lines = ["Services (one per bounded context):"]
    for s in plan.services:
        state = "merge into existing" if s.existing else "new"
        lines.append(f"  {s.id}  [{state}]  {_flat(s.name)}  (context {s.context})")
        if s.owns:
            lines.append(f"      owns: {', '.join(_flat(o) for o in s.owns)}")
        if s.commands:
            lines.append(f"      API commands: {', '.join(_flat(c) for c in s.commands)}")
    if plan.dependencies:
        lines.append("Dependencies:")
        for d in plan.dependencies:
            state = "already there" if d.existing else "new"
            lines.append(f"  {d.from_} -> {d.to}  {d.mode}  [{state}]  {_flat(d.label)}")
    if plan.externals:
        lines.append("Externals:")
        for e in plan.externals:
            state = "already there" if e.existing else "new"
            lines.append(f"  {e.id}  [{state}]  {_flat(e.name)}")
    lines.append("Applying keeps every field you already set; it only fills and appends.")
    return lines
