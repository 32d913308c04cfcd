"""The design file as frozen pydantic models (spec: shared/spec/design-file.md).

Every model forbids unknown keys so a typo is an error with a position, never silently
ignored. Field descriptions are attribute docstrings-turned-descriptions: they flow into
the published JSON Schema. Cross-references (ids that must exist) are checked in
`stratus_tui.core.store.validation`, which reports every problem with its location.

Unlike the rest of the package, this module does not use `from __future__ import
annotations`: pydantic would then turn each of the ~170 field annotations from text into
a type at import, a compile and an eval apiece (~2 ms of every command's start, issue 21).
Every class here is defined before it is used in an annotation.
"""

import datetime as dt
import inspect
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from stratus_tui.core.pydantic_plugins import skip_plugin_scan

skip_plugin_scan()  # before pydantic builds a model (see the module)

from pydantic import BaseModel, ConfigDict, Field, StringConstraints  # noqa: E402

SCHEMA_VERSION = 1
"""The design-file version this program writes; older files are migrated on load."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(description="1-64 letters, digits, '_', '-' or '.', starting with a letter or digit."),
]

Topology = Literal["greenfield", "monolith", "modular-monolith", "microservices", "serverless"]
OpsMaturity = Literal["low", "medium", "high"]
Traffic = Literal["steady", "diurnal", "spiky", "batch"]
Consistency = Literal["strong", "eventual"]
Mode = Literal["sync", "async"]
Likelihood = Literal["low", "medium", "high"]
Severity = Literal["low", "medium", "high", "critical"]
DecisionStatus = Literal["proposed", "accepted", "rejected", "superseded"]
SecretsHandling = Literal["vault", "secrets-manager", "env", "hardcoded", "none"]
StickyKind = Literal[
    "event", "command", "actor", "aggregate", "policy", "read_model", "external", "hotspot"
]
Scaling = Literal["fixed", "linear", "step"]
Replication = Literal["sync", "async", "none"]
FlowTrigger = Literal["request", "event"]

# Strict numbers and flags: `replicas: true` or `peak_rps: "800"` is a located error, not
# silently 1 or 800, and `yes` (a string in YAML 1.2) is no bool. A strict float still
# takes a whole number (`peak_rps: 800`); a strict int refuses 3.0.
#
# Every number is bounded (the bounds are the JSON schema's `maximum`/`minimum`) far above
# any real system but low enough that sums and products in the analyses stay finite: two
# costs of 1.7e308 printed `$inf/month` and `nan %`, a retries count of 10**30 overflowed
# timeout x attempts.
MAX_COUNT = 1_000_000
"""Largest count (replicas, retries, engineers, teams, services, client kinds)."""
MAX_QUANTITY = 1_000_000_000_000
"""Largest amount (dollars a month, milliseconds, minutes, requests a second, ratios)."""
MAX_ORDER = 1_000_000_000_000
"""Largest position on the event-storming timeline, either way from zero."""

Percent = Annotated[float, Field(ge=0, le=100, strict=True)]
NonNegInt = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]
NonNegFloat = Annotated[float, Field(ge=0, le=MAX_QUANTITY, strict=True)]
Number = Annotated[float, Field(ge=-MAX_ORDER, le=MAX_ORDER, strict=True)]
Flag = Annotated[bool, Field(strict=True)]


class Model(BaseModel):
    """Base: immutable, strict about keys, documented fields in the schema."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        # Field descriptions come from the docstring under each field, read once for
        # the whole file by `_describe_fields` below (pydantic's use_attribute_docstrings
        # re-reads and re-parses each class's source: ~60 ms of every command's start).
        use_attribute_docstrings=False,
        populate_by_name=True,
        # .inf / .nan are valid YAML floats but no cost, rate or budget: the analyses
        # would crash or print nonsense on them, so they are a located validation error.
        allow_inf_nan=False,
        # Validators are built on first use, not at import: the workbench draws its
        # first frame (which needs the classes, not validation) ~35 ms sooner.
        defer_build=True,
    )


