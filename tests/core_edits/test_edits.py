"""Pure edits: each returns a new valid design and never mutates the old one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core import edits
from stratus_tui.core.model import (
    Datastore,
    Decision,
    Dependency,
    Design,
    External,
    FailureMode,
    MigrationPhase,
    Service,
)
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.store.validation import check_references

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"


@pytest.fixture(scope="module")
def design() -> Design:
    return load_design(SAMPLE)


def test_add_and_update_service(design: Design) -> None:
    d = edits.add_service(design, Service(id="search", name="Search"))
    assert d.services[-1].id == "search"
    assert design.component("search") is None  # old value untouched
    d2 = edits.update_service(d, "search", replicas=4, runtime="kubernetes")
    svc = d2.component("search")
    assert isinstance(svc, Service) and svc.replicas == 4 and svc.runtime == "kubernetes"


def test_add_service_refuses_taken_id(design: Design) -> None:
    with pytest.raises(edits.EditError, match="already used"):
        edits.add_service(design, Service(id="stripe"))


def test_invalid_value_refused(design: Design) -> None:
    with pytest.raises(edits.EditError, match="replicas"):
        edits.update_service(design, "checkout", replicas=-1)
    with pytest.raises(edits.EditError, match="not in datastores"):
        edits.update_service(design, "checkout", datastore="nope")


def test_rename_updates_every_reference(design: Design) -> None:
    d = edits.rename_component(design, "monolith", "legacy")
    assert d.component("monolith") is None and d.component("legacy") is not None
    assert all("monolith" not in (x.from_, x.to) for x in d.dependencies)
    assert sum(x.to == "legacy" for x in d.dependencies) == sum(
        x.to == "monolith" for x in design.dependencies
    )
    assert any(f.component == "legacy" for f in d.failure_modes)
    assert d.decisions == design.decisions
    assert check_references(d) == []


def test_rename_datastore_updates_services(design: Design) -> None:
    d = edits.rename_component(design, "checkout-db", "carts-db")
    svc = d.component("checkout")
    assert isinstance(svc, Service) and svc.datastore == "carts-db"


def test_delete_drop_removes_dependencies_and_failure_modes(design: Design) -> None:
    d = edits.delete_component(design, "monolith", "drop")
    assert d.component("monolith") is None
    assert all("monolith" not in (x.from_, x.to) for x in d.dependencies)
    assert all(f.component != "monolith" for f in d.failure_modes)
    assert check_references(d) == []


def test_delete_repoint_moves_dependencies(design: Design) -> None:
    d = edits.delete_component(design, "monolith", "repoint", repoint_to="checkout")
    assert any(x.from_ == "gateway" and x.to == "checkout" for x in d.dependencies)
    # checkout -> monolith would become a self-loop: dropped
    assert all(x.from_ != x.to for x in d.dependencies)
    assert any(f.component == "checkout" for f in d.failure_modes)
    assert check_references(d) == []


def test_delete_datastore_clears_service_reference(design: Design) -> None:
    d = edits.delete_component(design, "checkout-db")
    svc = d.component("checkout")
    assert isinstance(svc, Service) and svc.datastore is None
    assert check_references(d) == []


def test_dependency_add_update_delete(design: Design) -> None:
    d = edits.add_dependency(design, Dependency(from_="notifications", to="stripe"))
    i = len(d.dependencies) - 1
    d = edits.update_dependency(d, i, mode="async", timeout_ms=100, circuit_breaker=True)
    dep = d.dependencies[i]
    assert (dep.mode, dep.timeout_ms, dep.circuit_breaker) == ("async", 100, True)
    d = edits.delete_dependency(d, i)
    assert d.dependencies == design.dependencies
    with pytest.raises(edits.EditError):
        edits.add_dependency(design, Dependency(from_="checkout", to="ghost"))


def test_other_lists(design: Design) -> None:
    d = edits.add_datastore(design, Datastore(id="cache", kind="redis"))
    d = edits.add_external(d, External(id="sendgrid"))
    d = edits.add_failure_mode(d, FailureMode(id="fm-cache", component="cache", severity="low"))
    d = edits.update_failure_mode(d, "fm-cache", likelihood="high")
    assert d.failure_modes[-1].likelihood == "high"
    d = edits.add_decision(d, Decision(id=edits.next_decision_id(d), title="Cache reads"))
    assert d.decisions[-1].id == "adr-003"
    d = edits.update_decision(d, "adr-003", status="accepted")
    assert d.decisions[-1].status == "accepted"
    d = edits.add_migration_phase(d, MigrationPhase(id="phase-3", title="Cache"))
    d = edits.update_migration_phase(d, "phase-3", steps=("a", "b"))
    assert d.migration[-1].steps == ("a", "b")
    d = edits.delete_migration_phase(d, "phase-3")
    d = edits.delete_decision(d, "adr-003")
    d = edits.delete_failure_mode(d, "fm-cache")
    assert check_references(d) == []
    with pytest.raises(edits.EditError, match="already exists"):
        edits.add_failure_mode(d, FailureMode(id="fm-monolith-down", component="stripe"))


def test_set_discovery(design: Design) -> None:
    d = edits.set_discovery(design, "team.engineers", 40)
    assert d.discovery.team.engineers == 40
    d = edits.set_discovery(d, "requirements.mtls", None)
    assert d.discovery.requirements.mtls is None
    with pytest.raises(edits.EditError):
        edits.set_discovery(design, "requirements.availability", 140)
    with pytest.raises(edits.EditError, match="unknown"):
        edits.set_discovery(design, "team.nope", 1)


ids = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(old_index=st.integers(0, 10), new=ids)
def test_rename_keeps_references_whole(old_index: int, new: str) -> None:
    design = load_design(SAMPLE)
    comps = sorted(design.component_ids())
    old = comps[old_index % len(comps)]
    if new in design.component_ids():
        with pytest.raises(edits.EditError):
            edits.rename_component(design, old, new)
        return
    d = edits.rename_component(design, old, new)
    assert check_references(d) == []
    assert d.component_ids() == (design.component_ids() - {old}) | {new}
    assert len(d.dependencies) == len(design.dependencies)
    # renaming back restores the exact model
    assert edits.rename_component(d, new, old) == design
