"""Mermaid sequence diagrams of the request flows and sagas (`core/flows.py`).

One `sequenceDiagram` per flow: participants in call order (a request flow starts with
a client actor), synchronous calls as solid arrows with a dashed reply once the callee
(and what it calls in turn) is done, asynchronous sends as open arrows with no reply,
parallel groups as `par`/`and`, a saga's compensations as one `opt` block in reverse
order, a call's timeout, retries, circuit breaker and fallback as a note, the flow's SLO
in the title.

A service the flow lists no step from makes every synchronous call it declares (the
rule of `core/flows.py`), drawn nested inside the call that reached it. Every user string
goes through `escape.mermaid_text` (`;` and `#` included: they end or comment a sequence
message); participant ids are generated (`n_...`), so no name can add a message, a
block or a directive.

A service's nested calls are drawn once per design (issue 21: 560 flows at 1,000 services
re-walked the same call trees 62,000 times): a walk that did not depend on the flow is
kept as a `_Fragment` and copied wherever the same service is reached again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..escape import mermaid_text, safe_ids, slug
from ..flows import FlowHop, RequestFlow, calls_from, flows_of
from ..identity_cache import IdentityCache
from ..model import Design
from ..topology import Call, Topology, topology_of
from .mermaid import HEADER
from .rows import component_labels, fmt_num

CLIENT = "client"
"""Participant id of the client that sends a request flow's first request."""
MAX_MESSAGES = 400
"""Most calls one diagram draws; a deeper expansion ends with a note saying so."""


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """Components in order of first appearance."""
    calls: int = 0
    cut: bool = False
    met: set[str] = field(default_factory=set)
    trail: list[str] = field(default_factory=list)
    """Both ends of every call drawn, in order (repeats allowed): what a walk met."""

    def meet(self, *ids: str) -> None:
        for i in ids:
            if i not in self.met:
                self.met.add(i)
                self.order.append(i)


def flow_title(flow: RequestFlow) -> str:
    """`Place an order · SLO 99.9 %, p99 800 ms` (what the flow must achieve)."""
    targets = [
        t
        for t in (
            fmt_num(flow.slo_availability, " %"),
            f"p99 {fmt_num(flow.slo_latency_p99_ms, ' ms')}"
            if flow.slo_latency_p99_ms is not None
            else None,
        )
        if t
    ]
    kind = "saga" if flow.saga else ("event flow" if flow.trigger == "event" else "")
    title = flow.name
    if kind:
        title += f" ({kind})"
    if targets:
        title += " · SLO " + ", ".join(targets)
    return title


def _call_text(call: Call) -> str:
    label = (call.label or "").strip()
    protocol = (call.protocol or "").strip()
    if label and protocol:
        return f"{label} ({protocol})"
    return label or protocol or ("message" if not call.sync else "call")


def _note(design: Design, call: Call) -> str | None:
    parts = []
    if call.timeout_ms is not None:
        parts.append(f"timeout {fmt_num(call.timeout_ms, ' ms')}")
    if call.retries is not None:
        parts.append(f"{call.retries} retr{'y' if call.retries == 1 else 'ies'}")
    if call.circuit_breaker:
        parts.append("circuit breaker")
    deps = design.dependencies
    fallback = deps[call.index].fallback if 0 <= call.index < len(deps) else None
    if fallback and fallback.strip():
        parts.append(f"fallback: {fallback.strip()}")
    return ", ".join(parts) if parts else None


@dataclass(frozen=True, slots=True)
class _Fragment:
    """What `nested(service)` draws when nothing of the flow reaches into it: no service
    it meets is detailed by the flow or already active (open further up), no component
    it draws (the service included) has a look-alike id, and the walk ends before
    `MAX_MESSAGES`. Then the walk is the same in every flow, at every depth (all its
    lines sit at the depth of the call that reached the service): its lines at depth 0,
    the components it meets in order of first appearance, and how many calls it draws.
    Replayed only where it fits under the limit and meets nothing the flow details or
    holds open; anywhere else the walk is made call by call, as before."""

    lines: tuple[str, ...]
    order: tuple[str, ...]
    calls: int
    met: frozenset[str]
    """`order` less the service itself (a cycle back to it is never expanded)."""


