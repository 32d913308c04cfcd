"""Blast radius: what fails and what degrades when one component goes down.

`fails` is everything that reaches the component over synchronous edges only (reverse
reachability in the sync graph): a caller waiting on a dead dependency fails with it.
`degrades` is everything else that reaches it once asynchronous edges are allowed: a
producer whose consumer is down sees backlog and staleness, not errors. Reachability is
computed once per strongly connected component with integers as bit sets, so the whole
pass is near-linear.
"""

from __future__ import annotations

from typing import Any

from ..identity_cache import IdentityCache
from ..topology import strongly_connected


class BlastRadius:
    """The blast radius of one component.

    The sets are held as bit sets and turned into names on first use: a report needs
    a handful of them, and materialising all of a 10,000-node design's would be quadratic.
    """

    __slots__ = ("_degrade_bits", "_fail_bits", "_nodes", "component", "kind", "services_failed")

    def __init__(
        self,
        component: str,
        kind: str,
        fail_bits: int,
        degrade_bits: int,
        nodes: list[str],
        service_bits: int,
    ) -> None:
        self.component = component
        self.kind = kind
        self._fail_bits = fail_bits
        self._degrade_bits = degrade_bits
        self._nodes = nodes
        self.services_failed = (fail_bits & service_bits).bit_count()
        """How many of `fails` are services."""

    @property
    def fails(self) -> frozenset[str]:
        """Components that fail with this one (they reach it over sync edges only)."""
        return _names(self._fail_bits, self._nodes)

    @property
    def degrades(self) -> frozenset[str]:
        """Components that degrade (they reach it only through an async edge)."""
        return _names(self._degrade_bits, self._nodes)

    @property
    def fails_count(self) -> int:
        """len(fails), without building the set."""
        return self._fail_bits.bit_count()

    @property
    def degrades_count(self) -> int:
        """len(degrades), without building the set."""
        return self._degrade_bits.bit_count()

    def __repr__(self) -> str:
        return (
            f"BlastRadius({self.component!r}, fails={sorted(self.fails)}, "
            f"degrades={sorted(self.degrades)})"
        )


def _ancestor_bits(graph: Any, index: dict[str, int]) -> dict[str, int]:
    """For each node, the bit set of the other nodes that can reach it."""
    pred = {n: list(graph.pred[n]) for n in graph}
    # groups of the reversed graph close callers first: a group's callers are known
    group_of, members = strongly_connected(pred)
    reach: list[int] = []
    for g, group in enumerate(members):
        bits = 0  # inside a cycle every member reaches every other
        for n in group:
            bits |= 1 << index[n]
            for p in pred[n]:
                if group_of[p] != g:
                    bits |= reach[group_of[p]]
        reach.append(bits)
    return {n: reach[group_of[n]] & ~(1 << index[n]) for n in graph}


def _names(bits: int, nodes: list[str]) -> frozenset[str]:
    out: list[str] = []
    while bits:
        low = bits & -bits
        out.append(nodes[low.bit_length() - 1])
        bits ^= low
    return frozenset(out)


