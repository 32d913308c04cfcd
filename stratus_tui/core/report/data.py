"""Report, in Reliability Risks: recovery per store against the RPO/RTO, and mTLS.

Figures come from `recovery.py`; each assumed one is labelled in the table or named in
the line under it.
"""

from __future__ import annotations

import math

from ..analysis.analyse import Analysis
from ..analysis.recovery import (
    ASSUMED_ASYNC_LAG_MIN,
    ASSUMED_FAILOVER_MIN,
    ASSUMED_RESTORE_MIN,
    INTER_REGION_RTT_MS,
    mesh_decision,
    mtls_calls,
    store_recovery,
)
from ..model import Design
from .markdown import code, codes, shown, table


def _minutes(value: float | None, infinite: str) -> str:
    if value is None:
        return "unknown"
    if math.isinf(value):
        return infinite
    return "0" if value == 0 else f"{value:g} min"


def _status(value: float | None, target: float | None, suffix: str = "") -> str:
    if target is None:
        return "—"
    if value is None:
        return "**unknown**"
    return ("meets" if value <= target + 1e-9 else "**misses**") + suffix


def recovery(design: Design, a: Analysis) -> list[str]:
    """The recovery table (when the design states an RPO or RTO, or a store declares
    replication or backups), strong consistency across regions, and mTLS coverage."""
    del a  # the section reads the design's own declarations
    req = design.discovery.requirements
    out: list[str] = []
    stores = store_recovery(design)
    declares = any(
        d.replication is not None or d.backup_interval_minutes is not None
        for d in design.datastores
    )
    if stores and (req.rpo_minutes is not None or req.rto_minutes is not None or declares):
        rpo = "—" if req.rpo_minutes is None else f"{req.rpo_minutes:g} min"
        rto = "—" if req.rto_minutes is None else f"{req.rto_minutes:g} min"
        out.append(
            f"Recovery per store (required: RPO {rpo}, RTO {rto}; worst case on losing "
            "the store's primary copy):"
        )
        out.append("")
        rows = [
            [
                code(r.store),
                r.kind,
                r.replication,
                f"{r.copies} / {r.regions}",
                "—" if r.backup_minutes is None else f"every {r.backup_minutes:g} min",
                f"{_minutes(r.rpo_minutes, 'everything')} ({r.rpo_basis})",
                _status(
                    r.rpo_minutes,
                    req.rpo_minutes,
                    " (assumed)" if r.replication == "platform" else "",
                ),
                f"{_minutes(r.rto_minutes, 'never')} ({r.rto_basis})",
                _status(r.rto_minutes, req.rto_minutes, " (assumed)"),
            ]
            for r in shown(stores)
        ]
        out.append(
            table(
                [
                    "Store",
                    "Kind",
                    "Replication",
                    "Copies / regions",
                    "Backups",
                    "Data lost",
                    "RPO",
                    "Back in",
                    "RTO",
                ],
                rows,
                "stores",
                len(stores),
            )
        )
        out.append("")
        out.append(
            f"Assumed: async replication lag under {ASSUMED_ASYNC_LAG_MIN:g} min; failover "
            f"to a replica {ASSUMED_FAILOVER_MIN:g} min; restore from a backup "
            f"{ASSUMED_RESTORE_MIN:g} min; a platform store (S3, DynamoDB, Kinesis ...) "
            "writes each change to several zones and fails over on its own. Recovery "
            "times are never declared, so every 'Back in' figure is assumed."
        )
        out.append("")
    if req.consistency == "strong":
        spread = [d for d in design.datastores if (d.regions or 1) >= 2]
        if spread:
            low, high = INTER_REGION_RTT_MS
            parts = [
                f"{code(d.id)} ({d.regions} regions, replication {d.replication or 'undeclared'})"
                for d in spread
            ]
            out.append(
                f"Strong consistency across regions: {', '.join(parts)}. Only sync "
                f"replication keeps it, and then every write waits for a cross-region round "
                f"trip (assumed {low:g}-{high:g} ms between distant regions)."
            )
            out.append("")
    if req.mtls:
        calls = mtls_calls(design)
        covered = [m for m in calls if m.covered_by is not None]
        gaps = [m for m in calls if m.covered_by is None]
        mesh = mesh_decision(design)
        how = (
            f"by a protocol that says mTLS or the service mesh of {code(mesh)}, which "
            "reaches kubernetes services only (assumed: no sidecar elsewhere)"
            if mesh
            else "by a protocol that says mTLS; no accepted service-mesh decision"
        )
        line = (
            f"mTLS required: {len(covered)} of {len(calls)} service-to-service calls are "
            f"mutually authenticated, {how}."
        )
        if gaps:
            line += " Not: " + codes([f"{m.call.source} → {m.call.target}" for m in gaps]) + "."
        out.append(line)
        out.append("")
    while out and not out[-1]:
        out.pop()  # the report puts the blank line between sections
    return out
