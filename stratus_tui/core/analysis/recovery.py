"""Recovery, consistency and mutual TLS, from what the design declares (issue 14, item 8).

**Recovery point** (worst-case data lost when a store's primary copy is lost), per store
that may hold written data: some service owns it, calls it synchronously with a label
that is not only a read, or links to it asynchronously (the design cannot tell a
publisher from a consumer there, so both count as users):

* `replication: sync` with another copy (replicas >= 2 or regions >= 2): 0 — a write is
  on a second copy before it is acknowledged;
* `replication: async` with another copy: the writes still in flight, seconds; assumed
  under `ASSUMED_ASYNC_LAG_MIN` (1 min). Across regions that is what a region failover
  loses, so RPO 0 across regions needs sync;
* otherwise, backups every B minutes (`backup_interval_minutes`): up to B minutes;
* `replication: none` and no backups: no recovery point at all;
* neither declared: unknown (the `recovery-undeclared` rule asks for it), unless the
  kind is a platform store (`PLATFORM_STORE_KINDS`: S3, DynamoDB, Kinesis ...), which is
  assumed to write every change to several zones before acknowledging it (0).

**Recovery time**, all assumed (the design has no field for them): failover to a
replica `ASSUMED_FAILOVER_MIN` (2 min, automatic promotion of a managed replica),
restore from a backup `ASSUMED_RESTORE_MIN` (60 min, grows with the data), a platform
store fails over on its own (0).

**Strong consistency across regions**: a store in >= 2 regions is strongly consistent
only with sync replication, and then every write waits for one inter-region round trip,
assumed `INTER_REGION_RTT_MS` (60-100 ms between distant regions; neighbouring regions
are nearer 10 ms: measure yours).

**mTLS**: with `requirements.mtls`, a service-to-service call is mutually authenticated
when its protocol says so (`mtls`, `mutual`) or an accepted `service-mesh` decision
covers both ends; a mesh's sidecars reach only services on kubernetes (assumed: a
serverless, managed or VM runtime has no injected sidecar).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Datastore, Design
from ..topology import Call, topology_of
from .datastores import _reads_only

ASSUMED_ASYNC_LAG_MIN = 1.0
"""Async replication lag: seconds, assumed under a minute."""
ASSUMED_FAILOVER_MIN = 2.0
"""Automatic promotion of a replica (managed databases: 1-2 min)."""
ASSUMED_RESTORE_MIN = 60.0
"""Restoring a backup and catching up (grows with the data)."""
INTER_REGION_RTT_MS = (60.0, 100.0)
"""One round trip between two distant regions, low and high (assumed)."""
PLATFORM_STORE_KINDS = frozenset(
    {
        "s3",
        "gcs",
        "blob",
        "dynamodb",
        "firestore",
        "cosmosdb",
        "spanner",
        "kinesis",
        "sqs",
        "sns",
        "pubsub",
        "eventbridge",
        "servicebus",
        "timestream",
        "bigquery",
    }
)
"""Managed stores that replicate every write across zones before acknowledging it."""
MESH_RUNTIMES = frozenset({"kubernetes"})
MTLS_WORDS = ("mtls", "mutual")

Replication = str
"""'sync', 'async', 'none', 'undeclared' or 'platform'."""


@dataclass(frozen=True, slots=True)
class StoreRecovery:
    """What losing one store's primary copy costs in data and in time."""

    store: str
    kind: str
    replication: Replication
    copies: int
    regions: int
    backup_minutes: float | None
    rpo_minutes: float | None
    """Worst-case minutes of writes lost; None unknown, math.inf no recovery point."""
    rpo_basis: str
    rto_minutes: float | None
    """Minutes to serve again; None unknown, math.inf no way back. Always assumed."""
    rto_basis: str
    users: tuple[str, ...]
    """Services that own it or link to it other than by a read-only call."""

    @property
    def declared(self) -> bool:
        """Replication or backups declared (or a platform store)."""
        return self.rpo_minutes is not None


def used_stores(design: Design) -> dict[str, list[str]]:
    """Store id -> services that may write it (see the module docstring), file order."""
    stores = {d.id for d in design.datastores}
    out: dict[str, list[str]] = {}

    def add(store: str, service: str) -> None:
        writers = out.setdefault(store, [])
        if service not in writers:
            writers.append(service)

    for s in design.services:
        if s.datastore in stores:
            add(s.datastore, s.id)
    for dep in design.dependencies:
        if dep.to in stores and (dep.mode == "async" or not _reads_only(dep.label)):
            add(dep.to, dep.from_)
    return out


