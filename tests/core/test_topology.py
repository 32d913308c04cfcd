"""The one topology of a design, and the sync-chain figure facts and analysis share.

`design.longest_sync_chain` (pattern fact) and `Analysis.longest_sync_chain` must be the
same number: synchronous calls in a row between processes (services, externals), store
access not counted, each member of a cycle counted once. The oracle below computes that
definition independently with networkx from the analysis graph.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis import analyse, build_graph
from stratus_tui.core.diagram import build_graph as diagram_graph
from stratus_tui.core.export.topology import build_topology as export_topology
from stratus_tui.core.model import Design
from stratus_tui.core.patterns.facts import facts_of
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.topology import Call, StoreLink, topology_of
from tests.support.design_strategies import designs

ROOT = Path(__file__).resolve().parents[2]


def oracle_chain(design: Design) -> int:
    """The documented definition, by networkx over the analysis graph: process calls only,
    a strongly connected group weighs its member count, minus one for calls not nodes."""
    graph = build_graph(design)
    procs = {n for n, kind in graph.nodes(data="kind") if kind in ("service", "external")}
    sync = nx.DiGraph()
    sync.add_edges_from(
        (u, v)
        for u, v, d in graph.edges(data=True)
        if d["mode"] == "sync" and d["origin"] == "dependency" and u in procs and v in procs
    )
    if not sync:
        return 0
    cond = nx.condensation(sync)
    best: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(cond))):
        below = max((best[s] for s in cond.successors(c)), default=0)
        best[c] = len(cond.nodes[c]["members"]) + below
    return max(best.values()) - 1


def make(
    deps: list[tuple[str, str, str]],
    services: int = 6,
    owned: dict[str, str] | None = None,
) -> Design:
    """Services s0.., stores db0/db1, externals x0/x1; `owned` maps a service to its store."""
    owned = owned or {}
    return Design.model_validate(
        {
            "name": "t",
            "services": [
                {"id": f"s{i}", **({"datastore": owned[f"s{i}"]} if f"s{i}" in owned else {})}
                for i in range(services)
            ],
            "datastores": [{"id": "db0", "kind": "postgresql"}, {"id": "db1", "kind": "redis"}],
            "externals": [{"id": "x0"}, {"id": "x1"}],
            "dependencies": [{"from": a, "to": b, "mode": m} for a, b, m in deps],
        }
    )


def both(design: Design) -> tuple[int, int]:
    """(the pattern fact, the analysis figure)."""
    fact = facts_of(design)["design.longest_sync_chain"]
    assert isinstance(fact, int)
    return fact, analyse(design).longest_sync_chain


# ---------------------------------------------------------------- the disagreement, pinned


def test_iot_telemetry_store_link_is_not_a_call() -> None:
    """enricher → registry is one process call; registry's own device-db is store access.
    The analysis graph's longest sync path was 2 (it walked into device-db), the fact 1."""
    design = load_design(sample_path("iot-telemetry"))
    assert both(design) == (1, 1)
    sync = nx.DiGraph(
        (u, v, d) for u, v, d in build_graph(design).edges(data=True) if d["mode"] == "sync"
    )
    assert nx.dag_longest_path_length(sync) == 2  # the hop the chain definition leaves out
    assert analyse(design).longest_chain is not None


def test_declared_store_access_is_not_a_call_either() -> None:
    """payments-ledger: edge → payments → fraud is 2 calls; fraud → fraud-features (a
    declared sync read of a redis store) is store access. The fact used to say 3."""
    assert both(load_design(sample_path("payments-ledger"))) == (2, 2)


def test_every_bundled_sample_agrees() -> None:
    names = sample_names()
    assert {"checkout", "iot-telemetry", "payments-ledger"} <= set(names)
    for name in names:
        design = load_design(sample_path(name))
        fact, analysed = both(design)
        assert fact == analysed == oracle_chain(design), name
        assert facts_of(design)["design.sync_cycle"] is bool(analyse(design).cycles), name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_generated_designs_agree(design: Design) -> None:
    fact, analysed = both(design)
    assert fact == analysed == oracle_chain(design)
    assert facts_of(design)["design.sync_cycle"] is bool(analyse(design).cycles)


ENDS = [f"s{i}" for i in range(6)] + ["db0", "db1", "x0", "x1"]
dense = st.lists(
    st.tuples(st.sampled_from(ENDS[:6]), st.sampled_from(ENDS), st.sampled_from(["sync", "async"])),
    max_size=18,
    unique=True,
).map(lambda edges: [e for e in edges if e[0] != e[1]])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense, st.dictionaries(st.sampled_from(ENDS[:6]), st.sampled_from(["db0", "db1"])))
def test_dense_call_graphs_with_cycles_agree(
    deps: list[tuple[str, str, str]], owned: dict[str, str]
) -> None:
    design = make(deps, owned=owned)
    fact, analysed = both(design)
    assert fact == analysed == oracle_chain(design)
    assert facts_of(design)["design.sync_cycle"] is bool(analyse(design).cycles)


# ---------------------------------------------------------------- definitions by hand


