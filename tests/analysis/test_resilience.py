"""RPO/RTO against replication and backups, strong consistency across regions, mTLS and
specific extra-nine hints (issue 14, items 8 and 9): hand-computed cases."""

from __future__ import annotations

from typing import Any

from stratus_tui.core.analysis.recovery import store_recovery
from stratus_tui.core.lint import lint
from stratus_tui.core.lint.findings import Finding
from stratus_tui.core.model import Design
from stratus_tui.core.report import render_report


def ledger(**store: Any) -> dict[str, Any]:
    """payments -> ledger -> ledger-db; RPO 0, RTO 15, strong consistency, mTLS."""
    return {
        "stratus": 1,
        "name": "Ledger",
        "discovery": {
            "requirements": {
                "latency_p99_ms": 400,
                "rpo_minutes": 0,
                "rto_minutes": 15,
                "consistency": "strong",
                "mtls": True,
            }
        },
        "services": [
            {"id": "payments", "runtime": "kubernetes", "replicas": 3, "own_p99_ms": 50},
            {
                "id": "ledger",
                "runtime": "kubernetes",
                "replicas": 3,
                "datastore": "ledger-db",
                "own_p99_ms": 30,
            },
        ],
        "datastores": [
            {"id": "ledger-db", "kind": "postgresql", "replicas": 2, "multi_az": True, **store}
        ],
        "dependencies": [
            {"from": "payments", "to": "ledger", "protocol": "grpc", "timeout_ms": 200}
        ],
    }


def hits(data: dict[str, Any], rule: str) -> list[Finding]:
    return [f for f in lint(Design.model_validate(data)) if f.rule == rule]


def test_rpo_0_across_regions_with_async_replication_is_a_finding() -> None:
    """RPO 0; ledger-db async to a second region: a region failover loses the writes
    still in flight (seconds, assumed under 1 min) > 0 min: rpo-unmet. Strong
    consistency across 2 regions without sync replication: consistency-replication."""
    data = ledger(replication="async", regions=2, backup_interval_minutes=60)
    [rpo] = hits(data, "rpo-unmet")
    assert rpo.component == "ledger-db" and rpo.severity == "error"
    assert "asynchronously across 2 regions" in rpo.message and "RPO is 0 min" in rpo.message
    assert "replication: sync, replicas: 2, regions: 2" in rpo.hint
    [cons] = hits(data, "consistency-replication")
    assert cons.severity == "error" and "replication: async" in cons.message
    # async replicas fail over: back in 2 min (assumed) <= RTO 15
    assert not hits(data, "rto-unmet")
    assert not hits(data, "cross-region-write-latency")


def test_sync_replication_across_regions_meets_rpo_0_and_costs_a_round_trip() -> None:
    """Sync to a second region: RPO 0 met, no finding; each write waits for an
    inter-region round trip (assumed 60-100 ms). The request flow payments -> ledger takes
    50 + 30 = 80 ms of its 400 ms requirement: 320 ms left >= 100 ms, so info."""
    data = ledger(replication="sync", regions=2)
    assert not hits(data, "rpo-unmet")
    assert not hits(data, "consistency-replication")
    assert not hits(data, "recovery-undeclared")
    [write] = hits(data, "cross-region-write-latency")
    assert write.severity == "info"
    assert "assumed 60-100 ms" in write.message and "ledger own p99 30 ms" in write.message
    assert "80 ms of 400 ms, 320 ms left" in write.message
    # 400 -> 150 ms: 80 ms leaves 70 ms, less than the 100 ms worst case: a warning
    data["discovery"]["requirements"]["latency_p99_ms"] = 150
    [tight] = hits(data, "cross-region-write-latency")
    assert tight.severity == "warning"