# Sections left out of a file default to `X.model_construct()`, not `X()`: the same
# object (every field at its default, none set, nothing to validate), without building
# X's own validator. Validating a design then builds Design's alone, once: calling `X()`
# built one more for each section left out (issue 21).


# --------------------------------------------------------------------------- discovery


class Current(Model):
    topology: Topology | None = None
    """What runs today: greenfield, monolith, modular-monolith, microservices or serverless."""
    services: NonNegInt | None = None
    """Deployable units today."""
    pain_points: tuple[str, ...] | None = None
    """What hurts today, e.g. slow-deploys, cascading-failures; free text allowed."""
    monthly_cost_usd: NonNegFloat | None = None
    """Monthly infrastructure spend today, in US dollars."""


class Team(Model):
    engineers: NonNegInt | None = None
    """Engineers who build and run the system."""
    teams: NonNegInt | None = None
    """Number of teams."""
    ops_maturity: OpsMaturity | None = None
    """Operational maturity: low, medium or high (on-call, CI/CD, observability)."""
    independent_deploys: Flag | None = None
    """Teams need to ship without coordinating with each other."""


class Workload(Model):
    peak_rps: NonNegFloat | None = None
    """Peak requests per second."""
    traffic: Traffic | None = None
    """Traffic shape: steady, diurnal, spiky or batch."""
    read_write_ratio: NonNegFloat | None = None
    """Reads per write."""
    growth_18m: NonNegFloat | None = None
    """Expected load multiplier over the next 18 months."""
    async_fanout: Flag | None = None
    """One event is consumed by many parties."""
    cross_service_transactions: Flag | None = None
    """Business transactions span more than one service."""
    client_types: NonNegInt | None = None
    """Distinct client kinds (web, mobile, partner API ...)."""


class Requirements(Model):
    latency_p99_ms: NonNegFloat | None = None
    """End-to-end p99 latency target in milliseconds."""
    availability: Percent | None = None
    """Availability target in percent, e.g. 99.9."""
    consistency: Consistency | None = None
    """strong or eventual."""
    rto_minutes: NonNegFloat | None = None
    """Recovery time objective in minutes."""
    rpo_minutes: NonNegFloat | None = None
    """Recovery point objective in minutes."""
    regulatory_multi_region: Flag | None = None
    """A regulator mandates more than one region."""
    audit_trail: Flag | None = None
    """A complete, replayable history of changes is required."""
    mtls: Flag | None = None
    """Service-to-service traffic must be mutually authenticated (mTLS)."""
    cold_start_ok: Flag | None = None
    """Occasional cold-start latency is acceptable."""


class Budget(Model):
    monthly_usd: NonNegFloat | None = None
    """Monthly budget in US dollars."""


class Discovery(Model):
    current: Current = Field(default_factory=Current.model_construct)
    """The system as it runs today."""
    team: Team = Field(default_factory=Team.model_construct)
    """Who builds and runs it."""
    workload: Workload = Field(default_factory=Workload.model_construct)
    """Scale and growth."""
    requirements: Requirements = Field(default_factory=Requirements.model_construct)
    """Latency, availability, consistency, recovery, regulation."""
    budget: Budget = Field(default_factory=Budget.model_construct)
    """Cost constraints."""


# --------------------------------------------------------------------------- components


class Slo(Model):
    availability: Percent | None = None
    """Availability target in percent."""
    latency_p50_ms: NonNegFloat | None = None
    """p50 latency target in milliseconds."""
    latency_p95_ms: NonNegFloat | None = None
    """p95 latency target in milliseconds."""
    latency_p99_ms: NonNegFloat | None = None
    """p99 latency target in milliseconds."""
    error_rate_pct: Percent | None = None
    """Error-rate target in percent of requests."""


QUANTITY_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,6})?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$"
METRIC_PATTERN = r"^[A-Za-z_:][A-Za-z0-9_:]{0,199}$"
LABEL_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,99}$"

