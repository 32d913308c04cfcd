"""`parse_ahead`: a one-shot command's design file parsed on the other core (issue 21).

The forks run in a fresh interpreter (a pytest process has threads, and `fork_child`
refuses to fork those). Proofs: the child's parse is the command's own; a file changed
after the child read it, a broken file, a stopped child or one nobody takes never change
what the command reads or says; small files, other commands and other formats are not
forked; and whole commands as users run them print exactly what they print in-process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.graphs import write_design
from stratus_tui.core.store.design_file import load_design
from tests.support.processes import last_line_of, run_stratus

CHILD = r"""
import json, os, select, sys
from pathlib import Path
from stratus_tui.core.problems import DesignError
from stratus_tui.core.store import parse_ahead as pa
from stratus_tui.core.store.forked import fork_child
from stratus_tui.core.store.parse_child import ParseAhead, _send_parsed
from stratus_tui.core.yaml_io import parse_text

path, how, command = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
before = sorted(m for m in ("click", "pydantic", "stratus_tui.core.model") if m in sys.modules)
pa.start_for_command([command, str(path)])
ahead = pa._pending
out = {"forked": ahead is not None, "imported_before_fork": before}
if ahead is None:
    print(json.dumps(out)); sys.exit(0)
pid = ahead._pid
from stratus_tui.core.store.design_file import load_design  # the model: after the fork


def gone():
    try:
        os.kill(pid, 0)
        return False
    except ProcessLookupError:
        return True


if how == "same":
    got = pa.take(path)
    text = path.read_text(encoding="utf-8")
    out["same"] = got is not None and got == (text, parse_text(text, str(path)))
elif how == "changed":
    select.select([ahead._fd], [], [])  # the child has read and sent the old bytes
    path.write_text(path.read_text().replace("name: ", "name: Changed ", 1))
    out["taken"] = pa.take(path) is not None
    pa.start_for_command([command, str(path)])  # and again, to read through load_design
    select.select([pa._pending._fd], [], [])
    path.write_text(path.read_text().replace("name: Changed ", "name: Twice ", 1))
    out["name"] = load_design(path).name
elif how == "broken":
    try:
        load_design(path)
        out["message"] = None
    except DesignError as exc:
        out["message"] = str(exc)
elif how == "gated":
    # A child that sends nothing before `meanwhile` lets it: still parsing, for sure.
    pa.drop()
    gate_r, gate_w = os.pipe()

    def work(out):
        os.read(gate_r, 1)
        _send_parsed(out, path)

    pa._pending = ParseAhead(path, *fork_child(work))
    pid = pa._pending._pid
    ran = []

    def meanwhile():
        ran.append("meanwhile")
        os.write(gate_w, b"go")
        raise RuntimeError("dropped: the caller meets it again itself")

    got = pa.take(path, meanwhile)
    out["ran"] = ran
    out["same"] = got is not None and got[1] == parse_text(path.read_text(), str(path))
elif how == "dropped":
    pa.drop()
out["gone"] = gone()
out["pending"] = pa._pending is not None
print(json.dumps(out))
"""


def _run(path: Path, how: str, command: str = "lint") -> dict[str, object]:
    got = json.loads(last_line_of(CHILD, str(path), how, command))
    assert isinstance(got, dict)
    return got


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A design well over MIN_BYTES (150 services, ~110 KB)."""
    return write_design(150, tmp_path / "big.yaml")


def test_the_child_parses_what_the_command_would(big: Path) -> None:
    got = _run(big, "same")
    assert got == {
        "forked": True,
        "imported_before_fork": [],
        "same": True,
        "gone": True,
        "pending": False,
    }


def test_a_file_changed_after_the_child_read_it_is_read_again(big: Path) -> None:
    got = _run(big, "changed")
    assert got["taken"] is False
    assert isinstance(got["name"], str) and got["name"].startswith("Twice ")
    assert got["gone"] is True


def test_a_broken_file_says_what_it_says_without_the_child(big: Path) -> None:
    text = big.read_text()
    big.write_text(text.replace("replicas: 2", "replicas: [2", 1))
    with pytest.raises(Exception) as here:
        load_design(big)
    got = _run(big, "broken")
    assert got["message"] == str(here.value) and ":" in str(got["message"])
    assert got["gone"] is True


def test_work_meanwhile_runs_while_the_child_parses_and_may_fail(big: Path) -> None:
    got = _run(big, "gated")
    assert got["ran"] == ["meanwhile"] and got["same"] is True and got["gone"] is True


def test_a_child_nobody_takes_is_ended(big: Path) -> None:
    got = _run(big, "dropped")
    assert got["gone"] is True and got["pending"] is False


def test_small_files_other_commands_and_formats_are_not_forked(tmp_path: Path, big: Path) -> None:
    small = write_design(5, tmp_path / "small.yaml")
    assert _run(small, "same")["forked"] is False
    assert _run(big, "same", command="serve")["forked"] is False
    as_json = tmp_path / "big.json"
    as_json.write_text(json.dumps({"stratus": 1, "name": "x" * 70_000}))
    assert _run(as_json, "same")["forked"] is False


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["lint", "--format", "json"],
        ["report"],
        ["export", "--format", "markdown"],
        ["export", "--format", "mermaid"],
        ["recommend"],
    ],
    ids=lambda args: "-".join(args[:1] + args[2:]),
)
def test_commands_print_what_they_print_in_process(big: Path, args: list[str]) -> None:
    """The child's parse and the warm-up on a one-line design change no byte of output."""
    from click.testing import CliRunner

    from stratus_tui.cli import cli

    argv = [args[0], str(big), *args[1:]]
    forked = run_stratus(*argv, cwd=big.parent)
    here = CliRunner().invoke(cli, argv)
    assert (forked.returncode, forked.stdout) == (here.exit_code, here.stdout)
    assert forked.stdout.strip()


def test_a_broken_big_file_fails_the_command_with_its_position(big: Path) -> None:
    big.write_text(big.read_text().replace("replicas: 2", "replicas: -2", 1))
    done = run_stratus("lint", str(big), cwd=big.parent)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    with pytest.raises(Exception) as here:
        load_design(big)
    assert done.stderr.strip() == str(here.value).strip()
