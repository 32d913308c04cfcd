"""A service's nested calls are drawn once per design and copied wherever the walk is the
same (issue 21: 560 flows at 1,000 services re-walked the same call trees 62,586 times).
The diagrams are the plain walk's, byte for byte: cycles, services reached from several
flows, detailed steps and parallel groups, look-alike ids, and the cut at MAX_MESSAGES."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.graphs import make_data
from stratus_tui.core.escape import mermaid_text, safe_ids
from stratus_tui.core.export import sequence
from stratus_tui.core.export.mermaid import HEADER
from stratus_tui.core.export.rows import component_labels
from stratus_tui.core.flows import RequestFlow, calls_from
from stratus_tui.core.model import Design
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.topology import Call, Topology, topology_of
from tests.export.strategies import designs as hostile_designs
from tests.support.design_strategies import designs as valid_designs

# ------------------------------------------------------------------ the plain reference


@dataclass
class _RefOut:
    lines: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    calls: int = 0
    cut: bool = False
    met: set[str] = field(default_factory=set)

    def meet(self, *ids: str) -> None:
        for i in ids:
            if i not in self.met:
                self.met.add(i)
                self.order.append(i)


def _ref_components(topo: Topology, flow: RequestFlow) -> list[str]:
    seen = {flow.entry: None}
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


class PlainReferenceWriter:
    """`sequence._Writer` before the walks were kept (issue 21): every nested call walked
    again in every flow, participant ids from the flow's own reach, no cache at all."""

    def __init__(self, design: Design, topo: Topology, flow: RequestFlow) -> None:
        self.design = design
        self.topo = topo
        self.flow = flow
        self.out = _RefOut()
        self.ids = safe_ids(_ref_components(topo, flow), "n_")
        self.labels = component_labels(design)

    def pid(self, component: str) -> str:
        return self.ids[component]

    def line(self, depth: int, text: str) -> None:
        self.out.lines.append("  " * depth + text)

    def reply(self, depth: int, callee: str, caller: str) -> None:
        self.line(depth, f"{self.pid(callee)}-->>{self.pid(caller)}:")

    def call(self, hop: Call, depth: int, active: tuple[str, ...], reply: bool = True) -> None:
        out = self.out
        if out.calls >= sequence.MAX_MESSAGES:
            out.cut = True
            return
        out.calls += 1
        out.meet(hop.source, hop.target)
        a, b = self.pid(hop.source), self.pid(hop.target)
        arrow = "->>" if hop.sync else "-)"
        self.line(depth, f"{a}{arrow}{b}: {mermaid_text(sequence._call_text(hop))}")
        note = sequence._note(self.design, hop)
        if note:
            where = f"over {a},{b}" if a != b else f"right of {a}"
            self.line(depth, f"Note {where}: {mermaid_text(note)}")
        if not hop.sync or not reply:
            return
        callee = hop.target
        detailed = self.flow.detailed
        if self.topo.kind(callee) == "service" and callee not in detailed and callee not in active:
            self.nested(callee, depth, (*active, callee))
        self.reply(depth, callee, hop.source)

    def nested(self, service: str, depth: int, active: tuple[str, ...]) -> None:
        if service not in self.flow.detailed:
            for c in calls_from(self.topo, service):
                if c.sync:
                    self.call(c, depth, active)
            return
        for stage in self.flow.stages_from(self.topo, service):
            sync = tuple(c for c in stage if c.sync)
            if sync:
                self.stage(sync, depth, active)

    def stage(self, calls: tuple[Call, ...], depth: int, active: tuple[str, ...]) -> None:
        if len(calls) == 1:
            self.call(calls[0], depth, active)
            return
        for i, c in enumerate(calls):
            to = mermaid_text(self.labels.get(c.target, c.target))
            self.line(depth, f"{'par' if i == 0 else 'and'} {to}")
            self.call(c, depth + 1, active)
        self.line(depth, "end")

    def steps(self) -> list[str]:
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
        while len(stack) > 1:
            done = stack.pop()
            self.reply(0, done, stack[-1])


