"""Exports never destroy a team's own files and never run template code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stratus_tui.core.export.bundle import ExportRefused, check_all, export_all
from stratus_tui.core.model import EventStorming
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design


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


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_a_symlinked_leftover_is_removed_as_a_link_never_its_target(tmp_path: Path) -> None:
    """Issue 12.5: the cleanup resolved the link and deleted design.md."""
    design = load_design(sample_path("checkout"))
    out = tmp_path / "docs"
    export_all(design, out)
    (out / "diagrams" / "storm.mmd").unlink(missing_ok=True)
    (out / "diagrams" / "storm.mmd").symlink_to("../design.md")
    no_board = design.model_copy(update={"event_storming": EventStorming()})

    result = export_all(no_board, out)

    assert "diagrams/storm.mmd" in result.removed
    assert not (out / "diagrams" / "storm.mmd").is_symlink()
    assert (out / "design.md").read_bytes().startswith(b"# Checkout platform: architecture design")


def test_a_symlinked_record_is_never_read_or_removed(tmp_path: Path) -> None:
    design = load_design(sample_path("checkout"))
    out = tmp_path / "docs"
    export_all(design, out)
    elsewhere = tmp_path / "team-record.md"
    elsewhere.write_bytes((out / "design.md").read_bytes())  # looks generated
    (out / "decisions" / "0042-linked.md").symlink_to(elsewhere)
    fifo = out / "decisions" / "0043-fifo.md"
    os.mkfifo(fifo)  # reading it would block the export forever

    result = export_all(design, out)

    assert (out / "decisions" / "0042-linked.md").is_symlink()
    assert elsewhere.exists() and fifo.exists()
    assert not [r for r in result.removed if "0042" in r or "0043" in r]


@pytest.mark.parametrize("where", ["design.md", "diagrams", "decisions"])
def test_a_symlink_in_the_layout_refuses_the_export_before_writing(
    tmp_path: Path, where: str
) -> None:
    """Never write through a symlink out of the export folder; nothing half-written."""
    design = load_design(sample_path("checkout"))
    out = tmp_path / "docs"
    outside = tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    if where == "design.md":
        target = outside / "precious.md"
        target.write_text("mine\n", encoding="utf-8")
    else:
        target = outside
    (out / where).symlink_to(target)
    before_out, before_outside = _files(out), _files(outside)

    with pytest.raises(ExportRefused, match="symlink"):
        export_all(design, out)

    assert _files(out) == before_out  # nothing written, not even design.json
    assert _files(outside) == before_outside
    assert (out / where).is_symlink()


def test_export_all_through_the_cli_refuses_cleanly(tmp_path: Path) -> None:
    design_file = tmp_path / "d.yaml"
    shutil.copy(sample_path("checkout"), design_file)
    out = tmp_path / "docs"
    out.mkdir()
    (tmp_path / "outside").mkdir()
    (out / "diagrams").symlink_to(tmp_path / "outside")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "stratus_tui",
            "export",
            str(design_file),
            "-f",
            "all",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "symlink" in proc.stderr and "nothing was written" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["diagrams"]
    assert list((tmp_path / "outside").iterdir()) == []


def test_check_never_opens_a_fifo(tmp_path: Path) -> None:
    design = load_design(sample_path("checkout"))
    out = tmp_path / "docs"
    export_all(design, out)
    (out / "design.md").unlink()
    os.mkfifo(out / "design.md")
    result = check_all(design, out)
    assert result.stale == ["design.md"]


STRATUS = (sys.executable, "-m", "stratus_tui")
HUNGRY_TEMPLATES = {
    "range": ("{% for i in range(10**9) %}x{% endfor %}", "Range too big"),
    "repeat": ('{{ "x" * 10**9 }}', "too large"),
    "repeat-list": ("ok\n{{ [1] * 10**9 }}", "too large"),
    "percent-width": ('{{ "%1000000000d" % 1 }}', "format width"),
    "star-width": ('{{ "%*d" % (10**9, 1) }}', "format width"),
    "format-width": ('{{ "{:>1000000000}".format(1) }}', "format width"),
    "center": ('{{ "x" | center(1000000000) }}', "wider than"),
    "zero": ("{{ 1 / 0 }}", "ZeroDivisionError"),
    "recursion": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    "output": (
        '{% for i in range(100000) %}{% for j in range(1000) %}{{ "y" * 500 }}'
        "{% endfor %}{% endfor %}",
        "template output passes",
    ),
}


@pytest.mark.parametrize("name", list(HUNGRY_TEMPLATES))
def test_a_hungry_template_is_one_located_line(tmp_path: Path, name: str) -> None:
    """Issue 12: `range(10**9)`, `"x" * 10**9` ... hit sandbox limits, never memory."""
    body, fragment = HUNGRY_TEMPLATES[name]
    design_file = tmp_path / "d.yaml"
    shutil.copy(sample_path("checkout"), design_file)
    template = tmp_path / "t.md.j2"
    template.write_text(body, encoding="utf-8")
    out = tmp_path / "doc.md"
    args = ("--template", str(template), "-o", str(out))
    proc = subprocess.run(
        [*STRATUS, "export", str(design_file), "-f", "markdown", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{template}:"), lines
    line = 2 if name == "repeat-list" else 1
    assert lines[0].startswith(f"{template}:{line}:") or name == "output", lines[0]
    assert fragment in lines[0]
    assert not out.exists()


def test_only_a_users_template_runs_in_the_sandbox(tmp_path: Path) -> None:
    """Issue 21: the shipped template is ours and renders without the sandbox's per-
    attribute checks; a team's --template always gets the sandbox."""
    from jinja2.sandbox import SandboxedEnvironment

    from stratus_tui.core.export.document import _builtin_template, environment

    assert not isinstance(_builtin_template().environment, SandboxedEnvironment)
    assert isinstance(environment(tmp_path), SandboxedEnvironment)