def test_a_cycle_counts_each_member_once() -> None:
    """s0 → s1 → s2 → s0 is one group of 3; with s2 → s3 → x0 the run has 5 processes:
    4 calls. Store calls (s3 → db0) and async calls (x0 is not re-entered) add nothing."""
    design = make(
        [
            ("s0", "s1", "sync"),
            ("s1", "s2", "sync"),
            ("s2", "s0", "sync"),
            ("s2", "s3", "sync"),
            ("s3", "x0", "sync"),
            ("s3", "db0", "sync"),
            ("s3", "s4", "async"),
        ]
    )
    topo = topology_of(design)
    assert topo.longest_sync_chain == 4
    assert topo.has_sync_cycle is True
    assert both(design) == (4, 4)


def test_async_only_and_empty_designs_have_no_chain() -> None:
    assert topology_of(make([])).longest_sync_chain == 0
    design = make([("s0", "s1", "async"), ("s1", "x0", "async")])
    assert topology_of(design).longest_sync_chain == 0
    assert topology_of(design).has_sync_cycle is False


def test_long_chain_is_not_recursive() -> None:
    """Deeper than Python's recursion limit: the strongly connected pass is iterative."""
    n = 3000
    design = Design.model_validate(
        {
            "name": "deep",
            "services": [{"id": f"s{i}"} for i in range(n)],
            "dependencies": [{"from": f"s{i}", "to": f"s{i + 1}"} for i in range(n - 1)],
        }
    )
    assert topology_of(design).longest_sync_chain == n - 1


def test_store_links_are_kept_apart_from_calls() -> None:
    design = make([("s0", "db0", "async"), ("s0", "x0", "sync")], owned={"s0": "db0"})
    topo = topology_of(design)
    assert topo.store_links == (StoreLink("s0", "db0"),)
    assert [(c.source, c.target) for c in topo.calls] == [("s0", "db0"), ("s0", "x0")]
    assert [c.target for c in topo.process_calls] == ["x0"]
    # the analysis still sees the owned store as used on the request path
    edge = build_graph(design).edges["s0", "db0"]
    assert (edge["mode"], edge["also_async"], edge["origin"]) == ("sync", True, "dependency")


def test_unknown_references_stay_in_calls_but_out_of_the_graph() -> None:
    """Mid-edit designs: validation reports the bad id; every consumer still works."""
    design = Design.model_validate(
        {
            "name": "t",
            "services": [{"id": "a", "datastore": "gone"}],
            "externals": [{"id": "x0"}],
            "dependencies": [{"from": "s0", "to": "x0"}, {"from": "a", "to": "ghost"}],
        }
    )
    topo = topology_of(design)
    assert [c.target for c in topo.calls] == ["x0", "ghost"]
    assert topo.store_links == ()
    assert topo.longest_sync_chain == 0
    assert set(build_graph(design).edges) == set()
    assert "ghost" in {n.id for n in export_topology(design).all_nodes()}
    assert diagram_graph(design).edges == ()


def test_contexts_and_titles() -> None:
    design = Design.model_validate(
        {
            "name": "t",
            "services": [
                {"id": "a", "context": "sales"},
                {"id": "b", "context": " sales "},
                {"id": "c", "context": "billing"},
                {"id": "d"},
            ],
            "event_storming": {"contexts": [{"id": "sales", "name": "Sales"}]},
        }
    )
    topo = topology_of(design)
    assert [(c.id, c.title, c.services) for c in topo.contexts] == [
        ("sales", "Sales", ("a", "b")),
        ("billing", "billing", ("c",)),
    ]


# ---------------------------------------------------------------- built once, light


def test_built_once_per_design_and_never_keeps_it_alive() -> None:
    design = load_design(sample_path("checkout"))
    topo = topology_of(design)
    assert topology_of(design) is topo
    # the exporters, the diagram, the facts and the analysis all read this one object
    facts_of(design)
    analyse(design)
    export_topology(design)
    diagram_graph(design)
    assert topology_of(design) is topo
    edited = design.model_copy(update={"dependencies": design.dependencies[:1]})
    assert topology_of(edited) is not topo
    assert len(topology_of(edited).calls) == 1
    ref = weakref.ref(design)
    del design, edited
    gc.collect()
    assert ref() is None  # the cache holds the topology, not the design
    assert len(topo.calls) > 1  # and the topology outlives it as plain data


def test_importing_topology_and_facts_loads_no_networkx() -> None:
    code = (
        "import json, sys\n"
        "import stratus_tui.core.topology, stratus_tui.core.patterns.facts\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded: Any = json.loads(out.stdout.strip().splitlines()[-1])
    assert "stratus_tui" in loaded
    assert "networkx" not in loaded


def test_calls_keep_their_file_position() -> None:
    design = make([("s1", "s2", "sync"), ("s0", "s1", "async")])
    assert topology_of(design).calls[1] == Call(
        1, "s0", "s1", "async", None, None, None, None, None
    )


def test_import_layers_hold() -> None:
    """The contracts in pyproject's [tool.importlinter] (also run by scripts/test.sh)."""
    tool = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run(
        [str(tool), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout
