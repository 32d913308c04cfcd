"""`stratus export`: the folder layout, byte stability, --check, usage errors, formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stratus_tui.cli import cli
from stratus_tui.core.analysis import render_report
from stratus_tui.core.export import EXPORTERS, FORMATS, check_all, export_all
from stratus_tui.core.export.dot import dot_available
from stratus_tui.core.model import Decision
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store import load_design

SAMPLE = samples_dir() / "checkout.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_all_writes_exactly_the_spec_layout(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    code, stdout, _ = run("export", str(SAMPLE), "--format", "all", "-o", str(out))
    assert code == 0, stdout
    expected = {
        "design.md",
        "report.md",
        "design.json",
        "diagrams/topology.mmd",
        "diagrams/storm.mmd",
        "diagrams/topology.dot",
        "decisions/0001-use-a-saga-for-checkout.md",
        "decisions/0002-strangle-the-monolith-behind-the-gateway.md",
    }
    if dot_available():
        expected.add("diagrams/topology.svg")
    files = snapshot(out)
    assert set(files) == expected
    design = load_design(SAMPLE)
    assert files["diagrams/topology.mmd"].decode() == EXPORTERS["mermaid"](design)
    assert json.loads(files["design.json"])["name"] == "Checkout platform"
    assert files["design.md"].decode().startswith("## STRATUS Architecture Design\n")
    assert files["report.md"].decode() == render_report(design)


def test_export_twice_gives_identical_bytes_and_check_passes(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("export", str(SAMPLE), "--format", "all", "-o", str(a))[0] == 0
    assert run("export", str(SAMPLE), "--format", "all", "-o", str(b))[0] == 0
    assert snapshot(a) == snapshot(b)
    code, stdout, _ = run("export", str(SAMPLE), "--format", "all", "-o", str(a), "--check")
    assert code == 0 and "up to date" in stdout
    # A second export into the same folder rewrites nothing.
    before = {p: p.stat().st_mtime_ns for p in a.rglob("*") if p.is_file()}
    code, stdout, _ = run("export", str(SAMPLE), "--format", "all", "-o", str(a))
    assert "0 written" in stdout
    assert before == {p: p.stat().st_mtime_ns for p in a.rglob("*") if p.is_file()}
    assert not [p for p in a.rglob("*.tmp")]


def test_check_reports_hand_edits_missing_and_unexpected_files(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    run("export", str(SAMPLE), "--format", "all", "-o", str(out))
    before = snapshot(out)
    (out / "design.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "diagrams" / "topology.dot").unlink()
    (out / "decisions" / "0009-gone.md").write_text("old\n", encoding="utf-8")
    (out / "decisions" / "README.md").write_text("kept\n", encoding="utf-8")
    code, stdout, stderr = run("export", str(SAMPLE), "--format", "all", "-o", str(out), "--check")
    assert code == 1
    assert f"stale: {out / 'design.md'}" in stdout
    assert f"missing: {out / 'diagrams/topology.dot'}" in stdout
    assert f"unexpected: {out / 'decisions/0009-gone.md'}" in stdout
    assert "README" not in stdout
    assert "out of date" in stderr
    # --check wrote nothing.
    assert (out / "design.md").read_text(encoding="utf-8") == "edited by hand\n"
    # Export repairs it: stray records go, other files are left alone.
    run("export", str(SAMPLE), "--format", "all", "-o", str(out))
    after = snapshot(out)
    assert after.pop("decisions/README.md") == b"kept\n"
    assert after == before


def test_check_on_an_empty_folder_lists_everything_missing(tmp_path: Path) -> None:
    result = check_all(load_design(SAMPLE), tmp_path / "nothing")
    assert not result.up_to_date
    assert "design.md" in result.missing and not result.stale
    assert not (tmp_path / "nothing").exists()


def test_renamed_decision_and_emptied_board_leave_no_stale_files(tmp_path: Path) -> None:
    design = load_design(SAMPLE)
    export_all(design, tmp_path)
    changed = design.model_copy(
        update={
            "decisions": (Decision(id="only", title="A brand new title"),),
            "event_storming": design.event_storming.model_copy(update={"items": ()}),
        }
    )
    result = export_all(changed, tmp_path)
    assert sorted(result.removed) == [
        "decisions/0001-use-a-saga-for-checkout.md",
        "decisions/0002-strangle-the-monolith-behind-the-gateway.md",
        "diagrams/storm.mmd",
    ]
    assert check_all(changed, tmp_path).up_to_date


def test_adr_format_writes_records_into_the_folder(tmp_path: Path) -> None:
    code, _, _ = run("export", str(SAMPLE), "--format", "adr", "-o", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "0001-use-a-saga-for-checkout.md",
        "0002-strangle-the-monolith-behind-the-gateway.md",
    ]
    assert run("export", str(SAMPLE), "--format", "adr", "-o", str(tmp_path), "--check")[0] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "adr"],
        ["--format", "all"],
        ["--format", "mermaid", "--check"],
        ["--format", "dot", "--c4"],
        ["--format", "json", "--template", "x.j2"],
        ["--format", "nope"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _, stderr = run("export", str(SAMPLE), *args)
    assert code == 2
    assert "Traceback" not in stderr


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_text_formats_go_to_stdout_or_a_file(fmt: str, tmp_path: Path) -> None:
    if fmt == "svg" and not dot_available():
        pytest.skip("dot missing")
    code, stdout, _ = run("export", str(SAMPLE), "--format", fmt)
    assert code == 0
    assert stdout == EXPORTERS[fmt](load_design(SAMPLE))
    target = tmp_path / f"out.{fmt}"
    assert run("export", str(SAMPLE), "--format", fmt, "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == stdout
    assert run("export", str(SAMPLE), "--format", fmt, "-o", str(target), "--check")[0] == 0
    target.write_text(stdout + "edit", encoding="utf-8")
    assert run("export", str(SAMPLE), "--format", fmt, "-o", str(target), "--check")[0] == 1


def test_c4_flag_is_the_c4_format() -> None:
    code, stdout, _ = run("export", str(SAMPLE), "--format", "mermaid", "--c4")
    assert code == 0 and stdout.startswith("C4Container\n")
    assert set(FORMATS) >= {
        "mermaid",
        "storm-mermaid",
        "markdown",
        "dot",
        "svg",
        "json",
        "toml",
        "yaml",
        "adr",
        "all",
    }


def test_data_formats_load_back(tmp_path: Path) -> None:
    design = load_design(SAMPLE)
    for fmt in ("json", "toml", "yaml"):
        path = tmp_path / f"design.{fmt}"
        path.write_text(EXPORTERS[fmt](design), encoding="utf-8")
        assert load_design(path) == design


def test_bad_design_is_one_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices:\n  - {id: a, nmae: b}\n", encoding="utf-8")
    code, _, stderr = run("export", str(bad), "--format", "mermaid")
    assert code == 1
    assert f"{bad}:4" in stderr and "Traceback" not in stderr


def test_svg_without_dot_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # no `dot` on this PATH
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "export", str(SAMPLE), "--format", "svg"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "dot" in proc.stderr
    assert "Traceback" not in proc.stderr
    out = tmp_path / "docs"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "stratus_tui",
            "export",
            str(SAMPLE),
            "--format",
            "all",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert not (out / "diagrams" / "topology.svg").exists()
    assert (out / "diagrams" / "topology.dot").is_file()


def test_output_into_a_file_path_for_a_folder_format_fails_cleanly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, stderr = run("export", str(SAMPLE), "--format", "all", "-o", str(blocker))
    assert code == 1 and "not a folder" in stderr
    assert blocker.read_text(encoding="utf-8") == "x"


def test_pre_commit_hook_runs_the_check(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    root = Path(__file__).resolve().parents[2]
    (hook,) = YAML(typ="safe").load((root / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "stratus-docs" and hook["pass_filenames"] is False
    assert hook["entry"] == "stratus export" and "--check" in hook["args"]
    # The hook's command line, pointed at the sample and a temporary docs folder.
    args = [str(SAMPLE) if a == "architecture.yaml" else a for a in hook["args"]]
    args = [str(tmp_path / "docs") if a == "docs/architecture" else a for a in args]
    assert run("export", *args)[0] == 1  # nothing exported yet
    assert run("export", *[a for a in args if a != "--check"])[0] == 0
    assert run("export", *args)[0] == 0
    (tmp_path / "docs" / "diagrams" / "topology.mmd").write_text("flowchart LR\n", "utf-8")
    assert run("export", *args)[0] == 1


def test_bad_template_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "t.md.j2"
    bad.write_text("{% if %}", encoding="utf-8")
    for fmt, extra in (("markdown", []), ("all", ["-o", str(tmp_path / "out")])):
        code, _, stderr = run(
            "export", str(SAMPLE), "--format", fmt, "--template", str(bad), *extra
        )
        assert code == 1
        assert stderr.strip().startswith(f"{bad}:1: template syntax error")
    assert not (tmp_path / "out").exists()


def test_importing_the_registry_stays_light() -> None:
    code = (
        "import sys, stratus_tui.core.export as e; "
        "heavy = {'jinja2', 'graphviz', 'networkx', 'textual', 'rich'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
