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

Cost only from data. A component that declares no `monthly_cost_usd` is priced from the
default table (`prices.py`, kind x replicas, user-overridable) and every such line is
`assumed`. Coverage is the share declared, by component count and by dollars of the
baseline; below `COVERAGE_FLOOR` (80 %) on either, no budget verdict is given ("within"
would rest on guesses) and no saving against today's spend is claimed, at baseline, at
10x or at the 18-month growth. A verdict the declared figures alone settle still holds:
if the declared lines alone exceed the budget, the design is over it whatever the rest
costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ..model import Datastore, Design, External, Service
from .prices import PriceTable, assumed_price, price_table

ScalingRule = Literal["fixed", "linear", "step"]
LOAD_10X = 10.0
COVERAGE_FLOOR = 0.8
"""Below this share declared (by count or by dollars), no budget verdict, no saving."""
Verdict = Literal["over", "within"]

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
    source: Literal["declared", "assumed"] = "declared"
    """declared (monthly_cost_usd) or assumed (the default price table)."""
    basis: str = "declared"
    """How an assumed price was reached, e.g. 'postgresql, $400 per copy x 2 copies'."""
    at_growth: float | None = None

    @property
    def assumed(self) -> bool:
        return self.source == "assumed"


@dataclass(frozen=True, slots=True)
class CostSummary:
    """The design's monthly cost at baseline and 10x, the budget and the top drivers.

    Totals include assumed lines; `declared_*` are the declared lines alone.
    """

    baseline: float
    at_10x: float
    budget: float | None
    lines: tuple[CostLine, ...]
    """Every component, declared or assumed, most expensive at 10x first."""
    unpriced: tuple[str, ...]
    """Components that declare no monthly cost (their lines are assumed), sorted."""
    growth_18m: float | None
    at_growth: float | None
    """Cost at the 18-month growth multiplier, when the design gives one."""
    today: float | None = None
    """Today's spend (discovery.current.monthly_cost_usd)."""
    prices: str = "built-in"
    """Where assumed prices came from."""
    price_problem: str | None = None
    """A user price table that could not be used (FILE:LINE:COL: message)."""

    # -- coverage ------------------------------------------------------------------

    @property
    def declared_lines(self) -> tuple[CostLine, ...]:
        return tuple(line for line in self.lines if not line.assumed)

    @property
    def assumed_lines(self) -> tuple[CostLine, ...]:
        return tuple(line for line in self.lines if line.assumed)

    @property
    def declared_baseline(self) -> float:
        return sum(line.baseline for line in self.declared_lines)

    @property
    def assumed_baseline(self) -> float:
        return sum(line.baseline for line in self.assumed_lines)

    @property
    def declared_at_10x(self) -> float:
        return sum(line.at_10x for line in self.declared_lines)

    @property
    def declared_at_growth(self) -> float | None:
        if self.at_growth is None:
            return None
        return sum(line.at_growth or 0.0 for line in self.declared_lines)

    @property
    def count_coverage(self) -> float:
        """Share of components that declare a cost (1 when there are none)."""
        return len(self.declared_lines) / len(self.lines) if self.lines else 1.0

    @property
    def dollar_coverage(self) -> float:
        """Share of the baseline that is declared (1 when the baseline is 0)."""
        return self.declared_baseline / self.baseline if self.baseline > 0 else 1.0

    @property
    def sufficient(self) -> bool:
        """At least 80 % declared by count and by dollars, and something declared."""
        return (
            bool(self.declared_lines)
            and self.count_coverage + 1e-12 >= COVERAGE_FLOOR
            and self.dollar_coverage + 1e-12 >= COVERAGE_FLOOR
        )

    # -- verdicts ------------------------------------------------------------------

    def verdict(self, total: float, declared: float) -> Verdict | None:
        """over / within the budget, or None when the data cannot say (or no budget)."""
        if self.budget is None:
            return None
        if declared > self.budget:
            return "over"  # the declared lines alone settle it
        if not self.sufficient:
            return None
        return "over" if total > self.budget else "within"

    @property
    def baseline_verdict(self) -> Verdict | None:
        return self.verdict(self.baseline, self.declared_baseline)

    @property
    def at_10x_verdict(self) -> Verdict | None:
        return self.verdict(self.at_10x, self.declared_at_10x)

    @property
    def growth_verdict(self) -> Verdict | None:
        if self.at_growth is None or self.declared_at_growth is None:
            return None
        return self.verdict(self.at_growth, self.declared_at_growth)

    @property
    def over_budget(self) -> bool:
        """Baseline above the budget (see `verdict`)."""
        return self.baseline_verdict == "over"

    @property
    def over_budget_at_10x(self) -> bool:
        """10x above the budget (see `verdict`)."""
        return self.at_10x_verdict == "over"

    @property
    def saving(self) -> float | None:
        """Today's spend minus the baseline (negative: the design costs more), or None
        when coverage is too low to compare (or today's spend is unknown)."""
        if self.today is None or not self.sufficient:
            return None
        return self.today - self.baseline

    @property
    def drivers(self) -> tuple[CostLine, ...]:
        """The three largest lines at 10x."""
        return self.lines[:3]

    def budget_text(self) -> str:
        """One short verdict for a status line: 'within budget', 'over budget' or what
        is missing for one."""
        if self.budget is None:
            return "no budget declared"
        v = self.baseline_verdict
        if v is not None:
            return f"{v} budget"
        return (
            f"no budget verdict: {len(self.unpriced)} of {len(self.lines)} components "
            "declare no cost"
        )


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


def cost_summary(design: Design, prices: PriceTable | None = None) -> CostSummary:
    """Monthly totals at baseline, at 10x and at the 18-month growth, with drivers.

    A component without `monthly_cost_usd` is priced from `prices` (default: the
    built-in table with the user's entries on top) and its line is marked assumed.
    """
    table = prices if prices is not None else price_table()
    lines: list[CostLine] = []
    unpriced: list[str] = []
    groups: tuple[tuple[str, tuple[Service | Datastore | External, ...]], ...] = (
        ("service", design.services),
        ("datastore", design.datastores),
        ("external", design.externals),
    )
    growth = design.discovery.workload.growth_18m
    for kind, comps in groups:
        for c in comps:
            declared = getattr(c, "scaling", None)
            rule: ScalingRule = declared or default_scaling(c)
            source: Literal["declared", "assumed"] = "declared"
            if c.monthly_cost_usd is None:
                unpriced.append(c.id)
                guess = assumed_price(c, table)
                cost, source, basis = guess.monthly_usd, "assumed", guess.basis
            else:
                cost, basis = c.monthly_cost_usd, "declared"
            lines.append(
                CostLine(
                    c.id,
                    kind,
                    cost,
                    rule,
                    "declared" if declared else "default",
                    scale(cost, rule, LOAD_10X),
                    source,
                    basis,
                    scale(cost, rule, growth) if growth is not None else None,
                )
            )
    lines.sort(key=lambda line: (-line.at_10x, line.component))
    return CostSummary(
        baseline=sum(line.baseline for line in lines),
        at_10x=sum(line.at_10x for line in lines),
        budget=design.discovery.budget.monthly_usd,
        lines=tuple(lines),
        unpriced=tuple(sorted(unpriced)),
        growth_18m=growth,
        at_growth=sum(line.at_growth or 0.0 for line in lines) if growth is not None else None,
        today=design.discovery.current.monthly_cost_usd,
        prices=table.source,
        price_problem=table.problem,
    )
