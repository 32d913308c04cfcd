"""Cross-reference checks that pydantic's per-field validation cannot see.

Each check takes a `Design` and yields `Problem`s with a `loc` into the document. Other
modules add theirs with `register_check` (e.g. the pattern library checks that a
decision's `pattern` names a known pattern).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..model import Design
from ..problems import Problem, did_you_mean

Check = Callable[[Design], Iterable[Problem]]
_CHECKS: list[Check] = []


def register_check(check: Check) -> Check:
    """Add a check run by `check_references`; usable as a decorator."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def check_references(design: Design) -> list[Problem]:
    """Every cross-reference problem of `design`, in document order of the checks."""
    problems: list[Problem] = []
    for check in _CHECKS:
        problems.extend(check(design))
    return problems


def _unique(section: str, items: Sequence[Any], key: str = "id") -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            yield Problem(
                f"duplicate id {value!r} in {section} (first used at {section}[{seen[value]}])",
                (section, i, key),
            )
        else:
            seen[value] = i


@register_check
def unique_ids(design: Design) -> Iterator[Problem]:
    for section in (
        "services",
        "datastores",
        "externals",
        "failure_modes",
        "decisions",
        "migration",
    ):
        yield from _unique(section, getattr(design, section))
    yield from (
        Problem(
            p.message.replace("in contexts", "in event_storming.contexts"),
            ("event_storming", *p.loc),
        )
        for p in _unique("contexts", design.event_storming.contexts)
    )
    yield from (
        Problem(
            p.message.replace("in items", "in event_storming.items"), ("event_storming", *p.loc)
        )
        for p in _unique("items", design.event_storming.items)
    )
    # Dependencies reference components by id, so a component id must say one thing.
    owner: dict[str, str] = {}
    for section in ("services", "datastores", "externals"):
        for i, c in enumerate(getattr(design, section)):
            if c.id in owner and owner[c.id] != section:
                yield Problem(
                    f"id {c.id!r} is already used in {owner[c.id]}; services, datastores and "
                    "externals share one id space because dependencies refer to them by id",
                    (section, i, "id"),
                )
            owner.setdefault(c.id, section)


@register_check
def references_exist(design: Design) -> Iterator[Problem]:
    services = {s.id for s in design.services}
    stores = {d.id for d in design.datastores}
    components = design.component_ids()
    for i, s in enumerate(design.services):
        if s.datastore is not None and s.datastore not in stores:
            yield Problem(
                f"service {s.id!r}: datastore {s.datastore!r} is not in datastores"
                + did_you_mean(s.datastore, stores),
                ("services", i, "datastore"),
            )
    seen_edges: dict[tuple[str, str, str], int] = {}
    for i, d in enumerate(design.dependencies):
        if d.from_ not in services:
            yield Problem(
                f"dependency from {d.from_!r}: no service has that id"
                + did_you_mean(d.from_, services),
                ("dependencies", i, "from"),
            )
        if d.to not in components:
            yield Problem(
                f"dependency to {d.to!r}: no service, datastore or external has that id"
                + did_you_mean(d.to, components),
                ("dependencies", i, "to"),
            )
        if d.from_ == d.to:
            yield Problem(f"dependency from {d.from_!r} to itself", ("dependencies", i, "to"))
        key = (d.from_, d.to, d.mode)
        if key in seen_edges:
            yield Problem(
                f"duplicate {d.mode} dependency {d.from_!r} -> {d.to!r} "
                f"(first at dependencies[{seen_edges[key]}])",
                ("dependencies", i),
            )
        seen_edges.setdefault(key, i)
    for i, fm in enumerate(design.failure_modes):
        if fm.component not in components:
            yield Problem(
                f"failure mode {fm.id!r}: component {fm.component!r} does not exist"
                + did_you_mean(fm.component, components),
                ("failure_modes", i, "component"),
            )
    decisions = {d.id for d in design.decisions}
    for i, dec in enumerate(design.decisions):
        if dec.superseded_by is not None and dec.superseded_by not in decisions:
            yield Problem(
                f"decision {dec.id!r}: superseded_by {dec.superseded_by!r} is not a decision",
                ("decisions", i, "superseded_by"),
            )
    contexts = {c.id for c in design.event_storming.contexts}
    for i, item in enumerate(design.event_storming.items):
        if item.context is not None and item.context not in contexts:
            yield Problem(
                f"sticky {item.id!r}: context {item.context!r} is not in event_storming.contexts"
                + did_you_mean(item.context, contexts),
                ("event_storming", "items", i, "context"),
            )
    # a finding about a request flow names the flow, so a risk may be accepted for one
    named = components | {f.id for f in design.flows}
    for i, risk in enumerate(design.accepted_risks):
        if risk.component is not None and risk.component not in named:
            yield Problem(
                f"accepted risk: component {risk.component!r} does not exist"
                + did_you_mean(risk.component, named),
                ("accepted_risks", i, "component"),
            )


