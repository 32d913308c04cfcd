"""Which flows a component takes down, from bit sets (issue 21): the report's blast table
walked every flow's whole reach (flows x reach, 22 % of the report at 1,000 services);
each component's hard reach is now computed once and a flow walks only its own steps.
The answer is the plain walk's on random designs."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis import analyse
from stratus_tui.core.analysis.availability import Composition
from stratus_tui.core.flows import RequestFlow
from stratus_tui.core.model import Design

SERVICES = [f"s{i}" for i in range(7)]
OTHERS = ["d0", "d1", "e0"]


def walk(comp: Composition, flow: RequestFlow) -> set[str]:
    """A flow's `fails` by the walk the bit sets replaced."""
    seen: set[str] = set()
    work = [flow.entry]
    while work:
        node = work.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in comp.services:
            if node in flow.detailed or node == flow.entry:
                work.extend(comp._flow_targets(flow, node))
            else:
                work.extend(comp.hard_targets(node))
    return seen


pairs = st.tuples(st.sampled_from(SERVICES), st.sampled_from(SERVICES + OTHERS)).filter(
    lambda p: p[0] != p[1]
)
calls = st.lists(
    st.tuples(pairs, st.sampled_from(["sync", "sync", "async"]), st.booleans()),
    max_size=18,
    unique_by=lambda c: c[0],
)


@settings(max_examples=100, deadline=None)
@given(calls, st.lists(st.integers(0, 17), max_size=6), st.sampled_from(SERVICES))
def test_flows_failed_by_is_the_plain_walk(
    deps: list[tuple[tuple[str, str], str, bool]], picks: list[int], entry: str
) -> None:
    data: dict[str, Any] = {
        "stratus": 1,
        "name": "random",
        "services": [
            {"id": s, **({"datastore": "d0"} if i % 3 == 0 else {})} for i, s in enumerate(SERVICES)
        ],
        "datastores": [{"id": "d0"}, {"id": "d1"}],
        "externals": [{"id": "e0"}],
        "dependencies": [
            {
                "from": a,
                "to": b,
                "mode": mode,
                **({"circuit_breaker": True, "fallback": "cached"} if soft else {}),
            }
            for (a, b), mode, soft in deps
        ],
    }
    steps = [{"from": deps[i][0][0], "to": deps[i][0][1]} for i in picks if i < len(deps)]
    if steps:  # one declared flow with some of the calls as its steps
        data["flows"] = [{"id": "journey", "entry": steps[0]["from"], "steps": steps}]
    else:
        data["flows"] = [{"id": "journey", "entry": entry}]
    a = analyse(Design.model_validate(data))
    everything = sorted(a.composition.components)
    got = a.flows_failed_by(everything)
    for c in everything:
        assert got[c] == [f.id for f in a.flows if c in walk(a.composition, f)]
    for f in a.flows:
        assert a.flow_blast(f).fails == walk(a.composition, f)