def _copies(d: Datastore) -> int:
    if d.replicas is not None:
        return max(d.replicas, 1)
    return 2 if d.multi_az else 1


def _minutes(value: float) -> str:
    return f"{value:g} min"


def store_recovery(design: Design) -> list[StoreRecovery]:
    """Recovery point and time of every store that may hold written data, file order."""
    users = used_stores(design)
    out: list[StoreRecovery] = []
    for d in design.datastores:
        if d.id not in users:
            continue
        kind = (d.kind or "").strip().lower()
        copies, regions = _copies(d), max(d.regions or 1, 1)
        other = copies >= 2 or regions >= 2
        where = "another region" if regions >= 2 else "a second copy"
        backup = d.backup_interval_minutes
        repl: Replication = d.replication or "undeclared"
        rpo: float | None
        rto: float | None
        if d.replication is None and kind in PLATFORM_STORE_KINDS:
            repl = "platform"
            rpo, rpo_basis = 0.0, f"{kind} writes every change to several zones, assumed"
            rto, rto_basis = 0.0, f"{kind} fails over on its own, assumed"
        else:
            if d.replication == "sync" and other:
                rpo, rpo_basis = 0.0, f"sync replication: a write is on {where} first"
            elif d.replication == "async" and other:
                rpo = ASSUMED_ASYNC_LAG_MIN
                rpo_basis = (
                    f"async replication to {where}: the writes in flight, seconds "
                    f"(assumed under {_minutes(ASSUMED_ASYNC_LAG_MIN)})"
                )
            elif backup is not None:
                rpo, rpo_basis = backup, f"backups every {_minutes(backup)}"
                if d.replication in ("sync", "async"):
                    rpo_basis += f" ({d.replication} replication with no other copy)"
            elif d.replication is None:
                rpo, rpo_basis = None, "neither replication nor backups declared"
            else:
                rpo, rpo_basis = math.inf, "no other copy and no backups: no recovery point"
            if other and d.replication in ("sync", "async", None):
                rto = ASSUMED_FAILOVER_MIN
                rto_basis = "failover to a replica, assumed"
            elif backup is not None:
                rto = ASSUMED_RESTORE_MIN
                rto_basis = "restore from a backup, assumed"
            elif d.replication is None:
                rto, rto_basis = None, "no replica and no backups declared"
            else:
                rto, rto_basis = math.inf, "no replica and no backups: nothing to recover from"
        out.append(
            StoreRecovery(
                d.id,
                kind or "kind undeclared",
                repl,
                copies,
                regions,
                backup,
                rpo,
                rpo_basis,
                rto,
                rto_basis,
                tuple(users[d.id]),
            )
        )
    return out


def mesh_decision(design: Design) -> str | None:
    """Id of an accepted service-mesh decision, if any."""
    for dec in design.decisions:
        if dec.pattern == "service-mesh" and dec.status == "accepted":
            return dec.id
    return None


@dataclass(frozen=True, slots=True)
class MtlsCall:
    """One service-to-service call and how (whether) it is mutually authenticated."""

    call: Call
    covered_by: str | None
    """'protocol', 'mesh <decision>', or None when nothing covers it."""
    gap: str
    """Why it is not covered (empty when covered)."""


def mtls_calls(design: Design) -> list[MtlsCall]:
    """Every service-to-service call with its mTLS coverage, in file order."""
    topo = topology_of(design)
    runtime = {s.id: (s.runtime or "").strip().lower() for s in design.services}
    mesh = mesh_decision(design)
    out: list[MtlsCall] = []
    for c in topo.calls:
        if topo.kind(c.source) != "service" or topo.kind(c.target) != "service":
            continue
        if c.source == c.target:
            continue
        proto = (c.protocol or "").lower()
        if any(w in proto for w in MTLS_WORDS):
            out.append(MtlsCall(c, "protocol", ""))
            continue
        off = [s for s in (c.source, c.target) if runtime.get(s) not in MESH_RUNTIMES]
        if mesh is not None and not off:
            out.append(MtlsCall(c, f"mesh {mesh}", ""))
            continue
        said = f"protocol {c.protocol}" if c.protocol else "protocol undeclared"
        if mesh is None:
            gap = f"{said}, and no accepted service-mesh decision"
        else:
            names = ", ".join(f"{s} ({runtime.get(s) or 'runtime undeclared'})" for s in off)
            gap = f"{said}, and the mesh ({mesh}) has no sidecar on {names}"
        out.append(MtlsCall(c, None, gap))
    return out