def plain_reference_sequence(design: Design, flow: RequestFlow, *, header: bool = True) -> str:
    """`to_sequence` with the plain walk (as it was before the walks were kept)."""
    topo = topology_of(design)
    w = PlainReferenceWriter(design, topo, flow)
    out = w.out
    entry = w.pid(flow.entry)
    out.meet(flow.entry)
    if flow.trigger == "request":
        w.line(0, f"{sequence.CLIENT}->>{entry}: {mermaid_text(flow.name)}")
    else:
        w.line(0, f"Note right of {entry}: on each message")
    open_calls = [flow.entry]
    if flow.detailed:
        open_calls = w.steps()
    else:
        w.nested(flow.entry, 0, (flow.entry,))
    if out.cut:
        limit = f"more calls not drawn: a diagram shows at most {sequence.MAX_MESSAGES}"
        w.line(0, f"Note over {entry}: {mermaid_text(limit)}")
    comps = sequence._compensations(flow) if flow.saga else []
    if comps:
        w.line(0, "opt a later step fails: compensate in reverse order")
        for h in comps:
            c = h.call
            w.line(1, f"{w.pid(c.source)}->>{w.pid(c.target)}: {mermaid_text(h.compensate or '')}")
        w.line(0, "end")
    w.unwind(open_calls)
    if flow.trigger == "request":
        w.line(0, f"{entry}-->>{sequence.CLIENT}:")
    lines = ["sequenceDiagram"]
    if header:
        lines.append(f"  {HEADER}")
    lines.append(f"  title {mermaid_text(sequence.flow_title(flow))}")
    if flow.trigger == "request":
        lines.append(f"  actor {sequence.CLIENT} as Client")
    lines.extend(
        f"  participant {w.pid(c)} as {mermaid_text(w.labels.get(c, c))}" for c in out.order
    )
    lines.extend(f"  {line}" for line in out.lines)
    return "\n".join(lines) + "\n"


def check(design: Design, limits: tuple[int, ...] = ()) -> list[str]:
    """Every flow's diagram equals the plain walk's: at the real limit, at each of
    `limits` in turn (the kept walks of the previous ones still there), then in reverse
    flow order on a fresh copy of the design (other flows keep the walks first)."""
    flows = sequence.sequence_flows(design)
    got = [sequence.to_sequence(design, f) for f in flows]
    assert got == [plain_reference_sequence(design, f) for f in flows]
    for limit in limits:
        with pytest.MonkeyPatch.context() as m:
            m.setattr(sequence, "MAX_MESSAGES", limit)
            for f in flows:
                assert sequence.to_sequence(design, f, header=False) == (
                    plain_reference_sequence(design, f, header=False)
                ), (limit, f.id)
    again = design.model_copy()
    back = [sequence.to_sequence(again, f) for f in reversed(sequence.sequence_flows(again))]
    assert back[::-1] == got
    assert sequence.sequence_diagrams(design) == dict(zip([f.id for f in flows], got, strict=True))
    return got


# ------------------------------------------------------------------ random designs

# `a-b`, `a.b` and `a_b` look alike (hashed apart); `a_b_<hash>` is a real id that takes
# the hashed form of `a-b` (all of them then get the long hash).
_CLASH = safe_ids(["a-b", "a_b"], "n_")["a-b"].removeprefix("n_")
_SERVICE_IDS = ("api", "orders", "pay", "ship", "stock", "a-b", "a_b", "a.b", _CLASH, "end")
_OTHERS = ("db", "queue", "ext")