# Kubernetes quantities as the API writes them: `250m` CPU, `256Mi` memory.
Quantity = Annotated[
    str,
    StringConstraints(pattern=QUANTITY_PATTERN),
    Field(description="A Kubernetes quantity, e.g. 250m (CPU) or 256Mi (memory)."),
]
MetricName = Annotated[
    str,
    StringConstraints(pattern=METRIC_PATTERN),
    Field(description="A Prometheus metric name: letters, digits, '_' and ':'."),
]
LabelName = Annotated[
    str,
    StringConstraints(pattern=LABEL_PATTERN),
    Field(description="A Prometheus label name: letters, digits and '_'."),
]


class KubernetesOverrides(Model):
    """What `export --format k8s` writes for a service instead of the seed defaults."""

    cpu_request: Quantity | None = None
    """CPU request (default 100m)."""
    cpu_limit: Quantity | None = None
    """CPU limit (default 500m: room to burst)."""
    memory: Quantity | None = None
    """Memory request and limit, kept equal so an OOM kill is predictable (default 128Mi)."""
    port: Annotated[int, Field(ge=1, le=65535, strict=True)] | None = None
    """Container port serving HTTP and the probes (default 8080)."""
    max_replicas: NonNegInt | None = None
    """Upper bound of the HorizontalPodAutoscaler (default: replicas x max(3, growth))."""


class Service(Model):
    id: Id
    """Unique id, used by references."""
    name: str | None = None
    """Human name; the id is shown when absent."""
    description: str | None = None
    """What the service is for."""
    context: str | None = None
    """Bounded context (free text; need not be declared elsewhere)."""
    owns: tuple[str, ...] = ()
    """Data and capabilities this service is the single owner of."""
    api: str | None = None
    """API contract, e.g. 'REST: POST /orders'."""
    datastore: Id | None = None
    """Id of the datastore this service owns."""
    runtime: str | None = None
    """kubernetes | serverless | vm | managed | ..."""
    replicas: NonNegInt | None = None
    """Running instances."""
    owner: str | None = None
    """Owning team."""
    slo: Slo | None = None
    """Service-level objectives."""
    own_p99_ms: NonNegFloat | None = None
    """The service's own time per request at p99 in milliseconds, its own datastore
    included and its declared dependencies excluded (an assumed default when absent)."""
    health_checks: Flag | None = None
    """Liveness/readiness probes are in place."""
    metrics: Flag | None = None
    """RED metrics are exposed."""
    structured_logs: Flag | None = None
    """Logs are structured with trace ids."""
    tracing: Flag | None = None
    """Distributed tracing is instrumented."""
    rollback: str | None = None
    """How a bad deploy is rolled back."""
    secrets: SecretsHandling | None = None
    """How secrets reach the service: vault, secrets-manager, env, hardcoded or none."""
    monthly_cost_usd: NonNegFloat | None = None
    """Monthly cost at baseline load."""
    scaling: Scaling | None = None
    """How cost grows with load: fixed, linear or step (default by runtime)."""
    kubernetes: KubernetesOverrides | None = None
    """Resources, port and autoscaling bound for `export --format k8s`."""

    @property
    def label(self) -> str:
        return self.name or self.id


class Datastore(Model):
    id: Id
    """Unique id, used by references."""
    name: str | None = None
    """Human name; the id is shown when absent."""
    kind: str | None = None
    """postgresql | redis | kafka | dynamodb | s3 | ..."""
    replicas: NonNegInt | None = None
    """Copies of the data serving traffic."""
    multi_az: Flag | None = None
    """Spread across availability zones."""
    monthly_cost_usd: NonNegFloat | None = None
    """Monthly cost at baseline load."""
    availability: Percent | None = None
    """Availability in percent (an assumed default is used when absent)."""
    scaling: Scaling | None = None
    """How cost grows with load: fixed, linear or step (default by kind)."""
    replication: Replication | None = None
    """How writes reach the other copies: sync, async or none."""
    backup_interval_minutes: NonNegFloat | None = None
    """Minutes between backups (or snapshots)."""
    regions: NonNegInt | None = None
    """Regions holding a copy of the data."""

    @property
    def label(self) -> str:
        return self.name or self.id