class _Writer:
    def __init__(self, design: Design, topo: Topology, flow: RequestFlow) -> None:
        self.design = design
        self.topo = topo
        self.flow = flow
        self.out = _Out()
        self.limit = MAX_MESSAGES
        self.fragments = _fragments(topo)
        self.odd = _odd_ids(topo)
        plain = _plain_ids(topo)
        # Without look-alike ids in the design, a participant's id is its plain form in
        # any flow; only then is walking each flow's whole reach (flows x reach) needed.
        self.ids = plain if plain is not None else safe_ids(_components(topo, flow), "n_")
        self.labels = component_labels(design)
        self.texts = _texts(topo)

    def pid(self, component: str) -> str:
        return self.ids[component]

    def line(self, depth: int, text: str) -> None:
        self.out.lines.append("  " * depth + text)

    def reply(self, depth: int, callee: str, caller: str) -> None:
        self.line(depth, f"{self.pid(callee)}-->>{self.pid(caller)}:")

    def call(self, hop: Call, depth: int, active: tuple[str, ...], reply: bool = True) -> None:
        """One call; for a synchronous call to a service the flow does not detail, what
        the callee makes in turn; then the reply (unless the caller waits for the
        callee's own later steps)."""
        out = self.out
        if out.calls >= self.limit:
            out.cut = True
            return
        out.calls += 1
        out.meet(hop.source, hop.target)
        out.trail += (hop.source, hop.target)
        a, b = self.pid(hop.source), self.pid(hop.target)
        arrow = "->>" if hop.sync else "-)"
        key = (hop.index, hop.source, hop.target)
        texts = self.texts.get(key)
        if texts is None:
            note = _note(self.design, hop)
            texts = (mermaid_text(_call_text(hop)), mermaid_text(note) if note else None)
            self.texts[key] = texts
        self.line(depth, f"{a}{arrow}{b}: {texts[0]}")
        if texts[1]:
            where = f"over {a},{b}" if a != b else f"right of {a}"
            self.line(depth, f"Note {where}: {texts[1]}")
        if not hop.sync or not reply:
            return
        callee = hop.target
        detailed = self.flow.detailed
        if self.topo.kind(callee) == "service" and callee not in detailed and callee not in active:
            self.nested(callee, depth, (*active, callee))
        self.reply(depth, callee, hop.source)

    def nested(self, service: str, depth: int, active: tuple[str, ...]) -> None:
        """The synchronous calls a service makes when the flow does not list its steps
        (an asynchronous link may be the broker it reads, not a send: left out)."""
        detailed = self.flow.detailed
        if service not in detailed:  # every declared sync call, one by one
            calls = _sync_calls(self.topo).get(service)
            if not calls:
                return
            out = self.out
            known = self.fragments.get(service)
            if (
                known is not None
                and out.calls + known.calls <= self.limit
                and known.met.isdisjoint(detailed)
                and known.met.isdisjoint(active)
            ):
                self.replay(known, depth)
                return
            lines, trail = len(out.lines), len(out.trail)
            before = out.calls
            for c in calls:
                self.call(c, depth, active)
            if known is None and not out.cut:
                self.keep(service, depth, active, lines, trail, out.calls - before)
            return
        for stage in self.flow.stages_from(self.topo, service):
            sync = tuple(c for c in stage if c.sync)
            if sync:
                self.stage(sync, depth, active)

    def replay(self, known: _Fragment, depth: int) -> None:
        """Draw a kept walk at `depth`: what the walk itself would have drawn."""
        out = self.out
        if depth:
            pad = "  " * depth
            out.lines += [pad + line for line in known.lines]
        else:
            out.lines += known.lines
        out.calls += known.calls
        out.meet(*known.order)
        out.trail += known.order

    def keep(
        self, service: str, depth: int, active: tuple[str, ...], lines: int, trail: int, calls: int
    ) -> None:
        """Keep the walk just drawn (from line `lines`, trail entry `trail`) when nothing
        of this flow shaped it (see `_Fragment`): then every flow draws it the same."""
        out = self.out
        order = tuple(dict.fromkeys(out.trail[trail:]))
        if not self.odd.isdisjoint(order):  # the service itself included: it draws ids too
            return
        met = frozenset(order).difference((service,))
        if not (met.isdisjoint(self.flow.detailed) and met.isdisjoint(active)):
            return
        drawn = out.lines[lines:]
        if depth:
            drawn = [line[2 * depth :] for line in drawn]
        self.fragments[service] = _Fragment(tuple(drawn), order, calls, met)

    def stage(self, calls: tuple[Call, ...], depth: int, active: tuple[str, ...]) -> None:
        """A stage: one call, or a parallel group as `par`/`and` branches."""
        if len(calls) == 1:
            self.call(calls[0], depth, active)
            return
        for i, c in enumerate(calls):
            to = mermaid_text(self.labels.get(c.target, c.target))
            self.line(depth, f"{'par' if i == 0 else 'and'} {to}")
            self.call(c, depth + 1, active)
        self.line(depth, "end")

    def steps(self) -> list[str]:
        """A declared flow's own steps. A synchronous call to a service that has later
        steps stays open: those steps run inside it, and its reply comes when the next
        step is made by its caller again (or at the end)."""
        flow = self.flow
        stack = [flow.entry]
        for stage in flow.stages:
            source = stage[0].call.source
            if source in stack:
                while stack[-1] != source:
                    done = stack.pop()
                    self.reply(0, done, stack[-1])
            only = stage[0].call if len(stage) == 1 else None
            if (
                only is not None
                and only.sync
                and only.target in flow.detailed
                and only.target not in stack
            ):
                self.call(only, 0, tuple(stack), reply=False)
                stack.append(only.target)
            else:
                self.stage(tuple(h.call for h in stage), 0, tuple(stack))
        return stack

    def unwind(self, stack: list[str]) -> None:
        """The replies of the calls still open, innermost first."""
        while len(stack) > 1:
            done = stack.pop()
            self.reply(0, done, stack[-1])


