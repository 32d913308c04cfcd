"""Pure edits of a design: `(Design, ...) -> Design`.

The workbench changes the design only through these functions, so every edit is a
value-to-value transition that undo can reverse by keeping the old value. Each edit
re-validates what it touches (pydantic field rules) and refuses a result that adds a
cross-reference problem, raising `EditError` with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from . import ids
from .flows import RequestFlow
from .model import (
    AcceptedRisk,
    Datastore,
    Decision,
    Dependency,
    Design,
    External,
    FailureMode,
    Flow,
    FlowCall,
    FlowStep,
    MigrationPhase,
    Service,
)
from .store.validation import check_references

M = TypeVar("M", bound=BaseModel)
DeletePolicy = Literal["drop", "repoint"]
Section = Literal[
    "services", "datastores", "externals", "failure_modes", "decisions", "migration", "flows"
]


class EditError(ValueError):
    """An edit was refused: the value is invalid or would break a reference."""


# --------------------------------------------------------------------------- helpers


def _errors_text(exc: ValidationError) -> str:
    # The CLI's wording ("replicas: must be at least 0 (got -1)"), not pydantic's: the
    # workbench and `stratus validate` say the same thing for the same mistake.
    from .store.explain import explain

    return "; ".join(problem.message for problem in explain(exc))


def replace_fields(model: M, **changes: Any) -> M:
    """A copy of `model` with `changes`, validated like a loaded file (raises EditError)."""
    data = model.model_dump(by_alias=False, exclude_unset=False)
    data.update(changes)
    try:
        return type(model).model_validate(data)
    except ValidationError as exc:
        raise EditError(_errors_text(exc)) from None


def _checked(before: Design, after: Design) -> Design:
    """Refuse `after` when it has reference problems that `before` did not have."""
    old = {p.message for p in check_references(before)}
    new = [p.message for p in check_references(after) if p.message not in old]
    if new:
        raise EditError(new[0])
    return after


def _with(design: Design, **sections: Any) -> Design:
    return design.model_copy(update=sections)


def _index(items: Iterable[Any], item_id: str, what: str) -> int:
    for i, item in enumerate(items):
        if item.id == item_id:
            return i
    raise EditError(f"no {what} with id {item_id!r}")


def _replace_at(items: tuple[M, ...], index: int, item: M) -> tuple[M, ...]:
    return (*items[:index], item, *items[index + 1 :])


def _drop_at(items: tuple[M, ...], index: int) -> tuple[M, ...]:
    return (*items[:index], *items[index + 1 :])


def unique_id(design: Design, base: str, section: Section | None = None) -> str:
    """`base`, or `base-2`, `base-3` ... so that it is free in `section` (or components),
    never longer than an id may be."""
    taken = (
        {x.id for x in getattr(design, section)}
        if section is not None and section not in ("services", "datastores", "externals")
        else design.component_ids()
    )
    return ids.unique_id(base, taken)


def next_decision_id(design: Design) -> str:
    """The next free `adr-NNN` id."""
    n = len(design.decisions) + 1
    while f"adr-{n:03d}" in {d.id for d in design.decisions}:
        n += 1
    return f"adr-{n:03d}"


# --------------------------------------------------------------------------- design


def update_design(design: Design, **changes: Any) -> Design:
    """Change top-level text fields (name, scope, context)."""
    return replace_fields(design, **changes)


def set_discovery(design: Design, path: str, value: Any) -> Design:
    """Set one discovery answer by dotted path, e.g. ("team.engineers", 12); None unanswers."""
    group_name, _, field = path.partition(".")
    group = getattr(design.discovery, group_name, None)
    if not isinstance(group, BaseModel) or field not in type(group).model_fields:
        raise EditError(f"unknown discovery answer {path!r}")
    new_group = replace_fields(group, **{field: value})
    discovery = design.discovery.model_copy(update={group_name: new_group})
    return _with(design, discovery=discovery)


# --------------------------------------------------------------------------- components


def _add_component(design: Design, section: Section, item: BaseModel) -> Design:
    if item.id in design.component_ids():  # type: ignore[attr-defined]
        raise EditError(f"id {item.id!r} is already used")  # type: ignore[attr-defined]
    return _checked(design, _with(design, **{section: (*getattr(design, section), item)}))


def _update_in(design: Design, section: Section, item_id: str, what: str, **changes: Any) -> Design:
    if "id" in changes and changes["id"] != item_id:
        raise EditError("use rename to change an id")
    items = getattr(design, section)
    i = _index(items, item_id, what)
    new = replace_fields(items[i], **changes)
    return _checked(design, _with(design, **{section: _replace_at(items, i, new)}))


def add_service(design: Design, service: Service) -> Design:
    """Append a service; its id must be free among all components."""
    return _add_component(design, "services", service)


def update_service(design: Design, service_id: str, **changes: Any) -> Design:
    """Change fields of a service (not its id: see `rename_component`)."""
    return _update_in(design, "services", service_id, "service", **changes)


def add_datastore(design: Design, store: Datastore) -> Design:
    """Append a datastore."""
    return _add_component(design, "datastores", store)


def update_datastore(design: Design, store_id: str, **changes: Any) -> Design:
    """Change fields of a datastore."""
    return _update_in(design, "datastores", store_id, "datastore", **changes)


def add_external(design: Design, external: External) -> Design:
    """Append an external system."""
    return _add_component(design, "externals", external)


def update_external(design: Design, external_id: str, **changes: Any) -> Design:
    """Change fields of an external system."""
    return _update_in(design, "externals", external_id, "external", **changes)


def rename_component(design: Design, old: str, new: str) -> Design:
    """Give a service, datastore or external a new id and update every reference to it.

    References: dependencies (both ends), a service's datastore, failure modes and
    accepted risks. Decisions name patterns, not components, so they are unaffected.
    """
    kind = design.kind_of(old)
    if kind is None:
        raise EditError(f"no component with id {old!r}")
    if new == old:
        return design
    if new in design.component_ids():
        raise EditError(f"id {new!r} is already used")
    section = f"{kind}s"
    items = getattr(design, section)
    i = _index(items, old, kind)
    renamed = replace_fields(items[i], id=new)

    def swap(value: str | None) -> str | None:
        return new if value == old else value

    services = tuple(
        s.model_copy(update={"datastore": swap(s.datastore)}) if s.datastore == old else s
        for s in (design.services if section != "services" else _replace_at(items, i, renamed))
    )
    update: dict[str, Any] = {
        "services": services,
        "dependencies": tuple(
            d.model_copy(update={"from_": swap(d.from_), "to": swap(d.to)})
            if old in (d.from_, d.to)
            else d
            for d in design.dependencies
        ),
        "failure_modes": tuple(
            f.model_copy(update={"component": new}) if f.component == old else f
            for f in design.failure_modes
        ),
        "accepted_risks": tuple(
            r.model_copy(update={"component": new}) if r.component == old else r
            for r in design.accepted_risks
        ),
    }
    update["flows"] = _flows_after(design, swap, update["dependencies"])
    if section != "services":
        update[section] = _replace_at(items, i, renamed)
    return _checked(design, _with(design, **update))


def _flows_after(
    design: Design, swap: Callable[[str], str | None], deps: tuple[Dependency, ...]
) -> tuple[Any, ...]:
    """Request flows after a rename or delete: ids swapped (None = gone); a flow whose
    entry is gone goes; a step that is no longer a declared dependency goes."""
    if not design.flows:
        return design.flows
    declared = {(d.from_, d.to) for d in deps}
    out = []
    for flow in design.flows:
        entry = swap(flow.entry)
        moved = entry is not None and entry != flow.entry
        if entry is None or (moved and design.kind_of(entry) not in (None, "service")):
            continue
        steps = []
        for step in flow.steps:
            calls = step.parallel if step.parallel is not None else (step,)
            kept = []
            for c in calls:
                src, dst = swap(c.from_ or ""), swap(c.to or "")
                if src is not None and dst is not None and (src, dst) in declared:
                    kept.append(c.model_copy(update={"from_": src, "to": dst}))
            if step.parallel is None:
                steps.extend(kept)
            elif kept:
                steps.append(step.model_copy(update={"parallel": tuple(kept)}))
        out.append(flow.model_copy(update={"entry": entry, "steps": tuple(steps)}))
    return tuple(out)


def delete_component(
    design: Design,
    component_id: str,
    policy: DeletePolicy = "drop",
    repoint_to: str | None = None,
) -> Design:
    """Remove a service, datastore or external and deal with what references it.

    policy "drop": dependencies touching it, its failure modes and accepted risks go too.
    policy "repoint": they are moved onto `repoint_to` (a component of a kind that fits);
    a dependency that would point at its own source, or duplicate one, is dropped.
    Services whose datastore was the deleted one lose it (or get `repoint_to` if it is a
    datastore).
    """
    kind = design.kind_of(component_id)
    if kind is None:
        raise EditError(f"no component with id {component_id!r}")
    if policy == "repoint":
        if repoint_to is None or repoint_to == component_id:
            raise EditError("choose another component to re-point the dependencies to")
        if design.kind_of(repoint_to) is None:
            raise EditError(f"no component with id {repoint_to!r}")
    target = repoint_to if policy == "repoint" else None
    section = f"{kind}s"
    items = getattr(design, section)
    remaining = _drop_at(items, _index(items, component_id, kind))

    deps: list[Dependency] = []
    seen: set[tuple[str, str, str]] = set()
    for d in design.dependencies:
        if component_id in (d.from_, d.to):
            if target is None:
                continue
            src = target if d.from_ == component_id else d.from_
            dst = target if d.to == component_id else d.to
            if src == dst or design.kind_of(src) != "service":
                continue
            d = d.model_copy(update={"from_": src, "to": dst})
        key = (d.from_, d.to, d.mode)
        if key in seen:
            continue
        seen.add(key)
        deps.append(d)

    store_target = target if target is not None and design.kind_of(target) == "datastore" else None
    services = remaining if section == "services" else design.services
    services = tuple(
        s.model_copy(update={"datastore": store_target}) if s.datastore == component_id else s
        for s in services
    )
    fms: list[FailureMode] = [
        f if f.component != component_id else f.model_copy(update={"component": target})
        for f in design.failure_modes
        if f.component != component_id or target is not None
    ]
    risks: list[AcceptedRisk] = [
        r if r.component != component_id else r.model_copy(update={"component": target})
        for r in design.accepted_risks
        if r.component != component_id or target is not None
    ]
    update: dict[str, Any] = {
        "services": services,
        "dependencies": tuple(deps),
        "failure_modes": tuple(fms),
        "accepted_risks": tuple(risks),
    }

    def gone(value: str) -> str | None:
        return target if value == component_id else value

    update["flows"] = _flows_after(design, gone, update["dependencies"])
    lost = {f.id for f in design.flows} - {f.id for f in update["flows"]}
    update["accepted_risks"] = tuple(r for r in risks if r.component not in lost)
    if section != "services":
        update[section] = remaining
    return _checked(design, _with(design, **update))


def references_to(design: Design, component_id: str) -> list[str]:
    """Human lines naming what refers to `component_id` (shown before a delete)."""
    lines = [
        f"dependency {d.from_} -> {d.to} ({d.mode})"
        for d in design.dependencies
        if component_id in (d.from_, d.to)
    ]
    lines += [
        f"service {s.id} uses it as datastore"
        for s in design.services
        if s.datastore == component_id
    ]
    lines += [f"failure mode {f.id}" for f in design.failure_modes if f.component == component_id]
    lines += [
        f"accepted risk {r.rule}" for r in design.accepted_risks if r.component == component_id
    ]
    return lines


# --------------------------------------------------------------------------- dependencies


def add_dependency(design: Design, dependency: Dependency) -> Design:
    """Append a dependency; both ends must exist and it must not duplicate another."""
    return _checked(design, _with(design, dependencies=(*design.dependencies, dependency)))


def update_dependency(design: Design, index: int, **changes: Any) -> Design:
    """Change the dependency at `index` (position in `design.dependencies`)."""
    if not 0 <= index < len(design.dependencies):
        raise EditError(f"no dependency at position {index}")
    if "from" in changes:
        changes["from_"] = changes.pop("from")
    new = replace_fields(design.dependencies[index], **changes)
    deps = _replace_at(design.dependencies, index, new)
    return _checked(design, _with(design, dependencies=deps))


def delete_dependency(design: Design, index: int) -> Design:
    """Remove the dependency at `index`."""
    if not 0 <= index < len(design.dependencies):
        raise EditError(f"no dependency at position {index}")
    return _with(design, dependencies=_drop_at(design.dependencies, index))


# --------------------------------------------------------------------------- other lists


def _add_item(design: Design, section: Section, item: Any, what: str) -> Design:
    if any(x.id == item.id for x in getattr(design, section)):
        raise EditError(f"a {what} with id {item.id!r} already exists")
    return _checked(design, _with(design, **{section: (*getattr(design, section), item)}))


def _delete_item(design: Design, section: Section, item_id: str, what: str) -> Design:
    items = getattr(design, section)
    return _checked(
        design, _with(design, **{section: _drop_at(items, _index(items, item_id, what))})
    )


def add_failure_mode(design: Design, failure_mode: FailureMode) -> Design:
    """Append a failure mode; its component must exist."""
    return _add_item(design, "failure_modes", failure_mode, "failure mode")


def update_failure_mode(design: Design, fm_id: str, **changes: Any) -> Design:
    """Change fields of a failure mode."""
    return _update_in(design, "failure_modes", fm_id, "failure mode", **changes)


def delete_failure_mode(design: Design, fm_id: str) -> Design:
    """Remove a failure mode."""
    return _delete_item(design, "failure_modes", fm_id, "failure mode")


def add_decision(design: Design, decision: Decision) -> Design:
    """Append a decision record."""
    return _add_item(design, "decisions", decision, "decision")


def update_decision(design: Design, decision_id: str, **changes: Any) -> Design:
    """Change fields of a decision record."""
    return _update_in(design, "decisions", decision_id, "decision", **changes)


def delete_decision(design: Design, decision_id: str) -> Design:
    """Remove a decision record (refused while another one is superseded by it)."""
    return _delete_item(design, "decisions", decision_id, "decision")


def add_migration_phase(design: Design, phase: MigrationPhase) -> Design:
    """Append a migration phase."""
    return _add_item(design, "migration", phase, "migration phase")


def update_migration_phase(design: Design, phase_id: str, **changes: Any) -> Design:
    """Change fields of a migration phase."""
    return _update_in(design, "migration", phase_id, "migration phase", **changes)


def delete_migration_phase(design: Design, phase_id: str) -> Design:
    """Remove a migration phase."""
    return _delete_item(design, "migration", phase_id, "migration phase")


def delete_item(design: Design, section: Section, item_id: str) -> Design:
    """Remove an item of a non-component list (failure mode, decision, phase) by id."""
    return _delete_item(design, section, item_id, section.rstrip("s").replace("_", " "))


def update_item(design: Design, section: Section, item_id: str, **changes: Any) -> Design:
    """Generic field update for any id-keyed list (used by the workbench's editors)."""
    updaters: dict[str, Callable[..., Design]] = {
        "services": update_service,
        "datastores": update_datastore,
        "externals": update_external,
        "failure_modes": update_failure_mode,
        "decisions": update_decision,
        "migration": update_migration_phase,
        "flows": update_flow,
    }
    return updaters[section](design, item_id, **changes)


# --------------------------------------------------------------------------- request flows
# Flows are edited here, not in the workbench, so each change is one validated value
# (a step must be a declared dependency: `_checked` refuses anything else).


def _flow_at(design: Design, flow_id: str) -> tuple[int, Flow]:
    i = _index(design.flows, flow_id, "flow")
    return i, design.flows[i]


def _with_flow(design: Design, index: int, flow: Flow) -> Design:
    return _checked(design, _with(design, flows=_replace_at(design.flows, index, flow)))


def _with_steps(design: Design, flow_id: str, steps: list[FlowStep]) -> Design:
    i, flow = _flow_at(design, flow_id)
    return _with_flow(design, i, flow.model_copy(update={"steps": tuple(steps)}))


def _step_index(flow: Flow, index: int) -> int:
    if not 0 <= index < len(flow.steps):
        raise EditError(f"flow {flow.id!r} has no step {index + 1}")
    return index


def add_flow(design: Design, flow: Flow) -> Design:
    """Append a declared flow; its id is free among flows and components."""
    if flow.id in design.component_ids():
        raise EditError(f"id {flow.id!r} is already a component id")
    return _add_item(design, "flows", flow, "flow")


def update_flow(design: Design, flow_id: str, **changes: Any) -> Design:
    """Change fields of a declared flow (name, entry, trigger, slo, saga)."""
    return _update_in(design, "flows", flow_id, "flow", **changes)


def delete_flow(design: Design, flow_id: str) -> Design:
    """Remove a declared flow (its entry gets derived flows again)."""
    return _delete_item(design, "flows", flow_id, "flow")


def flow_callers(flow: Flow) -> list[str]:
    """Who the next step may start from: the entry, then each callee, latest first."""
    out = [flow.entry]
    for step in flow.steps:
        for call in step.parallel if step.parallel is not None else (step,):
            if call.to is not None and call.to not in out:
                out.append(call.to)
    return [*reversed(out[1:]), out[0]]


def add_flow_step(design: Design, flow_id: str, source: str, target: str) -> Design:
    """Append the call `source` -> `target` (a declared dependency) to a flow."""
    _, flow = _flow_at(design, flow_id)
    return _with_steps(design, flow_id, [*flow.steps, FlowStep(from_=source, to=target)])


def delete_flow_step(design: Design, flow_id: str, index: int) -> Design:
    """Remove step `index` (a call or a whole parallel group)."""
    _, flow = _flow_at(design, flow_id)
    steps = list(flow.steps)
    del steps[_step_index(flow, index)]
    return _with_steps(design, flow_id, steps)


def move_flow_step(design: Design, flow_id: str, index: int, delta: int) -> Design:
    """Move step `index` by `delta` places (-1 up, +1 down)."""
    _, flow = _flow_at(design, flow_id)
    src = _step_index(flow, index)
    dst = src + delta
    if not 0 <= dst < len(flow.steps):
        raise EditError("the step is already at the end")
    steps = list(flow.steps)
    steps.insert(dst, steps.pop(src))
    return _with_steps(design, flow_id, steps)


def _calls_of(step: FlowStep) -> list[FlowCall]:
    if step.parallel is not None:
        return list(step.parallel)
    return [FlowCall(from_=step.from_ or "", to=step.to or "", compensate=step.compensate)]


def toggle_flow_parallel(design: Design, flow_id: str, index: int) -> Design:
    """A parallel group splits into one step per call; a single step joins the step
    before it in a parallel group (the calls are made at the same time)."""
    _, flow = _flow_at(design, flow_id)
    i = _step_index(flow, index)
    steps = list(flow.steps)
    step = steps[i]
    if step.parallel is not None:
        split = [FlowStep(from_=c.from_, to=c.to, compensate=c.compensate) for c in step.parallel]
        steps[i : i + 1] = split
    else:
        if i == 0:
            raise EditError("the first step has no step before it to run in parallel with")
        group = [*_calls_of(steps[i - 1]), *_calls_of(step)]
        steps[i - 1 : i + 1] = [FlowStep(parallel=tuple(group))]
    return _with_steps(design, flow_id, steps)


def set_flow_compensation(design: Design, flow_id: str, index: int, text: str | None) -> Design:
    """How step `index` is undone in a saga (every call of a parallel group); None clears."""
    _, flow = _flow_at(design, flow_id)
    i = _step_index(flow, index)
    steps = list(flow.steps)
    value = (text or "").strip() or None
    step = steps[i]
    if step.parallel is not None:
        calls = tuple(c.model_copy(update={"compensate": value}) for c in step.parallel)
        steps[i] = step.model_copy(update={"parallel": calls})
    else:
        steps[i] = step.model_copy(update={"compensate": value})
    return _with_steps(design, flow_id, steps)


def declare_flow(design: Design, flow: Flow) -> Design:
    """Copy a derived flow into `flows:` so it can be edited (it then replaces the
    derived flows of its entry)."""
    return add_flow(design, flow)


def as_declared(flow: RequestFlow) -> Flow:
    """The `flows:` entry that says what a derived flow says (same id, name, steps)."""
    steps = []
    for stage in flow.stages:
        calls = [FlowCall(from_=h.call.source, to=h.call.target) for h in stage]
        if len(calls) == 1:
            steps.append(FlowStep(from_=calls[0].from_, to=calls[0].to))
        else:
            steps.append(FlowStep(parallel=tuple(calls)))
    trigger = "event" if flow.trigger == "event" else None
    return Flow(id=flow.id, name=flow.name, entry=flow.entry, trigger=trigger, steps=tuple(steps))
