"""The consequence diff: what a change does to verdicts, findings, flows and cost.

Both designs are analysed in full (`lint`, `analyse`, `recommend`) and the results are
compared item by item, with the old design's ids mapped through the structural diff's
renames so a renamed service keeps its findings and numbers instead of closing and
reopening them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..analysis import Analysis
from ..analysis.analyse import analysis_from
from ..analysis.context import LintContext
from ..analysis.cost import CostSummary
from ..flows import RequestFlow
from ..lint import Finding, lint
from ..model import Design
from ..patterns import Verdict, facts_of, recommend

EPSILON = 1e-9
"""Numbers closer than this are the same number (float noise, not a change)."""


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class AnswerMove:
    """A fact a verdict reads whose value changed."""

    fact: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"fact": self.fact, "old": _jsonable(self.old), "new": _jsonable(self.new)}


@dataclass(frozen=True, slots=True)
class VerdictChange:
    """One pattern whose verdict (or its now/later timing) changed."""

    pattern: str
    name: str
    old: str | None
    """`recommend (now)`, `consider`, ...; None when the pattern is new."""
    new: str | None
    """None when the pattern is gone."""
    moved_by: tuple[AnswerMove, ...]
    """The answers the verdict reads that changed (empty: the portfolio moved it)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "name": self.name,
            "old": self.old,
            "new": self.new,
            "moved_by": [m.to_json() for m in self.moved_by],
        }


FindingChangeKind = Literal["opened", "closed", "changed"]


@dataclass(frozen=True, slots=True)
class FindingChange:
    """A lint finding opened or closed by the change (or reworded: same rule, component)."""

    change: FindingChangeKind
    rule: str
    severity: str
    component: str | None
    message: str
    old_message: str | None = None
    """For `changed`: what it said before."""
    accepted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "rule": self.rule,
            "severity": self.severity,
            "component": self.component,
            "message": self.message,
            "old_message": self.old_message,
            "accepted": self.accepted,
        }


@dataclass(frozen=True, slots=True)
class FlowDelta:
    """A request flow's availability and p99 before and after (None = no such flow)."""

    flow: str
    name: str
    old_availability: float | None
    new_availability: float | None
    old_p99_ms: float | None
    new_p99_ms: float | None
    target: float | None
    """The availability target of the new flow (the old one for a removed flow)."""

    @property
    def availability_delta(self) -> float | None:
        if self.old_availability is None or self.new_availability is None:
            return None
        return self.new_availability - self.old_availability

    @property
    def p99_delta(self) -> float | None:
        if self.old_p99_ms is None or self.new_p99_ms is None:
            return None
        return self.new_p99_ms - self.old_p99_ms

    def to_json(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "name": self.name,
            "old_availability": self.old_availability,
            "new_availability": self.new_availability,
            "availability_delta": self.availability_delta,
            "old_p99_ms": self.old_p99_ms,
            "new_p99_ms": self.new_p99_ms,
            "p99_delta_ms": self.p99_delta,
            "target": self.target,
        }


@dataclass(frozen=True, slots=True)
class ServiceDelta:
    """A service's achievable availability before and after."""

    service: str
    old: float | None
    new: float | None
    slo: float | None

    @property
    def delta(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "old": self.old,
            "new": self.new,
            "delta": self.delta,
            "slo": self.slo,
        }


