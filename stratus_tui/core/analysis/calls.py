"""Calls across a boundary without protection, and retries without a timeout.

Every synchronous call to another process (a service or an external: the topology's
process calls) needs a timeout. A call that crosses a boundary (to an external, or to a
service of another declared bounded context) also needs a circuit breaker, or one slow
neighbour takes the caller down (Blast Radius Minimization).
A retried call without a timeout is a retry storm waiting to happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Dependency, Design
from ..topology import topology_of


@dataclass(frozen=True, slots=True)
class CallGap:
    """One dependency missing a protection."""

    caller: str
    target: str
    gap: Literal["timeout", "circuit-breaker", "retry-without-timeout"]
    boundary: str
    """Why the call matters: "external", "context a → b" or "sync call"."""


def _boundary(
    design: Design, dep: Dependency, contexts: dict[str, str | None], kinds: dict[str, str]
) -> str | None:
    if kinds.get(dep.to) == "external":
        return "external"
    if kinds.get(dep.to) == "service":
        a, b = contexts.get(dep.from_), contexts.get(dep.to)
        if a and b and a != b:
            return f"context {a} → {b}"
    return None


def call_gaps(design: Design) -> list[CallGap]:
    """Every unprotected boundary call and every retried call without a timeout."""
    contexts = {s.id: s.context for s in design.services}
    kinds: dict[str, str] = {s.id: "service" for s in design.services}
    kinds.update({d.id: "datastore" for d in design.datastores})
    kinds.update({e.id: "external" for e in design.externals})
    process = {c.index for c in topology_of(design).process_calls if c.source != c.target}
    out: list[CallGap] = []
    for i, dep in enumerate(design.dependencies):
        if dep.mode != "sync":
            continue
        boundary = _boundary(design, dep, contexts, kinds)
        # every call to another process needs a timeout, inside a context or not (a
        # slow neighbour holds the caller's threads either way); a store is store access
        if dep.timeout_ms is None and i in process:
            out.append(CallGap(dep.from_, dep.to, "timeout", boundary or "sync call"))
        if boundary is not None and dep.circuit_breaker is not True:
            out.append(CallGap(dep.from_, dep.to, "circuit-breaker", boundary))
        if dep.retries and dep.timeout_ms is None:
            out.append(CallGap(dep.from_, dep.to, "retry-without-timeout", boundary or "sync call"))
    return sorted(out, key=lambda g: (g.caller, g.target, g.gap))