# A call's escaped text and note, once per design: the same calls recur in every flow
# that reaches them (62,000 drawn calls for 560 flows at 1,000 services).
_texts: IdentityCache[Topology, dict[tuple[int, str, str], tuple[str, str | None]]]
_texts = IdentityCache(lambda _topo: {})


# A participant's escaped label, once per design: the same ones recur in every flow.
_names: IdentityCache[Design, dict[str, str]] = IdentityCache(lambda _design: {})


def _build_sync_calls(topo: Topology) -> dict[str, tuple[Call, ...]]:
    return {
        source: sync
        for source in {c.source for c in topo.calls}
        if (sync := tuple(c for c in calls_from(topo, source) if c.sync))
    }


# What a service outside a flow's own steps calls, once per design: drawn at every hop.
_sync_calls: IdentityCache[Topology, dict[str, tuple[Call, ...]]]
_sync_calls = IdentityCache(_build_sync_calls)


def _build_id_table(topo: Topology) -> tuple[dict[str, str], frozenset[str]]:
    """Every id a flow can draw -> its diagram id among all of them, and the ids that do
    not get their plain form there (look-alikes such as `a-b` and `a_b`, or an id that a
    look-alike's hashed form would take). Any other id gets its plain form from `safe_ids`
    of any subset of the names that holds it: its form is unique among fewer names, and
    no hashed form of a subset's look-alike can take it."""
    names = set(topo.nodes)
    names.update(end for c in topo.calls for end in (c.source, c.target))
    ids = safe_ids(names, "n_")
    return ids, frozenset(n for n in names if ids[n] != safe_ids((n,), "n_")[n])


_id_table: IdentityCache[Topology, tuple[dict[str, str], frozenset[str]]]
_id_table = IdentityCache(_build_id_table)


def _odd_ids(topo: Topology) -> frozenset[str]:
    """The ids that may be drawn other than in their plain form (see `_build_id_table`)."""
    return _id_table(topo)[1]


def _build_plain_ids(topo: Topology) -> dict[str, str] | None:
    """Every id a flow can draw -> its diagram id, when no two of them look alike (then
    `safe_ids` of any subset gives each its plain form); else None."""
    ids, odd = _id_table(topo)
    return None if odd else ids


_plain_ids: IdentityCache[Topology, dict[str, str] | None] = IdentityCache(_build_plain_ids)

# A service's walk of nested calls, kept once per design when no flow shapes it (see
# `_Fragment`): service -> the walk. Lines are shared with the diagrams at depth 0.
_fragments: IdentityCache[Topology, dict[str, _Fragment]] = IdentityCache(lambda _topo: {})


