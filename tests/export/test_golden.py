"""Golden files: every export of every sample design, byte for byte.

Regenerate after an intended change with::

    STRATUS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/export/test_golden.py

The design document is rendered with fixed stand-in verdicts and findings so that its
golden file follows this exporter, not the wording of the pattern library or lint rules
(tests/export/test_markdown.py checks the real ones); records use a fixed stand-in
pattern library for the same reason.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from stratus_tui.core.analysis import analyse
from stratus_tui.core.export.adr import decision_records
from stratus_tui.core.export.document import render_design_doc
from stratus_tui.core.export.dot import to_dot
from stratus_tui.core.export.mermaid import to_mermaid, to_mermaid_c4
from stratus_tui.core.export.sequence import flow_file_names, sequence_diagrams
from stratus_tui.core.export.storm import to_storm_mermaid
from stratus_tui.core.model import Design
from stratus_tui.core.patterns import Pattern
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import load_design
from tests.export.expect import Reason, StandInFinding, StandInVerdict

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("STRATUS_UPDATE_GOLDEN") == "1"
SAMPLES = sorted(p.stem for p in samples_dir().glob("*.yaml"))

LIBRARY = SimpleNamespace(
    patterns={
        pid: Pattern.model_validate(
            {
                "id": pid,
                "name": pid.replace("-", " ").capitalize(),
                "summary": f"What {pid} is and what it costs.",
                "forces": {"pros": [f"A benefit of {pid}"], "cons": [f"A cost of {pid}"]},
                "related": [{"id": "outbox", "why": "They go together"}],
                "references": ["https://example.org/patterns"],
            }
        )
        for pid in ("saga", "strangler-fig", "outbox", "microservices", "cqrs")
    }
)
VERDICTS = [
    StandInVerdict("saga", "Saga", "recommend", 4, (Reason("Transactions span services"),)),
    StandInVerdict("cqrs", "CQRS", "avoid", -1.5, ()),
]


def outputs(design: Design) -> dict[str, str]:
    findings = [
        StandInFinding("spof", "error", s.id, f"{s.id} runs alone", "add a replica")
        for s in design.services[:2]
    ]
    files = {
        "topology.mmd": to_mermaid(design),
        "topology-c4.mmd": to_mermaid_c4(design),
        "storm.mmd": to_storm_mermaid(design),
        "topology.dot": to_dot(design),
        "design.md": render_design_doc(design, VERDICTS, findings, analyse(design)),
    }
    names = flow_file_names(design)
    for fid, text in sequence_diagrams(design).items():
        files[f"flows/{names[fid]}"] = text
    for name, text in decision_records(design, LIBRARY).items():
        files[f"decisions/{name}"] = text
    return files


@pytest.mark.parametrize("sample", SAMPLES)
def test_exports_match_golden_files(sample: str) -> None:
    folder = GOLDEN / sample
    files = outputs(load_design(samples_dir() / f"{sample}.yaml"))
    if UPDATE:
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        for path in folder.rglob("*"):
            if path.is_file() and path.relative_to(folder).as_posix() not in files:
                path.unlink()
    if not folder.is_dir():
        pytest.skip(f"no golden files for sample {sample!r}: run with STRATUS_UPDATE_GOLDEN=1")
    on_disk = {
        p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8")
        for p in folder.rglob("*")
        if p.is_file()
    }
    assert sorted(on_disk) == sorted(files)
    for name, text in files.items():
        assert text == on_disk[name], f"{sample}/{name} changed (STRATUS_UPDATE_GOLDEN=1 to accept)"
