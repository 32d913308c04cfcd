"""Sequence diagrams of request flows and sagas through the real Mermaid parser (issue 15)."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from stratus_tui.core.export import EXPORTERS, export_all
from stratus_tui.core.export.sequence import (
    flow_file_names,
    sequence_diagrams,
    sequence_flows,
    to_sequence,
)
from stratus_tui.core.flows import flows_of
from stratus_tui.core.model import Design
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import load_design
from tests.export.expect import SEQ_OPT_START, SEQ_PAR_START, compare_sequence
from tests.export.mdlint import lint_markdown, mermaid_blocks
from tests.export.strategies import HOSTILE
from tests.support.mermaid import parse_mermaid, require_mermaid

SAMPLES = sorted(samples_dir().glob("*.yaml"))


def test_every_sample_flow_parses_and_matches_the_flow() -> None:
    require_mermaid()
    pairs = [(d, f) for d in map(load_design, SAMPLES) for f in sequence_flows(d)]
    assert len(pairs) >= 8  # checkout 2, iot 4, payments 2
    parsed = parse_mermaid([to_sequence(d, f) for d, f in pairs])
    for (design, flow), got in zip(pairs, parsed, strict=True):
        assert compare_sequence(design, flow, got) == [], flow.id


def test_saga_compensates_in_an_opt_block_and_parallel_groups_are_par() -> None:
    require_mermaid()
    ledger = load_design(samples_dir() / "payments-ledger.yaml")
    iot = load_design(samples_dir() / "iot-telemetry.yaml")
    pay = next(f for f in flows_of(ledger) if f.id == "pay")
    dashboard = next(f for f in flows_of(iot) if f.id == "dashboard")
    saga, par = parse_mermaid([to_sequence(ledger, pay), to_sequence(iot, dashboard)])
    kinds = [m["type"] for m in saga["messages"]]
    assert SEQ_OPT_START in kinds
    opt = kinds.index(SEQ_OPT_START)
    undo = [m["text"] for m in saga["messages"][opt + 1 :] if m["type"] == 0][:2]
    # compensations in reverse order of the steps they undo
    assert undo == ["reverse the authorisation", "release the reserved funds"]
    assert "Pay by card (saga)" in saga["title"] and "p99 400 ms" in saga["title"]
    assert SEQ_PAR_START in [m["type"] for m in par["messages"]]
    # participants in call order: the client, then the entry, then who it calls
    assert [a["id"] for a in saga["actors"]][:3] == ["client", "n_edge", "n_payments"]


def _hostile_design(names: list[str]) -> Design:
    """A saga through four services whose every string is hostile: names, labels,
    protocols, fallbacks, compensations, the flow's name."""
    ids = ["entry", "end", "x1", "graph"]
    services = [{"id": i, "name": names[n % len(names)], "api": "x"} for n, i in enumerate(ids)]
    services[-1].pop("api")
    deps = [
        {
            "from": a,
            "to": b,
            "label": names[(n + 1) % len(names)],
            "protocol": names[(n + 2) % len(names)],
            "timeout_ms": 100,
            "retries": 1,
            "fallback": names[(n + 3) % len(names)],
        }
        for n, (a, b) in enumerate(itertools.pairwise(ids))
    ]
    deps.append({"from": "x1", "to": "entry", "mode": "async", "label": names[4]})
    steps = [
        {"from": a, "to": b, "compensate": names[(n + 5) % len(names)]}
        for n, (a, b) in enumerate(itertools.pairwise(ids))
    ]
    return Design.model_validate(
        {
            "name": names[6],
            "services": services,
            "dependencies": deps,
            "flows": [
                {
                    "id": "hostile",
                    "name": names[7],
                    "entry": "entry",
                    "saga": True,
                    "slo": {"availability": 99.9, "latency_p99_ms": 300},
                    "steps": steps,
                }
            ],
        }
    )


def test_hostile_names_read_back_exactly_in_every_position() -> None:
    require_mermaid()
    names = list(HOSTILE)
    designs = [_hostile_design(names[i:] + names[:i]) for i in range(len(names))]
    sources = [to_sequence(d, f) for d in designs for f in sequence_flows(d)]
    assert "%%{" not in "".join(sources)
    parsed = parse_mermaid(sources)
    i = 0
    for design in designs:
        for flow in sequence_flows(design):
            assert compare_sequence(design, flow, parsed[i]) == [], parsed[i]
            i += 1


def test_markdown_page_lints_and_each_block_parses() -> None:
    require_mermaid()
    design = load_design(samples_dir() / "iot-telemetry.yaml")
    page = EXPORTERS["sequence"](design)
    assert page.startswith("# Cold-chain telemetry: request flows\n")
    assert lint_markdown(page) == []
    blocks = mermaid_blocks(page)
    assert len(blocks) == len(sequence_flows(design))
    assert all(p["ok"] and p["type"] == "sequence" for p in parse_mermaid(blocks))


def test_cli_exports_sequence_and_a_removed_flow_leaves_no_stale_diagram(tmp_path: Path) -> None:
    sample = samples_dir() / "checkout.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "export", str(sample), "--format", "sequence"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "## Place an order · SLO 99.9 %, p99 800 ms" in proc.stdout
    design = load_design(sample)
    export_all(design, tmp_path)
    flows = tmp_path / "diagrams" / "flows"
    assert sorted(p.name for p in flows.iterdir()) == sorted(flow_file_names(design).values())
    (flows / "notes.mmd").write_text("hand-written\n", encoding="utf-8")
    fewer = design.model_copy(update={"flows": design.flows[:1]})
    result = export_all(fewer, tmp_path)
    assert "diagrams/flows/browse.mmd" not in result.written
    names = sorted(p.name for p in flows.iterdir())
    # the derived flow that replaces 'browse' is written; the hand-written file stays
    assert "notes.mmd" in names and "place-order.mmd" in names
    assert sorted(set(names) - {"notes.mmd"}) == sorted(flow_file_names(fewer).values())
    assert set(sequence_diagrams(fewer)) == {f.id for f in sequence_flows(fewer)}
