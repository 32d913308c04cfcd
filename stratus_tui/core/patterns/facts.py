"""The facts a pattern rule can test: every DISCOVER answer plus facts derived from the design.

Answers are named by their dotted path under `discovery` (`team.engineers`,
`requirements.mtls`); derived facts live under `design.*` (counts over what is drawn)
and `derived.*` (combinations of answers and design). Every fact has a type and a
description; `stratus recommend FILE --facts` prints them with their values. Derived facts
are plain Python over the model and its one topology (`core/topology.py`, no networkx), so
the engine stays cheap to import and agrees with the analysis on calls, chains and cycles.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from ..discovery import QUESTIONS
from ..model import Design
from ..topology import Call, topology_of

FactType = Literal["int", "number", "bool", "text", "list"]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One fact: its dotted name, type, allowed values (for text) and description."""

    name: str
    type: FactType
    description: str
    choices: tuple[str, ...] = ()
    derived: bool = False
    inputs: tuple[str, ...] = ()
    """For a derived fact that can be unknown: the answers it is computed from."""


FactValue = int | float | bool | str | tuple[str, ...] | None


_FACT_TYPE_OF_KIND: dict[str, FactType] = {
    "choice": "text",
    "text": "text",
    "bool": "bool",
    "int": "int",
    "float": "number",
    "list": "list",
    "items": "list",
}


def _answer_specs() -> dict[str, FactSpec]:
    """A fact per DISCOVER question (`core.discovery`), named as in the design file."""
    # a new kind of question needs a fact type: KeyError here, at import, in every test run
    return {
        q.name: FactSpec(q.name, _FACT_TYPE_OF_KIND[q.kind], q.help, q.choices) for q in QUESTIONS
    }


# --------------------------------------------------------------------------- derived facts

_CACHE_KINDS = frozenset({"redis", "memcached", "valkey", "elasticache", "dragonfly", "cache"})
_BROKER_KINDS = frozenset(
    {
        "kafka",
        "rabbitmq",
        "sqs",
        "sns",
        "pubsub",
        "eventbridge",
        "nats",
        "kinesis",
        "servicebus",
        "event-hubs",
        "eventhubs",
        "activemq",
        "pulsar",
        "redpanda",
        "queue",
    }
)
_RELATIONAL_KINDS = frozenset(
    {
        "postgresql",
        "postgres",
        "mysql",
        "mariadb",
        "sqlserver",
        "mssql",
        "oracle",
        "aurora",
        "cloudsql",
        "sql",
        "cockroachdb",
        "spanner",
        "sqlite",
    }
)


def _kind(kind: str | None) -> str:
    return (kind or "").strip().lower()


def _context_of(design: Design) -> dict[str, str]:
    # A service without a declared context is its own context.
    return {s.id: s.context or f"service:{s.id}" for s in design.services}


def _shared_stores(design: Design) -> int:
    ctx = _context_of(design)
    topo = topology_of(design)
    # Brokers are meant to be shared between contexts; databases are not.
    stores = {n.id for n in topo.of_kind("datastore") if _kind(n.detail) not in _BROKER_KINDS}
    users: dict[str, set[str]] = {}
    for link in topo.store_links:
        if link.store in stores and link.service in ctx:
            users.setdefault(link.store, set()).add(ctx[link.service])
    for call in topo.calls:
        if call.target in stores and call.source in ctx:
            users.setdefault(call.target, set()).add(ctx[call.source])
    return sum(1 for contexts in users.values() if len(contexts) > 1)


def _remote_sync(design: Design) -> tuple[Call, ...]:
    """Synchronous calls to services or externals (not stores), from the topology."""
    return topology_of(design).process_calls


def _max_sync_fan_out(design: Design) -> int:
    counts: dict[str, int] = {}
    for call in _remote_sync(design):
        counts[call.source] = counts.get(call.source, 0) + 1
    return max(counts.values(), default=0)


def _cross_context_sync(design: Design) -> int:
    ctx = _context_of(design)
    return sum(
        1 for c in _remote_sync(design) if c.target in ctx and ctx.get(c.source) != ctx[c.target]
    )


# Facts computed from answers (and design counts) only, so sensitivity can re-derive them
# after changing one answer without rebuilding the design's topology.
Values = Mapping[str, FactValue]


def _estate_services(values: Values) -> int | None:
    drawn = values.get("design.services")
    today = values.get("current.services")
    drawn = drawn if isinstance(drawn, int) else 0
    if not isinstance(today, int):
        return drawn or None
    return max(drawn, today)


def _num(value: FactValue) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None  # type: ignore[arg-type]


def _peak_rps_18m(values: Values) -> float | None:
    peak, growth = _num(values.get("workload.peak_rps")), _num(values.get("workload.growth_18m"))
    if peak is None or growth is None:
        return None
    return peak * growth


