"""Monthly cost at baseline and at 10x load, against the budget.

Each component has a scaling rule, declared (`scaling:`) or defaulted by kind:
- `fixed`: the same at any load (flat fees, capacity sized for peak up front);
- `linear`: proportional to load (pay per request, per GB, per transaction);
- `step`: bought in tiers that double capacity; the baseline has 2x headroom, so at load
  multiplier L the cost is `cost * 2**ceil(log2(L / 2))` (x8 at 10x, x1 up to 2x).
Defaults: services by runtime (serverless and managed linear, kubernetes and vm step — a
VM is resized by hand, but carrying 10x still means bigger or more machines, so its
bill cannot stay flat in an estimate of that load), datastores by
kind (provisioned engines step, pay-per-use stores and queues linear), externals linear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ..model import Datastore, Design, External, Service

ScalingRule = Literal["fixed", "linear", "step"]
LOAD_10X = 10.0

RUNTIME_SCALING: dict[str, ScalingRule] = {
    "serverless": "linear",
    "managed": "linear",
    "kubernetes": "step",
    "vm": "step",
}
LINEAR_STORE_KINDS = frozenset(
    {
        "dynamodb",
        "s3",
        "gcs",
        "blob",
        "sqs",
        "sns",
        "pubsub",
        "eventbridge",
        "firestore",
        "cosmosdb",
        "bigquery",
        "kinesis",
        "servicebus",
    }
)
DEFAULT_SERVICE_SCALING: ScalingRule = "linear"
DEFAULT_STORE_SCALING: ScalingRule = "step"
DEFAULT_EXTERNAL_SCALING: ScalingRule = "linear"


@dataclass(frozen=True, slots=True)
class CostLine:
    """One component's monthly cost now and at 10x."""

    component: str
    kind: str
    baseline: float
    rule: ScalingRule
    rule_source: Literal["declared", "default"]
    at_10x: float


@dataclass(frozen=True, slots=True)
class CostSummary:
    """The design's monthly cost at baseline and 10x, the budget and the top drivers."""

    baseline: float
    at_10x: float
    budget: float | None
    lines: tuple[CostLine, ...]
    """Components that declare a cost, most expensive at 10x first."""
    unpriced: tuple[str, ...]
    """Components that declare no monthly cost."""
    growth_18m: float | None
    at_growth: float | None
    """Cost at the 18-month growth multiplier, when the design gives one."""

    @property
    def drivers(self) -> tuple[CostLine, ...]:
        """The three largest lines at 10x."""
        return self.lines[:3]

    @property
    def over_budget(self) -> bool:
        """Baseline above the budget."""
        return self.budget is not None and self.baseline > self.budget

    @property
    def over_budget_at_10x(self) -> bool:
        """10x above the budget."""
        return self.budget is not None and self.at_10x > self.budget


def scale(cost: float, rule: ScalingRule, load: float) -> float:
    """Monthly cost of a component at `load` times the baseline under `rule`."""
    if rule == "fixed" or load <= 0:
        return cost
    if rule == "linear":
        return cost * load
    if load <= 2.0:  # the baseline's headroom covers it (and log2 of ~0 is undefined)
        return cost
    tiers = math.ceil(math.log2(load / 2.0) - 1e-12)
    return cost * float(2**tiers)


def default_scaling(component: Service | Datastore | External) -> ScalingRule:
    """The scaling rule of a component that declares none."""
    if isinstance(component, Service):
        return RUNTIME_SCALING.get((component.runtime or "").lower(), DEFAULT_SERVICE_SCALING)
    if isinstance(component, Datastore):
        kind = (component.kind or "").lower()
        return "linear" if kind in LINEAR_STORE_KINDS else DEFAULT_STORE_SCALING
    return DEFAULT_EXTERNAL_SCALING


def cost_summary(design: Design) -> CostSummary:
    """Monthly totals at baseline, at 10x and at the 18-month growth, with drivers."""
    lines: list[CostLine] = []
    unpriced: list[str] = []
    groups: tuple[tuple[str, tuple[Service | Datastore | External, ...]], ...] = (
        ("service", design.services),
        ("datastore", design.datastores),
        ("external", design.externals),
    )
    growth = design.discovery.workload.growth_18m
    at_growth = 0.0
    for kind, comps in groups:
        for c in comps:
            if c.monthly_cost_usd is None:
                unpriced.append(c.id)
                continue
            declared = getattr(c, "scaling", None)
            rule: ScalingRule = declared or default_scaling(c)
            lines.append(
                CostLine(
                    c.id,
                    kind,
                    c.monthly_cost_usd,
                    rule,
                    "declared" if declared else "default",
                    scale(c.monthly_cost_usd, rule, LOAD_10X),
                )
            )
            if growth is not None:
                at_growth += scale(c.monthly_cost_usd, rule, growth)
    lines.sort(key=lambda line: (-line.at_10x, line.component))
    return CostSummary(
        baseline=sum(line.baseline for line in lines),
        at_10x=sum(line.at_10x for line in lines),
        budget=design.discovery.budget.monthly_usd,
        lines=tuple(lines),
        unpriced=tuple(sorted(unpriced)),
        growth_18m=growth,
        at_growth=at_growth if growth is not None else None,
    )