class External(Model):
    id: Id
    """Unique id, used by references."""
    name: str | None = None
    """Human name; the id is shown when absent."""
    description: str | None = None
    """What it provides."""
    availability: Percent | None = None
    """Published availability in percent (an assumed default is used when absent)."""
    latency_p99_ms: NonNegFloat | None = None
    """Its p99 latency in milliseconds, if known."""
    monthly_cost_usd: NonNegFloat | None = None
    """Monthly cost at baseline load."""

    @property
    def label(self) -> str:
        return self.name or self.id


class Dependency(Model):
    from_: Id = Field(alias="from")
    """Id of the calling service."""
    to: Id
    """Id of a service, datastore or external."""
    mode: Mode = "sync"
    """sync (request/response) or async (messaging)."""
    protocol: str | None = None
    """rest, grpc, kafka, sqs ..."""
    timeout_ms: NonNegFloat | None = None
    """Client timeout in milliseconds."""
    retries: NonNegInt | None = None
    """Retries on failure."""
    circuit_breaker: Flag | None = None
    """A circuit breaker guards the call."""
    fallback: str | None = None
    """What the caller does when the call fails, e.g. 'serve the cached price'. With a
    circuit breaker, a failure of the callee degrades the caller instead of failing it."""
    label: str | None = None
    """What the call is for."""


class FlowSlo(Model):
    availability: Percent | None = None
    """Availability target of the journey in percent."""
    latency_p99_ms: NonNegFloat | None = None
    """End-to-end p99 target of the journey in milliseconds."""


class FlowCall(Model):
    from_: Id = Field(alias="from")
    """Id of the calling service; (from, to) must be a declared dependency."""
    to: Id
    """Id of the called service, datastore or external."""
    compensate: str | None = None
    """In a saga: how this step is undone when a later step fails."""


class FlowStep(Model):
    """One step: a call (`from`, `to`) or a group of calls made at the same time."""

    from_: Id | None = Field(default=None, alias="from")
    """Id of the calling service; (from, to) must be a declared dependency."""
    to: Id | None = None
    """Id of the called service, datastore or external."""
    compensate: str | None = None
    """In a saga: how this step is undone when a later step fails."""
    parallel: tuple[FlowCall, ...] | None = None
    """Calls made at the same time (instead of from/to): the slowest one counts."""


class Flow(Model):
    id: Id
    """Unique id (distinct from component ids)."""
    name: str | None = None
    """What the journey is, e.g. 'Place an order'."""
    entry: Id
    """Id of the service where the journey starts."""
    trigger: FlowTrigger | None = None
    """request (a client waits: the end-to-end latency requirement applies) or event (a
    message starts it: only its own SLO applies). Default: event when the entry is an
    asynchronous consumer, else request."""
    slo: FlowSlo | None = None
    """The journey's own targets."""
    saga: Flag = False
    """The steps form a saga: each step that changes state names its compensation."""
    steps: tuple[FlowStep, ...] = ()
    """The calls in order; each is a declared dependency (async when it is async)."""

    @property
    def label(self) -> str:
        return self.name or self.id


class FailureMode(Model):
    id: Id
    """Unique id."""
    component: Id
    """Id of the service, datastore or external that fails."""
    failure: str | None = None
    """What fails."""
    effect: str | None = None
    """What users see."""
    likelihood: Likelihood | None = None
    """low, medium or high."""
    severity: Severity | None = None
    """low, medium, high or critical."""
    detection: str | None = None
    """How we find out (an alert)."""
    mitigation: str | None = None
    """What the system does about it."""
    runbook: str | None = None
    """Where the runbook lives."""


