"""The lists ARCHITECT edits, described as data for `CollectionPane`."""

from __future__ import annotations

from dataclasses import replace

from ...core import edits
from ...core.fields import FieldSpec, specs_for
from ...core.model import (
    Datastore,
    Decision,
    Design,
    External,
    FailureMode,
    MigrationPhase,
    Service,
)
from ..widgets.collection import Collection


def _as_choice(specs: list[FieldSpec], *names: str) -> list[FieldSpec]:
    """Turn id-reference fields into pickers (options are set from the design)."""
    return [replace(s, kind="choice") if s.name in names else s for s in specs]


SERVICES = Collection(
    "services",
    "Services",
    ("id", "name", "context", "runtime", "replicas"),
    _as_choice(specs_for(Service, exclude=("id",)), "datastore"),
    lambda i, _d: Service(id=i),
    edits.add_service,
    "service",
)
DATASTORES = Collection(
    "datastores",
    "Datastores",
    ("id", "name", "kind", "replicas", "multi_az"),
    specs_for(Datastore, exclude=("id",)),
    lambda i, _d: Datastore(id=i),
    edits.add_datastore,
    "datastore",
)
EXTERNALS = Collection(
    "externals",
    "Externals",
    ("id", "name", "availability"),
    specs_for(External, exclude=("id",)),
    lambda i, _d: External(id=i),
    edits.add_external,
    "external",
)
DECISIONS = Collection(
    "decisions",
    "Decision records",
    ("id", "status", "title"),
    specs_for(Decision, exclude=("id",)),
    lambda i, _d: Decision(id=i, title=i),
    edits.add_decision,
    "adr",
)
MIGRATION = Collection(
    "migration",
    "Migration phases",
    ("id", "title", "duration_weeks"),
    [
        replace(s, kind="items") if s.name == "steps" else s
        for s in specs_for(MigrationPhase, exclude=("id",))
    ],
    lambda i, _d: MigrationPhase(id=i, title=i),
    edits.add_migration_phase,
    "phase",
)


def _new_failure_mode(fm_id: str, design: Design) -> FailureMode:
    components = sorted(design.component_ids())
    if not components:
        raise ValueError("add a service, datastore or external first")
    return FailureMode(id=fm_id, component=components[0])


FAILURE_MODES = Collection(
    "failure_modes",
    "Failure modes",
    ("id", "component", "likelihood", "severity"),
    _as_choice(specs_for(FailureMode, exclude=("id",)), "component"),
    _new_failure_mode,
    edits.add_failure_mode,
    "fm",
)