@register_check
def decision_patterns_exist(design: Design) -> Iterable[Problem]:
    """A decision's `pattern` names a pattern in the library (owned by core.patterns)."""
    if not any(d.pattern for d in design.decisions):
        return []
    from ..patterns.checks import decision_pattern_problems  # lazy: reads the pattern files

    return decision_pattern_problems(design)


@register_check
def flow_references(design: Design) -> Iterator[Problem]:
    """A flow starts at a service and each step is a declared dependency (issue 14)."""
    if not design.flows:
        return
    yield from _unique("flows", design.flows)
    services = {s.id for s in design.services}
    components = design.component_ids()
    declared = {(d.from_, d.to) for d in design.dependencies}
    for i, flow in enumerate(design.flows):
        if flow.id in components:
            yield Problem(
                f"flow {flow.id!r}: the id is already a component id; flows and components "
                "share one id space because findings and accepted risks name either",
                ("flows", i, "id"),
            )
        if flow.entry not in services:
            yield Problem(
                f"flow {flow.id!r}: entry {flow.entry!r} is not a service"
                + did_you_mean(flow.entry, services),
                ("flows", i, "entry"),
            )
        for j, step in enumerate(flow.steps):
            at: tuple[str | int, ...] = ("flows", i, "steps", j)
            if step.parallel is not None:
                if step.from_ is not None or step.to is not None:
                    yield Problem(
                        f"flow {flow.id!r}: a step is either a call (from, to) or a "
                        "parallel group, not both",
                        (*at, "parallel"),
                    )
                if not step.parallel:
                    yield Problem(f"flow {flow.id!r}: an empty parallel group", (*at, "parallel"))
                calls = [((*at, "parallel", k), c.from_, c.to) for k, c in enumerate(step.parallel)]
            elif step.from_ is None or step.to is None:
                missing = "from" if step.from_ is None else "to"
                yield Problem(
                    f"flow {flow.id!r}: a step needs both 'from' and 'to' (or 'parallel')",
                    (*at, missing) if step.from_ is None and step.to is not None else at,
                )
                continue
            else:
                calls = [(at, step.from_, step.to)]
            for where_, source, target in calls:
                if (source, target) in declared:
                    continue
                if source not in services:
                    yield Problem(
                        f"flow {flow.id!r}: step from {source!r}: no service has that id"
                        + did_you_mean(source, services),
                        (*where_, "from"),
                    )
                elif target not in components:
                    yield Problem(
                        f"flow {flow.id!r}: step to {target!r}: no service, datastore or "
                        "external has that id" + did_you_mean(target, components),
                        (*where_, "to"),
                    )
                else:
                    yield Problem(
                        f"flow {flow.id!r}: step {source} -> {target} is not a declared "
                        "dependency; declare it under dependencies first",
                        (*where_, "to"),
                    )
