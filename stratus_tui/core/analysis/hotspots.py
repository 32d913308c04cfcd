"""Fan-in and fan-out hot spots on the synchronous graph.

Fan-in: how many services call a component synchronously (its failure or slowness hits
all of them at once). Fan-out: how many components a service calls synchronously (its
latency and availability are the product of all of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

FAN_IN_THRESHOLD = 5
FAN_OUT_THRESHOLD = 5


@dataclass(frozen=True, slots=True)
class Hotspot:
    """A component with many synchronous callers, or a service with many callees."""

    component: str
    direction: Literal["fan-in", "fan-out"]
    count: int
    neighbours: tuple[str, ...]


def hotspots(
    sync: Any, fan_in: int = FAN_IN_THRESHOLD, fan_out: int = FAN_OUT_THRESHOLD
) -> list[Hotspot]:
    """Components at or above the fan-in / fan-out thresholds, busiest first."""
    out: list[Hotspot] = []
    for node in sync.nodes:
        callers = sorted(sync.predecessors(node))
        if len(callers) >= fan_in:
            out.append(Hotspot(node, "fan-in", len(callers), tuple(callers)))
        callees = sorted(sync.successors(node))
        if len(callees) >= fan_out:
            out.append(Hotspot(node, "fan-out", len(callees), tuple(callees)))
    return sorted(out, key=lambda h: (-h.count, h.direction, h.component))