@dataclass(frozen=True, slots=True)
class CostCoverage:
    """How much of the cost totals the design declares (the rest is assumed or missing)."""

    priced: int
    """Components that declare a monthly cost."""
    components: int
    unpriced: tuple[str, ...]
    """Components that declare none (assumed from the price table, or left out)."""
    dollar_share: float | None = None
    """Share of the baseline that is declared (None: the cost analysis does not say)."""
    sufficient: bool | None = None
    """Enough is declared for a budget verdict (None: the cost analysis does not say)."""
    assumed_in_totals: bool = False
    """True when the totals include assumed prices for the unpriced components."""

    @property
    def caveat(self) -> str:
        """One sentence for the reader; empty when every component declares its cost."""
        if not self.unpriced:
            return ""
        shown = ", ".join(self.unpriced[:5]) + (" ..." if len(self.unpriced) > 5 else "")
        share = (
            f", {self.dollar_share * 100:.0f} % of the baseline"
            if self.dollar_share is not None
            else ""
        )
        head = f"{self.priced} of {self.components} components declare a monthly cost{share}; "
        if not self.assumed_in_totals:
            return head + f"the totals leave out {shown}"
        tail = f"the totals use assumed prices for {shown}"
        if self.sufficient is False:
            tail += " (too little is declared for a budget verdict: read the deltas as estimates)"
        return head + tail

    def to_json(self) -> dict[str, Any]:
        return {
            "priced": self.priced,
            "components": self.components,
            "unpriced": list(self.unpriced),
            "dollar_share": self.dollar_share,
            "sufficient": self.sufficient,
            "assumed_in_totals": self.assumed_in_totals,
            "caveat": self.caveat,
        }


def cost_coverage(design: Design, summary: CostSummary) -> CostCoverage:
    """HOOK (cost coverage, "declared vs assumed"): what the cost totals rest on.

    The only place the diff learns about coverage. It reads the cost analysis's own
    coverage when it publishes one (`dollar_coverage`, `sufficient`, assumed lines) and
    falls back to `CostSummary.unpriced` (components left out of the totals) otherwise.
    """
    total = len(design.component_ids())
    unpriced = tuple(summary.unpriced)
    dollar = getattr(summary, "dollar_coverage", None)
    sufficient = getattr(summary, "sufficient", None)
    assumed = any(getattr(line, "assumed", False) is True for line in summary.lines)
    return CostCoverage(
        total - len(unpriced),
        total,
        unpriced,
        float(dollar) if isinstance(dollar, int | float) else None,
        sufficient if isinstance(sufficient, bool) else None,
        assumed,
    )


@dataclass(frozen=True, slots=True)
class CostDelta:
    """Monthly cost at baseline, at the 18-month growth and at 10x, before and after."""

    old_baseline: float
    new_baseline: float
    old_growth: float | None
    new_growth: float | None
    old_10x: float
    new_10x: float
    old_coverage: CostCoverage
    new_coverage: CostCoverage

    @property
    def changed(self) -> bool:
        pairs = (
            (self.old_baseline, self.new_baseline),
            (self.old_growth, self.new_growth),
            (self.old_10x, self.new_10x),
        )
        return any(not _same(a, b) for a, b in pairs) or self.old_coverage != self.new_coverage

    def to_json(self) -> dict[str, Any]:
        return {
            "baseline": {"old": self.old_baseline, "new": self.new_baseline},
            "growth_18m": {"old": self.old_growth, "new": self.new_growth},
            "at_10x": {"old": self.old_10x, "new": self.new_10x},
            "coverage": {"old": self.old_coverage.to_json(), "new": self.new_coverage.to_json()},
        }


@dataclass(frozen=True, slots=True)
class ConsequenceDiff:
    """What the change does."""

    verdicts: tuple[VerdictChange, ...]
    findings: tuple[FindingChange, ...]
    flows: tuple[FlowDelta, ...]
    services: tuple[ServiceDelta, ...]
    cost: CostDelta

    @property
    def empty(self) -> bool:
        return not (
            self.verdicts or self.findings or self.flows or self.services or self.cost.changed
        )

    def opened(self, *severities: str) -> tuple[FindingChange, ...]:
        """Unaccepted findings the change opens, of the given severities (all if none)."""
        return tuple(
            f
            for f in self.findings
            if f.change == "opened"
            and not f.accepted
            and (not severities or f.severity in severities)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "verdicts": [v.to_json() for v in self.verdicts],
            "findings": [f.to_json() for f in self.findings],
            "flows": [f.to_json() for f in self.flows],
            "services": [s.to_json() for s in self.services],
            "cost": self.cost.to_json(),
        }