@st.composite
def flow_designs(draw: st.DrawFn) -> Design:
    """Small designs dense with synchronous calls (cycles, shared callees), with declared
    flows that detail some services, run calls in parallel and undo them as sagas."""
    services = draw(st.lists(st.sampled_from(_SERVICE_IDS), min_size=3, max_size=10, unique=True))
    others = draw(st.lists(st.sampled_from(_OTHERS), max_size=3, unique=True))
    stores = [o for o in others if o != "ext"]
    components = services + others
    # from a few calls to half of the possible ones (dense: the nested walk passes the limit)
    pairs = [(a, b) for a in services for b in components if a != b]
    if draw(st.booleans()):  # mostly forward (shared callees, few cycles): walks are kept
        rank = {c: i for i, c in enumerate(components)}
        back = draw(st.lists(st.sampled_from(pairs), max_size=1))
        pairs = [p for p in pairs if rank[p[0]] < rank[p[1]] or p in back]
    chosen = draw(st.permutations(pairs))[: draw(st.integers(2, max(2, len(pairs) // 2)))]
    edges = [
        (pair, draw(st.sampled_from(["sync", "sync", "sync", "async"])), draw(st.integers(0, 5)))
        for pair in chosen  # file order is call order
    ]
    deps: list[dict[str, Any]] = []
    for (a, b), mode, extra in edges:
        dep: dict[str, Any] = {"from": a, "to": b, "mode": mode}
        if extra == 1:
            dep |= {"timeout_ms": 300, "retries": 1, "label": "get #1; a"}
        elif extra == 2:
            dep |= {"circuit_breaker": True, "fallback": "cached", "protocol": "grpc"}
        elif extra == 3:
            dep |= {"label": "place", "protocol": "http"}
        deps.append(dep)
    data: dict[str, Any] = {
        "stratus": 1,
        "name": "random flows",
        "services": [
            {"id": s, **({"name": f"{s} svc"} if i % 2 else {})} for i, s in enumerate(services)
        ],
        "dependencies": deps,
    }
    if stores:
        data["datastores"] = [
            {"id": s, "kind": "kafka" if s == "queue" else "postgresql"} for s in stores
        ]
    if "ext" in others:
        data["externals"] = [{"id": "ext", "name": "Provider"}]
    flows = []
    declared = [(d["from"], d["to"]) for d in deps]
    for k in range(draw(st.integers(0, 4))):
        steps: list[dict[str, Any]] = []
        if declared:
            for _ in range(draw(st.integers(0, 5))):
                if draw(st.integers(0, 3)) == 0:
                    group = draw(st.lists(st.sampled_from(declared), min_size=2, max_size=3))
                    steps.append({"parallel": [{"from": a, "to": b} for a, b in group]})
                else:
                    a, b = draw(st.sampled_from(declared))
                    step: dict[str, Any] = {"from": a, "to": b}
                    if draw(st.booleans()):
                        step["compensate"] = "undo; #it"
                    steps.append(step)
        entry = draw(st.sampled_from(services))
        starts: bool = draw(st.booleans())
        if starts and steps and "from" in steps[0]:  # often where its first step starts
            entry = steps[0]["from"]
        flow: dict[str, Any] = {
            "id": f"flow-{k}",
            "entry": entry,
            "saga": draw(st.booleans()),
            "steps": steps,
        }
        trigger = draw(st.sampled_from([None, "request", "event"]))
        if trigger:
            flow["trigger"] = trigger
        if draw(st.booleans()):
            flow["slo"] = {"availability": 99.9, "latency_p99_ms": 800}
        flows.append(flow)
    if flows:
        data["flows"] = flows
    return Design.model_validate(data)


@settings(max_examples=300, deadline=None)
@given(flow_designs(), st.lists(st.integers(1, 40), max_size=3))
def test_kept_walks_draw_the_plain_walks_diagrams(design: Design, limits: list[int]) -> None:
    check(design, tuple(limits))


@settings(max_examples=100, deadline=None)
@given(st.one_of(hostile_designs(), valid_designs(max_items=6)))
def test_the_shared_random_designs_draw_the_plain_walks_diagrams(design: Design) -> None:
    """The export tests' hostile names and trap ids, and the generic valid designs."""
    check(design, (1, 2))


# ------------------------------------------------------------------ examples


def test_sample_designs_draw_the_plain_walks_diagrams() -> None:
    samples = sorted(samples_dir().glob("*.yaml"))
    assert samples
    for path in samples:
        design = load_design(path)
        assert check(design, (1, 3, 8)), path.name


def _chain(n: int, look_alike: bool = False) -> Design:
    """Service i calls i+1 and i+2: the nested walk doubles at each step (cut at the
    limit), every service is reached along many paths; the last calls the first back."""
    ids = [f"s-{i}" for i in range(n)]
    if look_alike:
        ids[3] = "s_2"  # `s-2` and `s_2` look alike
    deps = [{"from": ids[i], "to": ids[j]} for i in range(n) for j in (i + 1, i + 2) if j < n]
    deps.append({"from": ids[-1], "to": ids[0]})
    return Design.model_validate(
        {
            "stratus": 1,
            "name": "chain",
            "services": [{"id": i} for i in ids],
            "dependencies": deps,
            "flows": [
                {"id": "whole", "entry": ids[0]},
                {"id": "tail", "entry": ids[5], "steps": [{"from": ids[5], "to": ids[6]}]},
                {
                    "id": "fan",
                    "entry": ids[1],
                    "steps": [
                        {
                            "parallel": [
                                {"from": ids[1], "to": ids[2]},
                                {"from": ids[1], "to": ids[3]},
                            ]
                        }
                    ],
                },
            ],
        }
    )


@pytest.mark.parametrize("look_alike", [False, True])
def test_a_walk_past_the_limit_is_cut_where_the_plain_walk_cuts(look_alike: bool) -> None:
    design = _chain(30, look_alike)
    got = check(design, (5, 77, 400))
    assert all("more calls not drawn" in d for d in got)


def test_a_realistic_design_draws_the_same_diagrams_with_far_fewer_calls_walked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    design = Design.model_validate(make_data(300))
    flows = sequence.sequence_flows(design)
    walked = {"kept": 0, "plain": 0}
    kept_call, plain_call = sequence._Writer.call, PlainReferenceWriter.call

    def count(which: str, real: Any) -> Any:
        def call(self: Any, *args: Any, **kwargs: Any) -> None:
            walked[which] += 1
            real(self, *args, **kwargs)

        return call

    monkeypatch.setattr(sequence._Writer, "call", count("kept", kept_call))
    monkeypatch.setattr(PlainReferenceWriter, "call", count("plain", plain_call))
    check(design, (50,))
    assert len(flows) > 50
    # kept once per design, copied afterwards (at 1,000 services: 62,586 -> 6,401)
    assert walked["kept"] * 3 < walked["plain"], walked


def test_kept_walks_hold_no_look_alike_id() -> None:
    """`a-b` and `a_b` are drawn hashed apart only in a flow that reaches both: a walk
    that draws either is never kept; the walks below them are."""
    pairs = [
        ("s0", "s1"), ("s1", "s2"), ("s2", "s3"), ("s1", "s3"), ("s3", "s4"), ("s4", "s5"),
        ("s0", "a-b"), ("s2", "a_b"), ("a-b", "s3"), ("a_b", "s4"),
    ]  # fmt: skip
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "look-alikes",
            "services": [{"id": i} for i in ("s0", "s1", "s2", "s3", "s4", "s5", "a-b", "a_b")],
            "dependencies": [{"from": a, "to": b} for a, b in pairs],
            "flows": [
                {"id": "f", "entry": "s1"},
                {"id": "g", "entry": "a_b"},
                {"id": "h", "entry": "s0"},  # reaches both
            ],
        }
    )
    got = check(design, (2, 4))
    assert any("n_a_b_" in d for d in got)  # hashed apart where both are reached
    kept = sequence._fragments(topology_of(design))
    assert {"s3", "s4"} <= set(kept)
    assert all(not {"a-b", "a_b"} & set(f.order) for f in kept.values())
    assert all(not line.startswith(" ") for f in kept.values() for line in f.lines)
