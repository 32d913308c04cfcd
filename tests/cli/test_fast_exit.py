"""A finished one-shot command ends the process at once (`cli.common.exit_now_if_done`):
the same bytes, exit codes and exit handlers as the interpreter's own exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stratus_tui.cli import cli, common
from tests.support.processes import plain_env, run_stratus

ENV = plain_env()


def big_design(path: Path, services: int = 400) -> Path:
    """Every service calls the next synchronously, no breakers: thousands of findings,
    well past a pipe's 64 KiB buffer."""
    lines = ["stratus: 1", "name: Long chain", "services:"]
    lines += [f"  - {{id: s{i}, name: 'Service {i}', replicas: 1}}" for i in range(services)]
    lines.append("dependencies:")
    lines += [f"  - {{from: s{i}, to: s{i + 1}, mode: sync}}" for i in range(services - 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_stratus(*args, cwd=cwd, env=ENV)


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "big.yaml"],
        ["lint", "big.yaml", "--format", "json"],
        ["export", "big.yaml", "--format", "json"],
        ["validate", "big.yaml"],
        ["validate", "missing.yaml"],
        ["export", "big.yaml", "--format", "nope"],
    ],
)
def test_same_output_and_exit_code_as_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    big_design(tmp_path / "big.yaml")
    got = run_module(*args, cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    want = CliRunner().invoke(cli, args, prog_name="stratus")
    assert got.returncode == want.exit_code, got.stderr
    assert got.stdout == want.stdout
    assert got.stderr == want.stderr
    assert got.stdout or got.stderr  # each case says something


def test_large_output_reaches_a_pipe_whole(tmp_path: Path) -> None:
    big_design(tmp_path / "big.yaml", services=1500)
    got = run_module("lint", "big.yaml", cwd=tmp_path)
    assert len(got.stdout.encode()) > 256 * 1024  # several pipe buffers
    assert got.stdout.endswith("accepted\n")  # the summary, written last
    assert got.returncode == 1  # unguarded sync calls fail lint


def test_exit_handlers_still_run(tmp_path: Path) -> None:
    big_design(tmp_path / "big.yaml", services=3)
    marker = tmp_path / "handler-ran"
    code = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('yes'))\n"
        "from stratus_tui.__main__ import main\n"
        "sys.argv = ['stratus', 'validate', 'big.yaml']\n"
        "main()\n"
    )
    got = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=ENV
    )
    assert got.returncode == 0, got.stderr
    assert marker.read_text() == "yes"


def test_nothing_happens_outside_a_one_shot_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "_batch_done", False)
    common.exit_now_if_done(0)  # returns: the process is still here to say so


def test_a_message_exit_is_left_to_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "_batch_done", True)
    common.exit_now_if_done("a message for stderr")  # the interpreter prints it