def _budget_headroom(values: Values) -> float | None:
    budget = _num(values.get("budget.monthly_usd"))
    cost = _num(values.get("current.monthly_cost_usd"))
    if budget is None or not cost:
        return None
    return round(budget / cost, 3)


SINGLE_REGION_PARTS: tuple[tuple[str, float], ...] = (
    ("a regional load balancer", 99.99),
    ("a service tier of 2+ copies across zones", 99.99),
    ("a multi-AZ relational database", 99.95),
)
"""What one region across availability zones is assumed to deliver, part by part: the
public SLAs of AWS ELB and EC2 (region level, 2+ zones) and RDS Multi-AZ; the last is the
analysis' default for a replicated multi-AZ store. Externals are left out: a second region
does not make a third party more available."""

SINGLE_REGION_AVAILABILITY = round(
    100.0 * math.prod(pct / 100.0 for _part, pct in SINGLE_REGION_PARTS), 2
)
"""About 99.93 %: the request path of one region across zones (load balancer x service x
database), the bar a target must clear before a second region is worth its cost."""

SINGLE_REGION_ASSUMPTION = (
    f"one region across availability zones reaches about {SINGLE_REGION_AVAILABILITY:g} %"
    " ("
    + " x ".join(f"{pct:g} % for {part}" for part, pct in SINGLE_REGION_PARTS)
    + "; a longer synchronous chain lowers it)"
)


def _single_region_meets_target(values: Values) -> bool | None:
    target = _num(values.get("requirements.availability"))
    return None if target is None else target <= SINGLE_REGION_AVAILABILITY


def _request_path(design: Design) -> tuple[set[str], set[str]]:
    """(services on the request path, services off it).

    Off the request path: nothing calls the service synchronously, it declares no `api`
    for clients, and it has an asynchronous dependency (a consumer or worker). Every other
    service is taken to be on the request path (an entry, or called by one).
    """
    topo = topology_of(design)
    called = {c.target for c in topo.calls if c.sync and c.source in topo.nodes}
    asynchronous = {c.source for c in topo.calls if not c.sync}
    off = {
        s.id
        for s in design.services
        if s.id not in called and not (s.api or "").strip() and s.id in asynchronous
    }
    return {s.id for s in design.services} - off, off


def _serverless(design: Design, on_path: bool) -> tuple[str, ...]:
    on, off = _request_path(design)
    wanted = on if on_path else off
    return tuple(
        s.id for s in design.services if _kind(s.runtime) == "serverless" and s.id in wanted
    )


def _sync_calls_to_externals(design: Design) -> int:
    externals = {e.id for e in design.externals}  # once: not per call (quadratic)
    return sum(1 for c in _remote_sync(design) if c.target in externals)


Derive = Callable[[Design], FactValue]

_DERIVED: tuple[tuple[str, FactType, str, Derive], ...] = (
    ("design.services", "int", "Services drawn in the design.", lambda d: len(d.services)),
    (
        "design.contexts",
        "int",
        "Distinct bounded contexts declared on the design's services.",
        lambda d: len({s.context for s in d.services if s.context}),
    ),
    ("design.datastores", "int", "Datastores drawn in the design.", lambda d: len(d.datastores)),
    (
        "design.externals",
        "int",
        "Third-party systems drawn in the design.",
        lambda d: len(d.externals),
    ),
    (
        "design.sync_dependencies",
        "int",
        "Synchronous dependencies (to any component).",
        lambda d: sum(1 for x in d.dependencies if x.mode == "sync"),
    ),
    (
        "design.async_dependencies",
        "int",
        "Asynchronous (messaging) dependencies.",
        lambda d: sum(1 for x in d.dependencies if x.mode == "async"),
    ),
    (
        "design.remote_sync_calls",
        "int",
        "Synchronous calls from a service to another service or an external (stores excluded).",
        lambda d: len(_remote_sync(d)),
    ),
    (
        "design.sync_calls_to_externals",
        "int",
        "Synchronous calls to third-party systems.",
        _sync_calls_to_externals,
    ),
    (
        "design.sync_calls_without_breaker",
        "int",
        "Synchronous calls to services or externals not guarded by a circuit breaker.",
        lambda d: sum(1 for c in _remote_sync(d) if c.circuit_breaker is not True),
    ),
    (
        "design.cross_context_sync_calls",
        "int",
        "Synchronous calls between services of different bounded contexts.",
        _cross_context_sync,
    ),
    (
        "design.max_sync_fan_out",
        "int",
        "Most synchronous calls made by one service to services or externals.",
        _max_sync_fan_out,
    ),
    (
        "design.longest_sync_chain",
        "int",
        "Most synchronous calls in a row between services and externals (a service's own "
        "store and other store access not counted; each member of a cycle counted once).",
        lambda d: topology_of(d).longest_sync_chain,
    ),
    (
        "design.sync_cycle",
        "bool",
        "Some services call each other synchronously in a cycle.",
        lambda d: topology_of(d).has_sync_cycle,
    ),
    (
        "design.shared_stores",
        "int",
        "Datastores (brokers and queues excepted) used by services of more than one bounded "
        "context.",
        _shared_stores,
    ),
    (
        "design.serverless_services",
        "int",
        "Services whose runtime is serverless.",
        lambda d: sum(1 for s in d.services if _kind(s.runtime) == "serverless"),
    ),
    (
        "design.caches",
        "int",
        "Datastores that are caches (redis, memcached ...).",
        lambda d: sum(1 for s in d.datastores if _kind(s.kind) in _CACHE_KINDS),
    ),
    (
        "design.brokers",
        "int",
        "Datastores that are brokers or queues (kafka, sqs ...).",
        lambda d: sum(1 for s in d.datastores if _kind(s.kind) in _BROKER_KINDS),
    ),
    (
        "design.relational_stores",
        "int",
        "Relational datastores (postgresql, mysql ...).",
        lambda d: sum(1 for s in d.datastores if _kind(s.kind) in _RELATIONAL_KINDS),
    ),
    (
        "design.serverless_on_request_path",
        "list",
        "Serverless services on the request path (an entry, or called synchronously).",
        lambda d: _serverless(d, on_path=True),
    ),
    (
        "design.serverless_off_request_path",
        "list",
        "Serverless services off the request path: consumers or workers that nothing calls "
        "synchronously and that declare no API.",
        lambda d: _serverless(d, on_path=False),
    ),
    (
        "derived.single_region_availability",
        "number",
        "Percent availability of one region: " + SINGLE_REGION_ASSUMPTION + ".",
        lambda d: SINGLE_REGION_AVAILABILITY,
    ),
)