def blast_radius(graph: Any, sync: Any) -> list[BlastRadius]:
    """Blast radius of every component, largest first (fails, then degrades, then id)."""
    nodes = sorted(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    fail_bits = _ancestor_bits(sync, index)
    all_bits = _ancestor_bits(graph, index)
    service_bits = 0
    for n in nodes:
        if graph.nodes[n]["kind"] == "service":
            service_bits |= 1 << index[n]
    out = []
    for n in nodes:
        fails = fail_bits[n]
        out.append(
            BlastRadius(n, graph.nodes[n]["kind"], fails, all_bits[n] & ~fails, nodes, service_bits)
        )
    return sorted(out, key=lambda b: (-b.fails_count, -b.degrades_count, b.component))


class FlowBlast:
    """What takes one request flow down (`fails`) and what only degrades it.

    `fails`: the components the flow needs on every request: its entry, each hard step's
    target and everything those need in turn (through the flow's own steps where it
    lists them). `degrades`: the targets of soft steps (a circuit breaker with a
    fallback) and of asynchronous steps, and what they need, unless already in `fails`.
    A component the flow never touches is in neither: a PSP outage does not fail browse.
    """

    __slots__ = ("degrades", "fails", "flow")

    def __init__(self, flow: str, fails: frozenset[str], degrades: frozenset[str]) -> None:
        self.flow = flow
        self.fails = fails
        self.degrades = degrades

    def __repr__(self) -> str:
        fails, degrades = sorted(self.fails), sorted(self.degrades)
        return f"FlowBlast({self.flow!r}, fails={fails}, degrades={degrades})"


class _HardReach:
    """What every component needs on every request (itself, its own store, its hard
    calls and theirs in turn), as a bit set, for one composition: a flow's walk takes a
    hop outside the flow's own steps whole instead of walking below it again."""

    def __init__(self, comp: Any) -> None:
        ids = sorted(comp.components)
        self.ids = ids
        self.bit = {n: 1 << i for i, n in enumerate(ids)}
        adj = {n: comp.hard_targets(n) if n in comp.services else [] for n in ids}
        group_of, members = strongly_connected(adj)
        reach: list[int] = []
        for g, group in enumerate(members):  # callees first: their reach is known
            bits = 0
            for m in group:
                bits |= self.bit[m]
                for t in adj[m]:
                    if group_of[t] != g:
                        bits |= reach[group_of[t]]
            reach.append(bits)
        self.closure = {n: reach[group_of[n]] for n in ids}


_REACH: IdentityCache[Any, _HardReach] = IdentityCache(_HardReach)


def _fail_bits(comp: Any, flow: Any) -> int:
    """The components `flow` needs on every request, as a bit set of `_HardReach`."""
    reach = _REACH(comp)
    own = reach.bit[flow.entry]
    for n in flow.detailed:
        own |= reach.bit.get(n, 0)
    bits = 0
    seen: set[str] = set()
    work = [flow.entry]
    while work:
        node = work.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in comp.services and (node in flow.detailed or node == flow.entry):
            bits |= reach.bit[node]
            work.extend(comp._flow_targets(flow, node))
        elif not reach.closure[node] & own:
            bits |= reach.closure[node]  # nothing below it follows the flow's own steps
        else:
            bits |= reach.bit[node]
            if node in comp.services:
                work.extend(comp.hard_targets(node))
    return bits


def flows_failed_by(comp: Any, flows: Any, components: Any) -> dict[str, list[str]]:
    """For each of `components`, the ids of the `flows` it takes down, in flow order."""
    reach = _REACH(comp)
    wanted = {c: reach.bit[c] for c in components if c in reach.bit}
    out: dict[str, list[str]] = {c: [] for c in wanted}
    for flow in flows:
        bits = _fail_bits(comp, flow)
        for c, bit in wanted.items():
            if bits & bit:
                out[c].append(flow.id)
    return out


def flow_blast(comp: Any, flow: Any) -> FlowBlast:
    """The blast radius of one flow (`comp` is an `availability.Composition`)."""
    from ..flows import calls_from
    from .availability import is_soft

    def needs(starts: list[str]) -> set[str]:
        seen: set[str] = set()
        work = list(starts)
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

    fails = set(_names(_fail_bits(comp, flow), _REACH(comp).ids))
    loose: list[str] = []
    for node in fails:
        if node not in comp.services:
            continue
        stages = (
            flow.stages_from(comp.topo, node)
            if node in flow.detailed or node == flow.entry
            else [(c,) for c in calls_from(comp.topo, node)]
        )
        for stage in stages:
            for c in stage:
                if not c.sync or is_soft(c, comp.fallbacks):
                    loose.append(c.target)
    degrades = needs(loose) - fails if loose else set()
    return FlowBlast(flow.id, frozenset(fails), frozenset(degrades))
