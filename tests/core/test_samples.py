"""The bundled samples: valid, complete, and stable where other parts rely on them."""

from __future__ import annotations

import pytest

from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_names, sample_path, samples_dir
from stratus_tui.core.store.design_file import load_design, open_document

SECTIONS = (
    "services",
    "datastores",
    "externals",
    "dependencies",
    "failure_modes",
    "decisions",
    "migration",
)


def test_the_three_samples_are_bundled() -> None:
    assert {"checkout", "iot-telemetry", "payments-ledger"} <= set(sample_names())
    assert samples_dir().is_dir()


@pytest.mark.parametrize("name", sample_names())
def test_sample_is_valid_and_uses_every_section(name: str) -> None:
    design = load_design(sample_path(name))
    assert open_document(sample_path(name)).design == design
    for section in SECTIONS:
        assert getattr(design, section), f"{name}: {section} is empty"
    assert design.event_storming.items and design.event_storming.contexts
    discovery = design.discovery
    for part in (
        discovery.current,
        discovery.team,
        discovery.workload,
        discovery.requirements,
        discovery.budget,
    ):
        answered = part.model_dump(exclude_none=True)
        assert answered == part.model_dump(), f"{name}: unanswered {type(part).__name__}"
    # Commented where a choice needs a why.
    assert sample_path(name).read_text().count("#") >= 10


def test_checkout_keeps_the_ids_other_parts_use() -> None:
    design: Design = load_design(sample_path("checkout"))
    assert {"gateway", "checkout", "payments", "monolith", "notifications"} <= {
        s.id for s in design.services
    }
    assert {"checkout-db", "payments-db", "shop-db", "events"} <= {d.id for d in design.datastores}
    assert "stripe" in {e.id for e in design.externals}


def test_unknown_sample_name_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        sample_path("no-such-sample")
