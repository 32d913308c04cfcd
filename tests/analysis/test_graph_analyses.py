"""Graph analyses on small hand-computed graphs: graph build, SPOFs, cycles, blast radius,
hot spots, datastores and unprotected calls."""

from __future__ import annotations

import pytest

from stratus_tui.core.analysis import build_graph
from stratus_tui.core.analysis.blast import blast_radius
from stratus_tui.core.analysis.calls import call_gaps
from stratus_tui.core.analysis.cycles import sync_cycles
from stratus_tui.core.analysis.datastores import store_usage
from stratus_tui.core.analysis.graph import sync_graph
from stratus_tui.core.analysis.hotspots import hotspots
from stratus_tui.core.analysis.spof import chokepoints, find_spofs, replica_spofs
from stratus_tui.core.model import Design

from .designs import build, clean, graph_design, mutate, service, svc


def test_graph_has_every_component_and_edge_attributes() -> None:
    g = build_graph(build(clean()))
    assert {n: g.nodes[n]["kind"] for n in g} == {
        "api": "service",
        "worker": "service",
        "api-db": "datastore",
        "psp": "external",
    }
    assert g.edges["api", "psp"]["mode"] == "sync"
    assert g.edges["api", "psp"]["timeout_ms"] == 300
    assert g.edges["api", "psp"]["circuit_breaker"] is True
    assert g.edges["api", "worker"]["mode"] == "async"
    # a service's own datastore is a synchronous edge
    assert g.edges["api", "api-db"]["mode"] == "sync"
    assert g.edges["api", "api-db"]["origin"] == "datastore"
    assert set(sync_graph(g).edges) == {("api", "psp"), ("api", "api-db")}


def test_sync_and_async_between_the_same_pair_keep_the_sync_edge() -> None:
    d = graph_design([("a", "b", "async"), ("a", "b", "sync")])
    edge = build_graph(d).edges["a", "b"]
    assert edge["mode"] == "sync"
    assert edge["also_async"] is True


def test_replica_spofs_follow_the_rules() -> None:
    def edit(data: dict) -> None:
        data["services"].append({"id": "vm1", "runtime": "vm", "replicas": 1})
        data["services"].append({"id": "fn", "runtime": "serverless", "replicas": 1})
        data["services"].append({"id": "lonely", "replicas": 1})  # on no sync path
        data["services"].append({"id": "unknown"})
        data["datastores"].append({"id": "single", "replicas": 1, "multi_az": True})
        data["dependencies"] += [
            {"from": "api", "to": "vm1", "timeout_ms": 1},
            {"from": "api", "to": "fn", "timeout_ms": 1},
            {"from": "api", "to": "unknown", "timeout_ms": 1},
            {"from": "vm1", "to": "single"},
        ]

    d = mutate(edit)
    spofs = {
        (s.component, s.cause, s.severity) for s in replica_spofs(d, sync_graph(build_graph(d)))
    }
    assert spofs == {
        ("vm1", "replicas", "error"),
        ("unknown", "undeclared", "warning"),
        ("single", "replicas", "error"),
    }


def test_chokepoints_only_count_articulation_points_that_split_services() -> None:
    # a - hub - b, and each of a, hub, b owns a store hanging off it
    d = graph_design(
        [
            ("a", "hub", "sync"),
            ("hub", "b", "sync"),
            ("a", "da", "sync"),
            ("hub", "dh", "sync"),
            ("b", "db", "sync"),
        ],
        da="datastore",
        dh="datastore",
        db="datastore",
    )
    # removing hub leaves {a, da} and {b, db}: two groups with a service
    assert chokepoints(sync_graph(build_graph(d))) == [("hub", 2)]
    # close the ring a - b: hub is no longer an articulation point between services
    d2 = graph_design(
        [("a", "hub", "sync"), ("hub", "b", "sync"), ("a", "b", "sync"), ("a", "da", "sync")],
        da="datastore",
    )
    assert chokepoints(sync_graph(build_graph(d2))) == []


def test_shared_store_is_a_chokepoint_between_its_users() -> None:
    d = graph_design([("a", "s", "sync"), ("b", "s", "sync")], s="datastore")
    assert chokepoints(sync_graph(build_graph(d))) == [("s", 2)]
    # find_spofs lists a component once: here for its undeclared replicas first
    spofs = find_spofs(d, sync_graph(build_graph(d)))
    assert [s.cause for s in spofs if s.component == "s"] == ["undeclared"]


def test_each_sync_cycle_reported_once_from_its_smallest_id() -> None:
    d = graph_design(
        [
            ("c", "a", "sync"),
            ("a", "b", "sync"),
            ("b", "c", "sync"),  # a -> b -> c -> a
            ("b", "d", "sync"),
            ("d", "b", "sync"),  # b <-> d
            ("x", "y", "sync"),
            ("y", "x", "async"),  # not a sync cycle
        ]
    )
    cycles = sync_cycles(sync_graph(build_graph(d)))
    assert [c.path for c in cycles] == [("b", "d"), ("a", "b", "c")]
    assert cycles[1].text() == "a → b → c → a"
    assert all(c.group_size == 4 for c in cycles)


