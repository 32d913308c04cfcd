"""The facts a pattern rule can test: every DISCOVER answer plus facts derived from the design.

Answers are named by their dotted path under `discovery` (`team.engineers`,
`requirements.mtls`); derived facts live under `design.*` (counts over what is drawn)
and `derived.*` (combinations of answers and design). Every fact has a type and a
description; `stratus recommend FILE --facts` prints them with their values. Derived facts
are plain Python over the model and its one topology (`core/topology.py`, no networkx), so
the engine stays cheap to import and agrees with the analysis on calls, chains and cycles.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from ..model import Design, Discovery
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


def _fact_type(annotation: Any) -> tuple[FactType, tuple[str, ...]]:
    """Map a discovery field annotation onto a fact type (and Literal choices)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    inner = args[0] if args else annotation
    if typing.get_origin(inner) is typing.Annotated:
        inner = typing.get_args(inner)[0]
    if typing.get_origin(inner) is Literal:
        return "text", tuple(str(c) for c in typing.get_args(inner))
    if inner is bool:
        return "bool", ()
    if inner is int:
        return "int", ()
    if inner is float:
        return "number", ()
    if typing.get_origin(inner) is tuple:
        return "list", ()
    if inner is str or isinstance(inner, types.UnionType):
        return "text", ()
    raise TypeError(f"no fact type for {annotation!r}")  # a new model field needs mapping


def _answer_specs() -> dict[str, FactSpec]:
    specs: dict[str, FactSpec] = {}
    for section, info in Discovery.model_fields.items():
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        for name, field in model.model_fields.items():
            ftype, choices = _fact_type(field.annotation)
            key = f"{section}.{name}"
            specs[key] = FactSpec(key, ftype, field.description or "", choices)
    return specs


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


def _estate_services(design: Design) -> int | None:
    drawn = len(design.services)
    today = design.discovery.current.services
    if today is None:
        return drawn or None
    return max(drawn, today)


def _peak_rps_18m(design: Design) -> float | None:
    w = design.discovery.workload
    if w.peak_rps is None or w.growth_18m is None:
        return None
    return w.peak_rps * w.growth_18m


def _budget_headroom(design: Design) -> float | None:
    budget = design.discovery.budget.monthly_usd
    cost = design.discovery.current.monthly_cost_usd
    if budget is None or not cost:
        return None
    return round(budget / cost, 3)


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
        lambda d: sum(1 for c in _remote_sync(d) if c.target in {e.id for e in d.externals}),
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
)

_INPUTS: dict[str, tuple[str, ...]] = {
    "derived.estate_services": ("current.services",),
    "derived.peak_rps_18m": ("workload.peak_rps", "workload.growth_18m"),
    "derived.budget_headroom": ("budget.monthly_usd", "current.monthly_cost_usd"),
}

FACTS: dict[str, FactSpec] = _answer_specs() | {
    name: FactSpec(name, ftype, desc, derived=True, inputs=_INPUTS.get(name, ()))
    for name, ftype, desc, _fn in _DERIVED
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
    return values
