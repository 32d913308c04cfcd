"""The SLOs the OBSERVE export covers, one list shared by OpenSLO, Prometheus and runbooks.

* every service SLO: availability (`slo.availability`, else `100 - slo.error_rate_pct`)
  and latency (`slo.latency_p99_ms`: 99 % of requests faster than it);
* every request flow SLO (`flows[].slo`), measured at the flow's entry service on the
  requests it labels with the flow's id.

Targets are kept as exact decimals (`99.9` -> budget `0.001`, not `0.0010000000000000009`)
so rule files print the numbers the design says. An SLO of 100 % has no error budget:
burn rates are undefined, so it is left out with a note.

The RED metric convention (names overridable under `observability.metrics`):

* `http_requests_total{service=...}` counts every request a service handles;
* `http_request_errors_total{service=...}` counts the failed ones;
* `http_request_duration_seconds` is a histogram of their durations with a bucket at each
  latency objective;
* an entry service adds `flow="<flow id>"` to the requests of a declared flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ...flows import flows_of
from ...model import Design
from .names import dns_label

DEFAULT_REQUESTS = "http_requests_total"
DEFAULT_ERRORS = "http_request_errors_total"
DEFAULT_DURATION = "http_request_duration_seconds"
DEFAULT_SERVICE_LABEL = "service"
DEFAULT_FLOW_LABEL = "flow"
DEFAULT_RUNBOOKS = "observe/runbooks"
LATENCY_TARGET = Decimal("0.99")
"""A p99 objective: 99 % of requests within the threshold."""
PERIOD = "30d"


@dataclass(frozen=True, slots=True)
class Convention:
    """The metric and label names queries use."""

    requests: str = DEFAULT_REQUESTS
    errors: str = DEFAULT_ERRORS
    duration: str = DEFAULT_DURATION
    service_label: str = DEFAULT_SERVICE_LABEL
    flow_label: str = DEFAULT_FLOW_LABEL
    runbook_url: str = DEFAULT_RUNBOOKS


def convention(design: Design) -> Convention:
    """The design's RED convention: its overrides over the defaults."""
    obs = design.observability
    if obs is None:
        return Convention()
    m = obs.metrics
    base = (obs.runbook_url or "").strip().rstrip("/")
    return Convention(
        requests=m.requests or DEFAULT_REQUESTS,
        errors=m.errors or DEFAULT_ERRORS,
        duration=m.duration or DEFAULT_DURATION,
        service_label=m.service_label or DEFAULT_SERVICE_LABEL,
        flow_label=m.flow_label or DEFAULT_FLOW_LABEL,
        runbook_url=base or DEFAULT_RUNBOOKS,
    )


Kind = Literal["availability", "latency"]
Scope = Literal["service", "flow"]


@dataclass(frozen=True, slots=True)
class SloSpec:
    """One SLO to export."""

    id: str
    """DNS label, unique among the design's SLOs: file names and object names."""
    kind: Kind
    scope: Scope
    subject: str
    """The service id (service SLO) or the flow id (flow SLO), as in the design."""
    subject_name: str
    """Its human name."""
    service: str
    """The service whose metrics measure it (the flow's entry for a flow SLO)."""
    target: Decimal
    """Fraction of good events, e.g. 0.999."""
    threshold_ms: Decimal | None = None
    """For latency: the duration a good request stays within."""

    @property
    def flow(self) -> str | None:
        return self.subject if self.scope == "flow" else None

    @property
    def budget(self) -> Decimal:
        return 1 - self.target

    @property
    def title(self) -> str:
        what = (
            f"availability {percent(self.target)} %"
            if self.kind == "availability"
            else f"{percent(self.target)} % of requests within {plain(self.threshold_ms)} ms"
        )
        scope = "flow" if self.scope == "flow" else "service"
        return f"{scope} {self.subject_name}: {what}"


def plain(value: Decimal | None) -> str:
    """A decimal without exponent or trailing zeros: 0.001, 14.4, 500."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def percent(fraction: Decimal) -> str:
    return plain(fraction * 100)


def _dec(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def slo_specs(design: Design) -> tuple[list[SloSpec], list[str]]:
    """Every SLO to export in design order (services, then flows), and notes."""
    raw: list[SloSpec] = []
    notes: list[str] = []

    def add(spec: SloSpec) -> None:
        if spec.target >= 1:
            notes.append(f"{spec.title}: a 100 % objective has no error budget; not exported")
        else:
            raw.append(spec)

    for s in design.services:
        slo = s.slo
        if slo is None:
            continue
        avail: Decimal | None = None
        if slo.availability is not None:
            avail = _dec(slo.availability) / 100
        elif slo.error_rate_pct is not None:
            avail = 1 - _dec(slo.error_rate_pct) / 100
        if avail is not None:
            add(SloSpec("", "availability", "service", s.id, s.label, s.id, avail))
        if slo.latency_p99_ms is not None:
            add(
                SloSpec(
                    "",
                    "latency",
                    "service",
                    s.id,
                    s.label,
                    s.id,
                    LATENCY_TARGET,
                    _dec(slo.latency_p99_ms),
                )
            )
    for f in flows_of(design):
        if f.derived:
            continue
        if f.slo_availability is not None:
            add(
                SloSpec(
                    "",
                    "availability",
                    "flow",
                    f.id,
                    f.name,
                    f.entry,
                    _dec(f.slo_availability) / 100,
                )
            )
        if f.slo_latency_p99_ms is not None:
            add(
                SloSpec(
                    "",
                    "latency",
                    "flow",
                    f.id,
                    f.name,
                    f.entry,
                    LATENCY_TARGET,
                    _dec(f.slo_latency_p99_ms),
                )
            )
    return _named(raw), notes


def _named(specs: list[SloSpec]) -> list[SloSpec]:
    """Give each SLO its DNS name; a clash (a flow and a service whose names reduce to
    the same label) is told apart by a hash of what the SLO is about."""
    out: list[SloSpec] = []
    taken: set[str] = set()
    for spec in specs:
        prefix = "flow-" if spec.scope == "flow" else ""
        name = dns_label(prefix + spec.subject, suffix=f"-{spec.kind}")
        if name in taken:
            name = dns_label(f"{spec.scope}:{spec.subject}:{spec.kind}", suffix=f"-{spec.kind}")
        taken.add(name)
        out.append(
            SloSpec(
                name,
                spec.kind,
                spec.scope,
                spec.subject,
                spec.subject_name,
                spec.service,
                spec.target,
                spec.threshold_ms,
            )
        )
    return out