def test_blast_radius_fails_over_sync_and_degrades_over_async() -> None:
    # web -> api -> db (sync); api -> queue (async) ; worker -> db (sync) ; cron -> web (async)
    d = graph_design(
        [
            ("web", "api", "sync"),
            ("api", "db", "sync"),
            ("api", "queue", "async"),
            ("worker", "db", "sync"),
            ("cron", "web", "async"),
        ],
        db="datastore",
        queue="datastore",
    )
    g = build_graph(d)
    radius = {b.component: b for b in blast_radius(g, sync_graph(g))}
    assert radius["db"].fails == {"api", "web", "worker"}
    assert radius["db"].degrades == {"cron"}
    assert radius["db"].services_failed == 3
    assert radius["queue"].fails == frozenset()
    assert radius["queue"].degrades == {"api", "web", "cron"}
    assert radius["cron"].fails == frozenset() and radius["cron"].degrades == frozenset()
    ranked = [b.component for b in blast_radius(g, sync_graph(g))]
    assert ranked[0] == "db"  # largest fails set first


def test_blast_radius_inside_a_cycle_includes_the_other_members() -> None:
    d = graph_design([("a", "b", "sync"), ("b", "a", "sync"), ("c", "a", "sync")])
    g = build_graph(d)
    radius = {b.component: b for b in blast_radius(g, sync_graph(g))}
    assert radius["a"].fails == {"b", "c"}
    assert radius["b"].fails == {"a", "c"}


def test_hotspots_count_distinct_sync_neighbours() -> None:
    edges = [(f"s{i}", "hub", "sync") for i in range(5)] + [("s0", "q", "async")]
    d = graph_design(edges, q="datastore")
    spots = hotspots(sync_graph(build_graph(d)))
    assert [(h.component, h.direction, h.count) for h in spots] == [("hub", "fan-in", 5)]
    assert hotspots(sync_graph(build_graph(d)), fan_in=6) == []


def test_store_usage_contexts_and_writers() -> None:
    def edit(data: dict) -> None:
        svc(data, "worker")["context"] = "billing"
        data["dependencies"].append({"from": "worker", "to": "api-db", "label": "Reads orders"})

    use = {u.store: u for u in store_usage(mutate(edit))}["api-db"]
    assert use.users == ("api", "worker")
    assert use.contexts == ("billing", "shop")
    assert use.writers == ("api",)
    assert use.shared_across_contexts


@pytest.mark.parametrize(
    ("label", "writes"),
    [
        ("range query", False),  # the IoT dashboard API: a query is a read
        ("look up device thresholds", False),
        ("GET /orders", False),
        ("write point", True),
        ("read and update balance", True),
        ("sync", True),  # says nothing: assumed to write
        (None, True),
    ],
)
def test_store_writers_from_dependency_labels(label: str | None, writes: bool) -> None:
    def edit(data: dict) -> None:
        data["dependencies"].append({"from": "worker", "to": "api-db", "label": label})

    use = {u.store: u for u in store_usage(mutate(edit))}["api-db"]
    assert ("worker" in use.writers) is writes


def test_call_gaps_only_for_boundary_calls_and_retries() -> None:
    def edit(data: dict) -> None:
        svc(data, "worker")["context"] = "billing"
        data["dependencies"] += [
            {"from": "worker", "to": "api"},  # cross-context: both gaps
            {"from": "api", "to": "api-db", "retries": 3},  # retry storm
        ]
        svc(data, "api")["datastore"] = None

    gaps = {(g.caller, g.target, g.gap) for g in call_gaps(mutate(edit))}
    assert gaps == {
        ("worker", "api", "timeout"),
        ("worker", "api", "circuit-breaker"),
        ("api", "api-db", "retry-without-timeout"),
    }


def test_a_multi_az_managed_store_without_a_replica_count_is_not_a_spof() -> None:
    # DynamoDB, S3, Timestream: multi-AZ by construction, nothing to count as replicas
    def edit(data: dict) -> None:
        data["datastores"] += [
            {"id": "managed", "kind": "dynamodb", "multi_az": True},
            {"id": "unsaid", "kind": "postgresql"},
        ]
        data["dependencies"] += [
            {"from": "api", "to": "managed", "timeout_ms": 1},
            {"from": "api", "to": "unsaid", "timeout_ms": 1},
        ]

    d = mutate(edit)
    spofs = {(s.component, s.cause) for s in replica_spofs(d, sync_graph(build_graph(d)))}
    assert ("managed", "undeclared") not in spofs and ("managed", "replicas") not in spofs
    assert ("unsaid", "undeclared") in spofs


def test_a_replicated_chokepoint_is_info_not_a_single_point_of_failure() -> None:
    # gateway -> hub -> b: hub is the only link, but with 3 replicas it is no single copy
    def design(replicas: int) -> Design:
        return build(
            {
                "stratus": 1,
                "name": "x",
                "services": [
                    service("gw", runtime="managed"),
                    service("hub", replicas=replicas),
                    service("b"),
                ],
                "dependencies": [
                    {"from": "gw", "to": "hub", "timeout_ms": 1},
                    {"from": "hub", "to": "b", "timeout_ms": 1},
                ],
            }
        )

    d = design(3)
    hub = [s for s in find_spofs(d, sync_graph(build_graph(d))) if s.component == "hub"]
    assert [(s.cause, s.severity, s.single_copy) for s in hub] == [("chokepoint", "info", False)]
    d1 = design(1)
    hub1 = [s for s in find_spofs(d1, sync_graph(build_graph(d1))) if s.component == "hub"]
    assert [(s.cause, s.severity) for s in hub1] == [("replicas", "error")]