# ----------------------------------------------------------------------------- helpers


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= EPSILON


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class Computed:
    """Everything the consequence diff reads of one design."""

    design: Design
    findings: tuple[Finding, ...]
    analysis: Analysis
    verdicts: tuple[Verdict, ...]
    facts: Mapping[str, Any]


def compute(design: Design, patterns: Sequence[str | Path] = ()) -> Computed:
    """Lint, analyse and recommend one design, sharing one set of analyses."""
    ctx = LintContext(design)
    findings = tuple(lint(design, ctx))
    analysis = analysis_from(ctx)
    return Computed(
        design, findings, analysis, tuple(recommend(design, patterns)), facts_of(design)
    )


# ----------------------------------------------------------------------------- verdicts


def _verdict_word(v: Verdict) -> str:
    return f"{v.verdict} ({v.timing})" if v.verdict == "recommend" and v.timing else v.verdict


def _answers(v: Verdict | None) -> list[str]:
    if v is None:
        return []
    names = [a for r in v.reasons for a in r.answers] + [a for m in v.missing for a in m.answers]
    return list(dict.fromkeys(names))


def verdict_changes(old: Computed, new: Computed) -> tuple[VerdictChange, ...]:
    before = {v.pattern: v for v in old.verdicts}
    after = {v.pattern: v for v in new.verdicts}
    out: list[VerdictChange] = []
    order = [v.pattern for v in new.verdicts] + [p for p in before if p not in after]
    for pattern in order:
        a, b = before.get(pattern), after.get(pattern)
        wa = _verdict_word(a) if a is not None else None
        wb = _verdict_word(b) if b is not None else None
        if wa == wb:
            continue
        moved = tuple(
            AnswerMove(fact, old.facts.get(fact), new.facts.get(fact))
            for fact in dict.fromkeys(_answers(a) + _answers(b))
            if old.facts.get(fact) != new.facts.get(fact)
        )
        name = (b or a).name if (b or a) is not None else pattern  # type: ignore[union-attr]
        out.append(VerdictChange(pattern, name, wa, wb, moved))
    return tuple(out)


# ----------------------------------------------------------------------------- findings


def _renamer(renames: Mapping[str, str]) -> Callable[[str], str]:
    """Old text with each renamed id (a whole id, not part of a longer one) written new."""
    if not renames:
        return lambda text: text
    pattern = re.compile(
        r"(?<![\w.-])("
        + "|".join(re.escape(k) for k in sorted(renames, key=len, reverse=True))
        + r")(?![\w-]|\.\w)"
    )
    return lambda text: pattern.sub(lambda m: renames[m.group(1)], text)


def finding_changes(
    old: Sequence[Finding], new: Sequence[Finding], renames: Mapping[str, str]
) -> tuple[FindingChange, ...]:
    """Opened and closed findings by rule id and component (old ids mapped through renames).

    Within one (rule, component), findings with the same message pair first; what is left
    pairs as `changed` (same finding, new numbers), then opens or closes.
    """

    rename = _renamer(renames)

    def key(f: Finding, mapped: bool) -> tuple[str, str | None]:
        comp = f.component
        if mapped and comp is not None:
            comp = renames.get(comp, comp)
        return (f.rule, comp)

    before: dict[tuple[str, str | None], list[Finding]] = {}
    for f in old:
        before.setdefault(key(f, True), []).append(f)
    after: dict[tuple[str, str | None], list[Finding]] = {}
    for f in new:
        after.setdefault(key(f, False), []).append(f)

    out: list[FindingChange] = []
    for k in list(after) + [k for k in before if k not in after]:
        olds = list(before.get(k, []))
        news = list(after.get(k, []))
        for f in list(news):
            same = next(
                (o for o in olds if rename(o.message) == f.message and o.severity == f.severity),
                None,
            )
            if same is not None:
                olds.remove(same)
                news.remove(f)
        while olds and news and olds[0].severity == news[0].severity:
            o, f = olds.pop(0), news.pop(0)
            out.append(
                FindingChange("changed", f.rule, f.severity, k[1], f.message, o.message, f.accepted)
            )
        out += [
            FindingChange("opened", f.rule, f.severity, k[1], f.message, None, f.accepted)
            for f in news
        ]
        out += [
            FindingChange("closed", o.rule, o.severity, k[1], o.message, None, o.accepted)
            for o in olds
        ]
    rank = {"opened": 0, "closed": 1, "changed": 2}
    sev = {"error": 0, "warning": 1, "info": 2}
    out.sort(key=lambda c: (rank[c.change], sev.get(c.severity, 3), c.rule, c.component or ""))
    return tuple(out)