def test_backups_alone_give_their_interval() -> None:
    """No replication, backups every 60 min: up to 60 min lost; RPO 5 -> rpo-unmet. No
    replica: a restore, assumed 60 min > RTO 15 -> rto-unmet."""
    data = ledger(replication="none", backup_interval_minutes=60)
    data["discovery"]["requirements"]["rpo_minutes"] = 5
    [r] = store_recovery(Design.model_validate(data))
    assert (r.rpo_minutes, r.rto_minutes) == (60, 60)
    [rpo] = hits(data, "rpo-unmet")
    assert "can lose 60 min of writes (backups every 60 min)" in rpo.message
    assert "backup_interval_minutes: 5" in rpo.hint
    [rto] = hits(data, "rto-unmet")
    assert "restore from a backup, assumed" in rto.message and "RTO is 15 min" in rto.message
    # every 5 min meets RPO 5
    data["datastores"][0]["backup_interval_minutes"] = 5
    assert not hits(data, "rpo-unmet")


def test_a_store_that_declares_nothing_cannot_be_checked() -> None:
    data = ledger()
    [undeclared] = hits(data, "recovery-undeclared")
    assert undeclared.component == "ledger-db" and "RPO 0 min, RTO 15 min" in undeclared.message
    assert not hits(data, "rpo-unmet")


def test_mtls_from_protocols_and_a_mesh_that_reaches_kubernetes_only() -> None:
    """mtls: true. payments -> ledger over plain grpc, no mesh: mtls-missing. An accepted
    service-mesh decision covers it (both on kubernetes). Moving ledger to serverless
    takes it out of the mesh (no sidecar): missing again; protocol grpc-mtls covers it."""
    data = ledger(replication="sync")
    [gap] = hits(data, "mtls-missing")
    assert gap.component == "payments" and "no accepted service-mesh decision" in gap.message
    data["decisions"] = [
        {"id": "adr-1", "title": "Mesh", "pattern": "service-mesh", "status": "accepted"}
    ]
    assert not hits(data, "mtls-missing")
    data["services"][1]["runtime"] = "serverless"
    [off] = hits(data, "mtls-missing")
    assert "the mesh (adr-1) has no sidecar on ledger (serverless)" in off.message
    data["dependencies"][0]["protocol"] = "grpc-mtls"
    assert not hits(data, "mtls-missing")
    report = render_report(Design.model_validate(data))
    assert "mTLS required: 1 of 1 service-to-service calls are mutually authenticated" in report


def test_the_report_labels_recovery_times_as_assumed() -> None:
    report = render_report(Design.model_validate(ledger(replication="sync", regions=2)))
    assert "Recovery per store (required: RPO 0 min, RTO 15 min" in report
    assert "| `ledger-db` | postgresql | sync | 2 / 2 |" in report
    assert "meets (assumed)" in report and "failover to a replica 2 min" in report


def test_extra_nine_names_the_specific_change() -> None:
    """listings (3 replicas, 99.99 % own copies assumed) on listings-db, single-AZ with
    2 replicas (99.9 % assumed): 99.99 x 99.9 = 99.89 %. The gateway promises 99.9 %, so
    each dependency should offer 99.99 %. The hint names listings-db's multi_az, not a
    generic "make listings redundant"."""
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "Market",
            "services": [
                {"id": "gateway", "runtime": "managed", "slo": {"availability": 99.9}},
                {
                    "id": "listings",
                    "runtime": "kubernetes",
                    "replicas": 3,
                    "datastore": "listings-db",
                },
            ],
            "datastores": [
                {"id": "listings-db", "kind": "postgresql", "replicas": 2, "multi_az": False}
            ],
            "dependencies": [{"from": "gateway", "to": "listings", "timeout_ms": 100}],
        }
    )
    [hit] = [f for f in lint(design) if f.rule == "extra-nine" and f.component == "gateway"]
    assert "listings 99.89 %" in hit.message
    assert hit.hint == (
        "listings (3 copies across zones, 99.99 % assumed) is held at 99.89 % by "
        "listings-db (99.9 %): listings-db is single-AZ: multi_az: true gives 99.95 % "
        "(assumed)"
    )
    assert "redundant" not in hit.hint