def _components(topo: Topology, flow: RequestFlow) -> list[str]:
    """Every component the flow may reach, entry first (ids for the participants)."""
    seen = {flow.entry: None}  # a dict keeps the order; a list made this quadratic
    todo = [flow.entry]
    calls = [h.call for h in flow.hops]
    while todo:
        here = todo.pop()
        calls += [c for s in flow.stages_from(topo, here) for c in s]
        for c in calls:
            for end in (c.source, c.target):
                if end not in seen:
                    seen[end] = None
                    todo.append(end)
        calls = []
    return list(seen)


def _compensations(flow: RequestFlow) -> list[FlowHop]:
    return [h for h in reversed(flow.hops) if h.compensate and h.compensate.strip()]


def to_sequence(design: Design, flow: RequestFlow, *, header: bool = True) -> str:
    """One flow as a Mermaid `sequenceDiagram`."""
    topo = topology_of(design)
    w = _Writer(design, topo, flow)
    out = w.out
    entry = w.pid(flow.entry)
    out.meet(flow.entry)
    if flow.trigger == "request":
        w.line(0, f"{CLIENT}->>{entry}: {mermaid_text(flow.name)}")
    else:
        w.line(0, f"Note right of {entry}: on each message")
    open_calls = [flow.entry]
    if flow.detailed:
        open_calls = w.steps()
    else:
        w.nested(flow.entry, 0, (flow.entry,))
    if out.cut:
        limit = f"more calls not drawn: a diagram shows at most {MAX_MESSAGES}"
        w.line(0, f"Note over {entry}: {mermaid_text(limit)}")
    comps = _compensations(flow) if flow.saga else []
    if comps:
        w.line(0, "opt a later step fails: compensate in reverse order")
        for h in comps:
            c = h.call
            text = mermaid_text(h.compensate or "")
            w.line(1, f"{w.pid(c.source)}->>{w.pid(c.target)}: {text}")
        w.line(0, "end")
    # Compensations run while the calls are still open: the replies come after them.
    w.unwind(open_calls)
    if flow.trigger == "request":
        w.line(0, f"{entry}-->>{CLIENT}:")
    lines = ["sequenceDiagram"]
    if header:
        lines.append(f"  {HEADER}")
    lines.append(f"  title {mermaid_text(flow_title(flow))}")
    if flow.trigger == "request":
        lines.append(f"  actor {CLIENT} as Client")
    names = _names(design)
    for comp in out.order:
        name = names.get(comp)
        if name is None:
            name = names[comp] = mermaid_text(w.labels.get(comp, comp))
        lines.append(f"  participant {w.pid(comp)} as {name}")
    # every drawn line indented by two spaces (out.lines is never empty: it opens with
    # the request or the note on each message)
    return "\n".join(lines) + "\n  " + "\n  ".join(out.lines) + "\n"


def sequence_flows(design: Design) -> list[RequestFlow]:
    """The flows that get a diagram: every flow with at least one call."""
    topo = topology_of(design)
    return [f for f in flows_of(design) if f.stages or any(f.stages_from(topo, f.entry))]


FLOW_FOLDER = "diagrams/flows"
"""Where `export --format all` writes each flow's diagram (relative to its folder)."""


def flow_file_names(design: Design) -> dict[str, str]:
    """Flow id -> file name (`<flow-id>.mmd`: ids are safe; derived ids are slugged)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for f in sequence_flows(design):
        base = slug(f.id, "flow", 80)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        names[f.id] = f"{name}.mmd"
    return names


def sequence_diagrams(design: Design, *, header: bool = True) -> dict[str, str]:
    """Flow id -> its sequence diagram, in flow order."""
    return {f.id: to_sequence(design, f, header=header) for f in sequence_flows(design)}


def to_sequence_markdown(design: Design) -> str:
    """Every flow's sequence diagram in one Markdown page (`export --format sequence`)."""
    from ..escape import md_inline

    parts = [f"# {md_inline(design.name) or 'Untitled design'}: request flows", ""]
    flows = sequence_flows(design)
    if not flows:
        parts += ["The design has no request flow with a call yet.", ""]
    for f in flows:
        parts += [f"## {md_inline(flow_title(f))}", "", "```mermaid"]
        parts.append(to_sequence(design, f, header=False).rstrip("\n"))
        parts += ["```", ""]
    return "\n".join(parts).rstrip("\n") + "\n"