# ----------------------------------------------------------------------------- numbers


def flow_key(flow: RequestFlow, renames: Mapping[str, str]) -> tuple[str, ...]:
    """What makes two flows the same journey across the change.

    A declared flow is its id (through renames); a derived one is what it was derived
    from (its entry and route), since derived ids are made from component ids.
    """

    def m(x: str) -> str:
        return renames.get(x, x)

    if not flow.derived:
        return ("declared", m(flow.id))
    if flow.trigger == "event":
        return ("message", m(flow.entry))
    if flow.stages:
        return ("route", m(flow.entry), m(flow.stages[0][0].call.target))
    return ("request", m(flow.entry))


def flow_deltas(old: Analysis, new: Analysis, renames: Mapping[str, str]) -> tuple[FlowDelta, ...]:
    def table(a: Analysis, r: Mapping[str, str]) -> dict[tuple[str, ...], tuple[Any, ...]]:
        return {
            flow_key(f, r): (f, fa.percent, fl.total_ms, fa.target)
            for f, fa, fl in zip(a.flows, a.flow_availability, a.flow_latency, strict=True)
        }

    before, after = table(old, renames), table(new, {})
    out: list[FlowDelta] = []
    for k in list(after) + [k for k in before if k not in after]:
        b, a = before.get(k), after.get(k)
        ref = a or b
        assert ref is not None
        flow: RequestFlow = ref[0]
        delta = FlowDelta(
            flow.id,
            flow.name,
            b[1] if b else None,
            a[1] if a else None,
            b[2] if b else None,
            a[2] if a else None,
            ref[3],
        )
        if (
            b is None
            or a is None
            or not (
                _same(delta.old_availability, delta.new_availability)
                and _same(delta.old_p99_ms, delta.new_p99_ms)
            )
        ):
            out.append(delta)
    return tuple(out)


def service_deltas(
    old: Analysis, new: Analysis, renames: Mapping[str, str]
) -> tuple[ServiceDelta, ...]:
    before = {renames.get(b.service, b.service): b for b in old.availability}
    after = {b.service: b for b in new.availability}
    out: list[ServiceDelta] = []
    for sid in list(after) + [s for s in before if s not in after]:
        b, a = before.get(sid), after.get(sid)
        old_v = b.achievable if b else None
        new_v = a.achievable if a else None
        if not _same(old_v, new_v):
            slo = (a or b).slo if (a or b) is not None else None  # type: ignore[union-attr]
            out.append(ServiceDelta(sid, old_v, new_v, slo))
    return tuple(out)


def cost_delta(old: Computed, new: Computed) -> CostDelta:
    a, b = old.analysis.cost, new.analysis.cost
    return CostDelta(
        a.baseline,
        b.baseline,
        a.at_growth,
        b.at_growth,
        a.at_10x,
        b.at_10x,
        cost_coverage(old.design, a),
        cost_coverage(new.design, b),
    )


def consequence_diff(old: Computed, new: Computed, renames: Mapping[str, str]) -> ConsequenceDiff:
    """Compare what the two designs' analyses say."""
    return ConsequenceDiff(
        verdicts=verdict_changes(old, new),
        findings=finding_changes(old.findings, new.findings, renames),
        flows=flow_deltas(old.analysis, new.analysis, renames),
        services=service_deltas(old.analysis, new.analysis, renames),
        cost=cost_delta(old, new),
    )
