"""One-shot commands: no cyclic collector while they work, and output in one write (issue 21).

Speed is measured by `python -m benchmarks`; these tests check the two things that made
`stratus lint` slow beyond its engine (the collector's passes over the loaded design, a
flushed write per line of 9,000 findings) and that the output is what it was.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from benchmarks.graphs import write_design
from stratus_tui.cli import cli
from stratus_tui.cli.common import echo_lines
from stratus_tui.core import lint as lint_package
from stratus_tui.core.lint import lint
from stratus_tui.core.store.design_file import load_design


@pytest.fixture(scope="module")
def design_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_design(60, tmp_path_factory.mktemp("perf") / "design.yaml")


def test_lint_runs_without_the_collector_and_gives_it_back(
    design_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def watching(design: Any) -> Any:
        seen.append(gc.isenabled())
        return lint(design)

    monkeypatch.setattr(lint_package, "lint", watching)
    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["lint", str(design_file)])
    assert result.exit_code in (0, 1), result.output
    assert seen == [False]
    assert gc.isenabled()  # an in-process caller keeps its collector


def test_a_failing_command_gives_the_collector_back(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: [\n", encoding="utf-8")
    for command in ("lint", "validate", "report", "recommend"):
        result = CliRunner().invoke(cli, [command, str(bad)])
        assert result.exit_code == 1 and f"{bad}:" in result.stderr
        assert gc.isenabled()


def test_lint_writes_its_findings_at_once(
    design_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = 0
    real = click.echo

    def counting(message: Any = None, **kwargs: Any) -> None:
        nonlocal writes
        writes += 1
        real(message, **kwargs)

    monkeypatch.setattr(click, "echo", counting)
    result = CliRunner().invoke(cli, ["lint", str(design_file)])
    findings = lint(load_design(design_file))
    assert len(findings) > 50
    assert writes == 1  # was two or three per finding
    # the text is what one echo per line printed
    lines = result.stdout.splitlines()
    first = findings[0]
    where = f" {first.component}" if first.component else ""
    assert lines[0].startswith(f"{design_file}: {first.severity} [{first.rule}]{where}")
    assert lines[1] == f"    hint: {first.hint}"
    assert lines[-1].startswith(f"{design_file}: ") and lines[-1].endswith(" accepted")
    assert result.stdout.endswith("accepted\n")


def test_lines_written_at_once_are_still_neutralised(capsys: pytest.CaptureFixture[str]) -> None:
    echo_lines(["api\u202e\x1b[31m: bad", "    hint: ok"])
    echo_lines([])  # nothing, not an empty line
    assert capsys.readouterr().out == "api<U+202E><U+001B>[31m: bad\n    hint: ok\n"
