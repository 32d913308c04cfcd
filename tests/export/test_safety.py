"""Exports never destroy a team's own files and never run template code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from stratus_tui.core.export.bundle import export_all
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store import load_design


def test_hand_written_records_survive_export_but_stale_generated_ones_go(tmp_path: Path) -> None:
    design = load_design(sample_path("checkout"))
    out = tmp_path / "docs"
    export_all(design, out)
    records = out / "decisions"
    generated = sorted(p.name for p in records.glob("*.md"))
    assert generated, "the sample has decisions"
    own = records / "0099-record-architecture-decisions.md"
    own.write_text("# 99. Record architecture decisions\n\nWe keep ADRs.\n", encoding="utf-8")
    # A record stratus wrote for a decision that has since been deleted must go.
    stale = records / "0042-old-decision.md"
    shutil.copy(records / generated[0], stale)

    result = export_all(design, out)

    assert own.read_text(encoding="utf-8").startswith("# 99. Record")
    assert not stale.exists()
    assert "decisions/0042-old-decision.md" in result.removed
    assert "decisions/0099-record-architecture-decisions.md" not in result.removed


def test_a_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    design_file = tmp_path / "d.yaml"
    shutil.copy(sample_path("checkout"), design_file)
    evil = tmp_path / "evil.md.j2"
    evil.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "stratus_tui",
            "export",
            str(design_file),
            "--format",
            "markdown",
            "--template",
            str(evil),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "evil.md.j2" in proc.stderr
    assert "subclasses" not in proc.stdout and "<class" not in proc.stdout