class Decision(Model):
    id: Id
    """Unique id, e.g. adr-001."""
    title: str
    """The decision in a few words."""
    pattern: Id | None = None
    """Id of the pattern this decision is about."""
    status: DecisionStatus = "proposed"
    """proposed, accepted, rejected or superseded."""
    date: dt.date | None = None
    """When it was decided (YYYY-MM-DD)."""
    context: str | None = None
    """The problem the decision answers."""
    rationale: str | None = None
    """Why this choice."""
    alternatives: tuple[str, ...] = ()
    """Alternatives considered."""
    consequences: str | None = None
    """What follows from it, good and bad."""
    superseded_by: Id | None = None
    """Id of the decision that replaces this one."""
    deciders: tuple[str, ...] = ()
    """Who decided."""


class MigrationPhase(Model):
    id: Id
    """Unique id."""
    title: str
    """What the phase achieves."""
    steps: tuple[str, ...] = ()
    """Ordered steps."""
    rollback: str | None = None
    """How to undo the phase."""
    duration_weeks: NonNegFloat | None = None
    """Expected duration."""


class StormContext(Model):
    id: Id
    """Unique id; may match services' context."""
    name: str | None = None
    """Display name."""


class StormItem(Model):
    id: Id
    """Unique id."""
    kind: StickyKind = "event"
    """event, command, actor, aggregate, policy, read_model, external or hotspot."""
    text: str
    """What is written on the sticky."""
    context: Id | None = None
    """Id of a board context."""
    order: Number = 0
    """Position on the timeline."""
    pivotal: Flag = False
    """A pivotal event (marks a phase boundary)."""


class StormVote(Model):
    by: str = Field(min_length=1, max_length=80)
    """Who voted (the name given when joining a live workshop)."""
    item: Id
    """The sticky voted for (a hotspot or a pivotal event)."""
    dots: int = Field(default=1, ge=1, le=100, strict=True)
    """How many of that person's dots went on it."""


class EventStorming(Model):
    contexts: tuple[StormContext, ...] = ()
    """The board's bounded contexts."""
    items: tuple[StormItem, ...] = ()
    """The stickies."""
    phase: str | None = Field(default=None, max_length=80)
    """The workshop phase the facilitator last set (chaotic exploration, timeline ...)."""
    votes: tuple[StormVote, ...] = ()
    """Dot votes on hotspots and pivotal events (live workshops)."""


class AcceptedRisk(Model):
    rule: str
    """Lint rule id."""
    component: Id | None = None
    """Component the risk is accepted for; all components when absent."""
    reason: str
    """Why the team accepts it."""


class RedMetrics(Model):
    """The RED metric names `export --format observe` queries (the defaults follow the
    usual Prometheus HTTP instrumentation)."""

    requests: MetricName | None = None
    """Counter of every request a service handles (default http_requests_total)."""
    errors: MetricName | None = None
    """Counter of failed requests (default http_request_errors_total)."""
    duration: MetricName | None = None
    """Histogram of request durations in seconds, without `_bucket` (default
    http_request_duration_seconds)."""
    service_label: LabelName | None = None
    """Label holding the service id (default service)."""
    flow_label: LabelName | None = None
    """Label an entry service puts on the requests of a request flow (default flow)."""


class Observability(Model):
    metrics: RedMetrics = Field(default_factory=RedMetrics.model_construct)
    """Metric and label names of the RED convention."""
    runbook_url: str | None = None
    """Where runbooks are published: alerts link `<runbook_url>/<id>.md` (default the
    exported folder's relative `observe/runbooks`)."""


ImportKind = Literal["compose", "kubernetes", "mermaid", "likec4", "structurizr"]


class Imported(Model):
    source: str
    """The file the design was bootstrapped from, as given to `stratus import`."""
    kind: ImportKind
    """What the file was: compose, kubernetes, mermaid, likec4 or structurizr."""
    answers: tuple[str, ...] = ()
    """Discovery answers filled by the import, dotted under discovery (e.g. current.services)."""


