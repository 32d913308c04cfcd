"""Mermaid exports through the real Mermaid 12 parser (Node + jsdom), compared with the model."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from stratus_tui.core.escape import clean_text
from stratus_tui.core.export.mermaid import (
    MAX_EDGES,
    size_warnings,
    to_mermaid,
    to_mermaid_c4,
    topology_ids,
)
from stratus_tui.core.export.storm import to_storm_mermaid
from stratus_tui.core.export.topology import build_topology
from stratus_tui.core.model import ID_PATTERN, Dependency, Design, External, Service
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import load_design
from tests.export.expect import compare_c4, compare_flowchart, compare_storm
from tests.export.strategies import HOSTILE, IDS, designs
from tests.support.mermaid import parse_mermaid, require_mermaid


def _samples() -> list[Design]:
    return [load_design(p) for p in sorted(samples_dir().glob("*.yaml"))]


def test_samples_parse_and_match_the_model() -> None:
    require_mermaid()
    samples = _samples()
    sources = [f(d) for d in samples for f in (to_mermaid, to_mermaid_c4, to_storm_mermaid)]
    results = parse_mermaid(sources)
    for i, design in enumerate(samples):
        flow, c4, storm = results[3 * i : 3 * i + 3]
        assert compare_flowchart(design, flow) == []
        assert compare_c4(design, c4) == []
        assert compare_storm(design, storm) == []


def test_sample_topology_has_contexts_shapes_and_edge_styles() -> None:
    require_mermaid()
    design = load_design(samples_dir() / "checkout.yaml")
    (parsed,) = parse_mermaid([to_mermaid(design)])
    titles = {s["title"] for s in parsed["subgraphs"]}
    assert {"Ordering", "Payments"} <= titles  # board names titles the service contexts
    types = {v["id"]: v["type"] for v in parsed["vertices"]}
    assert types["n_checkout_db"] == "cylinder"
    assert types["n_stripe"] == "hexagon"
    strokes = {(e["start"], e["end"]): e["stroke"] for e in parsed["edges"]}
    assert strokes[("n_checkout", "n_events")] == "dotted"  # async
    assert strokes[("n_checkout", "n_payments")] == "normal"  # sync
    assert set(parsed["classes"]) == {"service", "datastore", "external"}


def _one_service_each(ids: list[str], label: str) -> Design:
    services = tuple(Service(id=i, name=label) for i in ids)
    deps = tuple(
        Dependency.model_validate({"from": a, "to": b, "label": label, "mode": mode})
        for (a, b), mode in zip(itertools.pairwise(ids), ["sync", "async"] * len(ids), strict=False)
    )
    return Design(
        name=label,
        services=services,
        externals=(External(id="ext", name=label),),
        dependencies=deps,
    )


def test_every_hostile_string_reads_back_in_every_position() -> None:
    require_mermaid()
    designs_ = [_one_service_each(list(IDS), text) for text in HOSTILE]
    designs_ = [
        d.model_copy(
            update={"services": tuple(s.model_copy(update={"context": d.name}) for s in d.services)}
        )
        for d in designs_
    ]
    sources = [f(d) for d in designs_ for f in (to_mermaid, to_mermaid_c4)]
    results = parse_mermaid(sources)
    for i, design in enumerate(designs_):
        assert compare_flowchart(design, results[2 * i]) == [], design.name
        assert compare_c4(design, results[2 * i + 1]) == [], design.name


def test_no_directive_click_or_raw_html_survives_escaping() -> None:
    design = _one_service_each(["a", "b"], "x %%{init: {'theme':'dark'}}%% <script>\nclick a")
    for source in (to_mermaid(design), to_mermaid_c4(design), to_storm_mermaid(design)):
        assert "%%{" not in source
        assert "<script" not in source
        body = [line.strip() for line in source.splitlines()]
        assert not any(line.startswith("click") for line in body)


def _id_comment_lines(source: str) -> list[str]:
    return [
        line.strip() for line in source.splitlines() if line.strip().startswith("%% stratus-id")
    ]


def test_ids_the_node_cannot_spell_are_written_as_sorted_comments() -> None:
    for design in _samples():
        source = to_mermaid(design)
        lines = source.splitlines()
        assert lines[0] == "flowchart LR"  # the comments stay inside the flowchart
        topo = build_topology(design)
        ids, gids = topology_ids(topo)
        want = {(n, d) for d, n in ids.items() if n != f"n_{d}"}
        want |= {(n, d) for d, n in gids.items() if n != f"c_{d}" and re.match(ID_PATTERN, d)}
        got = _id_comment_lines(source)
        assert got == sorted(got)
        assert {tuple(line.split()[2:]) for line in got} == want
        # The documentation embeds the same diagram without the header, same comments.
        assert _id_comment_lines(to_mermaid(design, header=False)) == got
    checkout = load_design(samples_dir() / "checkout.yaml")
    assert "%% stratus-id n_checkout_db checkout-db" in _id_comment_lines(to_mermaid(checkout))


def test_colliding_ids_get_distinct_nodes() -> None:
    require_mermaid()
    design = _one_service_each(["a-b", "a.b", "a_b"], "same")
    (parsed,) = parse_mermaid([to_mermaid(design)])
    assert len(parsed["vertices"]) == 4
    assert compare_flowchart(design, parsed) == []


# One Node run per example: a few examples of a dozen designs each; no shrinking (each
# shrink step would start Node again), the failing batch is printed whole.
@settings(
    max_examples=2,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(designs(), min_size=20, max_size=20))
def test_hostile_designs_parse_and_read_back(batch: list[Design]) -> None:
    require_mermaid()
    sources = [f(d) for d in batch for f in (to_mermaid, to_mermaid_c4, to_storm_mermaid)]
    results = parse_mermaid(sources)
    for i, design in enumerate(batch):
        flow, c4, storm = results[3 * i : 3 * i + 3]
        assert compare_flowchart(design, flow) == [], to_mermaid(design)
        assert compare_c4(design, c4) == [], to_mermaid_c4(design)
        assert compare_storm(design, storm) == [], to_storm_mermaid(design)


def test_export_is_byte_stable_and_independent_of_file_order() -> None:
    design = load_design(samples_dir() / "checkout.yaml")
    shuffled = design.model_copy(
        update={
            "services": tuple(reversed(design.services)),
            "dependencies": tuple(reversed(design.dependencies)),
        }
    )
    assert to_mermaid(design) == to_mermaid(design)
    assert to_mermaid(shuffled) == to_mermaid(design)
    assert to_mermaid_c4(shuffled) == to_mermaid_c4(design)


def test_size_warnings_match_what_mermaid_refuses() -> None:
    require_mermaid()

    def chain(n_edges: int) -> Design:
        services = tuple(Service(id=f"s{i}") for i in range(n_edges + 1))
        deps = tuple(
            Dependency.model_validate({"from": f"s{i}", "to": f"s{i + 1}"}) for i in range(n_edges)
        )
        return Design(name="big", services=services, dependencies=deps)

    small, big = to_mermaid(chain(MAX_EDGES)), to_mermaid(chain(MAX_EDGES + 1))
    ok, refused = parse_mermaid([small, big])
    assert ok["ok"] and size_warnings(small, "x") == []
    assert not refused["ok"] and "limit" in refused["error"]
    assert size_warnings(big, "x") == [
        f"x: {MAX_EDGES + 1} edges; Mermaid renders at most {MAX_EDGES} by default"
    ]


def test_math_and_hostile_names_import_back_exactly(tmp_path: Path) -> None:
    """`$` is written `#36;` (KaTeX math otherwise); the importer decodes it back exactly."""
    from stratus_tui.core.importers import import_source

    names = ["$$\\frac{", "$$x$$", "cost $5", *HOSTILE]
    services = tuple(Service(id=f"s{i}", name=n) for i, n in enumerate(names))
    deps = tuple(
        Dependency.model_validate({"from": a.id, "to": b.id, "label": b.name})
        for a, b in itertools.pairwise(services)
    )
    design = Design(name="math", services=services, dependencies=deps)
    source = to_mermaid(design)
    assert "$" not in source
    path = tmp_path / "topology.mmd"
    path.write_text(source, encoding="utf-8")
    imported = import_source(path).design
    for s in services:
        back = imported.component(s.id)
        assert back is not None
        assert clean_text(back.label) == clean_text(s.label), s.label