_FROM_ANSWERS: tuple[tuple[str, FactType, str, Callable[[Values], FactValue]], ...] = (
    (
        "derived.estate_services",
        "int",
        "Services in the estate: the larger of current.services and the services drawn; "
        "unknown when neither is known.",
        _estate_services,
    ),
    (
        "derived.peak_rps_18m",
        "number",
        "Peak requests per second in 18 months: workload.peak_rps x workload.growth_18m.",
        _peak_rps_18m,
    ),
    (
        "derived.budget_headroom",
        "number",
        "budget.monthly_usd divided by current.monthly_cost_usd (2 = budget is twice today's "
        "spend).",
        _budget_headroom,
    ),
    (
        "derived.single_region_meets_target",
        "bool",
        "requirements.availability is at most what one region reaches; "
        + SINGLE_REGION_ASSUMPTION
        + ".",
        _single_region_meets_target,
    ),
)
"""Derived facts that depend on answers: `rederive` recomputes them from the values."""

_INPUTS: dict[str, tuple[str, ...]] = {
    "derived.estate_services": ("current.services",),
    "derived.peak_rps_18m": ("workload.peak_rps", "workload.growth_18m"),
    "derived.budget_headroom": ("budget.monthly_usd", "current.monthly_cost_usd"),
    "derived.single_region_meets_target": ("requirements.availability",),
}

FACTS: dict[str, FactSpec] = _answer_specs() | {
    name: FactSpec(name, ftype, desc, derived=True, inputs=_INPUTS.get(name, ()))
    for name, ftype, desc, _fn in (*_DERIVED, *_FROM_ANSWERS)
}
"""Every fact a rule may name, by dotted name: answers first, then derived facts."""


def answers_needed(fact: str, values: Mapping[str, FactValue] | None = None) -> tuple[str, ...]:
    """The DISCOVER answers that would make `fact` known (itself, for an answer)."""
    spec = FACTS.get(fact)
    if spec is None or not spec.inputs:
        return (fact,)
    unanswered = [a for a in spec.inputs if values is None or values.get(a) is None]
    # All inputs answered yet unknown (today's cost is 0): the fact itself is what is missing.
    return tuple(unanswered) or (fact,)


def facts_of(design: Design) -> dict[str, FactValue]:
    """The value of every fact for `design`; None means unanswered (unknown)."""
    values: dict[str, FactValue] = {}
    disc = design.discovery
    for key, spec in FACTS.items():
        if spec.derived:
            continue
        section, name = key.split(".", 1)
        values[key] = getattr(getattr(disc, section), name)
    for name, _ftype, _desc, fn in _DERIVED:
        values[name] = fn(design)
    return rederive(values)


def rederive(values: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """`values` with the answer-dependent derived facts computed again (after an answer
    was changed, as the sensitivity analysis does)."""
    out = dict(values)
    for name, _ftype, _desc, fn in _FROM_ANSWERS:
        out[name] = fn(out)
    return out