class Design(Model):
    stratus: Literal[1] = 1
    """Schema version of the file."""
    name: str
    """Name of the design."""
    scope: str | None = None
    """Shown in the header: 'Mapping ... for <scope>'."""
    context: str | None = None
    """What we build, for whom, under what constraints."""
    discovery: Discovery = Field(default_factory=Discovery.model_construct)
    """DISCOVER answers; any may be absent (unanswered)."""
    services: tuple[Service, ...] = ()
    """Deployable services."""
    datastores: tuple[Datastore, ...] = ()
    """Databases, caches, queues and buckets."""
    externals: tuple[External, ...] = ()
    """Third-party systems."""
    dependencies: tuple[Dependency, ...] = ()
    """Calls and messages between components."""
    flows: tuple[Flow, ...] = ()
    """Request flows: the journeys a request (or an event) takes through the design."""
    failure_modes: tuple[FailureMode, ...] = ()
    """What fails, how, and what we do."""
    decisions: tuple[Decision, ...] = ()
    """Key decisions (ADRs)."""
    migration: tuple[MigrationPhase, ...] = ()
    """Migration path in phases."""
    event_storming: EventStorming = Field(default_factory=EventStorming.model_construct)
    """The workshop board."""
    accepted_risks: tuple[AcceptedRisk, ...] = ()
    """Lint findings the team accepts, with a written reason."""
    observability: Observability | None = None
    """Metric names and runbook location for the OBSERVE export."""
    imported: Imported | None = None
    """Provenance when the design was bootstrapped by `stratus import`."""

    # -- lookups used everywhere; cheap enough to compute on demand ---------------

    def component_ids(self) -> set[str]:
        return (
            {s.id for s in self.services}
            | {d.id for d in self.datastores}
            | {e.id for e in self.externals}
        )

    def component(self, cid: str) -> Service | Datastore | External | None:
        for group in (self.services, self.datastores, self.externals):
            for c in group:
                if c.id == cid:
                    return c
        return None

    def kind_of(self, cid: str) -> Literal["service", "datastore", "external"] | None:
        c = self.component(cid)
        if isinstance(c, Service):
            return "service"
        if isinstance(c, Datastore):
            return "datastore"
        if isinstance(c, External):
            return "external"
        return None

    def to_data(self) -> dict[str, Any]:
        """Plain data as in the file: aliases, no unset/None values, dates as strings."""
        rest = self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
        return {"stratus": self.stratus, "name": self.name} | rest


# A field, then the docstring right under it (what pydantic's `use_attribute_docstrings`
# reads): `    name: annotation` on one line, `    """text"""` from the next.
_FIELD_DOC = re.compile(r'^    (\w+): [^\n]*\n    """(.*?)"""', re.MULTILINE | re.DOTALL)
_CLASS = re.compile(r"^class (\w+)\b", re.MULTILINE)


def field_docstrings(source: str) -> dict[str, dict[str, str]]:
    """Class name -> field name -> the docstring written right under that field, for
    every class of `source` (this module's text; its fields are written as above, which
    tests/core/test_model_descriptions.py checks against pydantic's own reading)."""
    classes = [(m.start(), m.group(1)) for m in _CLASS.finditer(source)]
    out: dict[str, dict[str, str]] = {name: {} for _, name in classes}
    at = 0
    for m in _FIELD_DOC.finditer(source):
        while at + 1 < len(classes) and classes[at + 1][0] < m.start():
            at += 1
        if not classes or classes[at][0] > m.start():
            continue  # above the first class
        doc = m.group(2)
        if "\\" in doc:  # an escape: the string's value, as Python reads it
            import ast

            doc = ast.literal_eval(f'"""{doc}"""')
        out[classes[at][1]][m.group(1)] = inspect.cleandoc(doc)
    return out


def _describe_fields() -> None:
    """Give every model's fields their docstrings as descriptions, from one read of this
    file (a scan of its text: parsing it took ~3 ms of every start). Validators are built
    on first use (defer_build), so they and the JSON schema see the descriptions."""
    try:
        source = Path(__file__).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # no source shipped: no descriptions
        return
    for name, docs in field_docstrings(source).items():
        cls = globals().get(name)
        if isinstance(cls, type) and issubclass(cls, Model):
            for field, info in cls.__pydantic_fields__.items():
                if info.description is None and field in docs:
                    info.description = docs[field]


_describe_fields()
