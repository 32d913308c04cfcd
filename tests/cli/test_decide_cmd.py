"""`stratus decide FILE PATTERN`: the Decide pane's record, from the command line."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from stratus_tui.core.decide import decision_from_verdict, record_decision
from stratus_tui.core.patterns import recommend
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from tests.support.processes import plain_env, run_stratus

ROOT = Path(__file__).resolve().parents[2]
COMMENT = "# kept: a comment the architect wrote\n"


def stratus(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_stratus(*args, cwd=cwd, env=plain_env(home=cwd))


@pytest.fixture
def design(tmp_path: Path) -> Path:
    target = tmp_path / "shop.yaml"
    target.write_text(COMMENT + sample_path("checkout").read_text(encoding="utf-8"))
    return target


def test_accept_records_the_panes_decision_and_keeps_comments(design: Path) -> None:
    before = load_design(design)
    result = stratus("decide", "shop.yaml", "circuit-breaker", cwd=design.parent)
    assert result.returncode == 0, result.stderr
    after = load_design(design)  # it validates
    new = [d for d in after.decisions if d.pattern == "circuit-breaker"]
    assert len(new) == 1
    assert (
        result.stdout == f"recorded decision {new[0].id}: {new[0].title} (accepted) in shop.yaml\n"
    )
    text = design.read_text()
    assert text.startswith(COMMENT)
    assert text.count("#") >= sample_path("checkout").read_text().count("#")
    # what the Decide pane records for the same verdict, on the same day
    verdict = next(v for v in recommend(before) if v.pattern == "circuit-breaker")
    expected = decision_from_verdict(before, verdict, True, today=new[0].date)
    assert new[0] == expected
    assert after == record_decision(before, expected)
    assert new[0].date is not None and abs((new[0].date - dt.date.today()).days) <= 1


def test_a_file_as_stratus_writes_it_is_saved_as_stratus_writes_it(tmp_path: Path) -> None:
    """Nothing of a person's to keep: the decision is saved by writing the design anew,
    with no comment-keeping tree built (~25 s of ruamel's parse at 5,000 services)."""
    from stratus_tui.core.store.serialise import to_yaml

    written = tmp_path / "written.yaml"
    written.write_text(to_yaml(load_design(sample_path("checkout"))), encoding="utf-8")
    result = stratus("decide", "written.yaml", "circuit-breaker", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = load_design(written)
    assert [d.pattern for d in after.decisions].count("circuit-breaker") == 1
    assert written.read_text(encoding="utf-8") == to_yaml(after)


def test_deciding_on_a_file_as_stratus_writes_it_builds_no_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stratus_tui.core.actions.deciding import decide_pattern
    from stratus_tui.core.store import design_file
    from stratus_tui.core.store.serialise import to_yaml

    trees: list[str] = []
    real = design_file._parse

    def counted(text: str, file: str, kind: str, *, round_trip: bool = False) -> object:
        if round_trip:
            trees.append(file)
        return real(text, file, kind, round_trip=round_trip)

    monkeypatch.setattr(design_file, "_parse", counted)
    written = tmp_path / "written.yaml"
    written.write_text(to_yaml(load_design(sample_path("checkout"))), encoding="utf-8")
    decide_pattern(written, "circuit-breaker", today=dt.date(2026, 12, 5))
    assert trees == []
    commented = tmp_path / "commented.yaml"
    commented.write_text(COMMENT + written.read_text(encoding="utf-8"), encoding="utf-8")
    decide_pattern(commented, "api-gateway", today=dt.date(2026, 12, 5))
    assert trees == [str(commented)]  # a person's comment: the tree, and it is kept
    assert commented.read_text(encoding="utf-8").startswith(COMMENT)


def test_reject_then_accept_updates_the_record_as_the_pane_does(design: Path) -> None:
    assert (
        stratus("decide", "shop.yaml", "circuit-breaker", "--reject", cwd=design.parent).returncode
        == 0
    )
    rejected = load_design(design)
    first = next(d for d in rejected.decisions if d.pattern == "circuit-breaker")
    assert first.status == "rejected" and first.title.startswith("Do not adopt")
    result = stratus("decide", "shop.yaml", "circuit-breaker", cwd=design.parent)
    assert result.returncode == 0, result.stderr
    accepted = load_design(design)
    again = [d for d in accepted.decisions if d.pattern == "circuit-breaker"]
    assert len(again) == 1 and again[0].id == first.id  # updated, not a second record
    verdict = next(v for v in recommend(rejected) if v.pattern == "circuit-breaker")
    pane = record_decision(
        rejected, decision_from_verdict(rejected, verdict, True, today=again[0].date)
    )
    assert accepted == pane
    assert result.stdout.startswith(f"updated decision {first.id}: Adopt ")
    assert "(accepted, was rejected)" in result.stdout
    # the same decision again: refused, nothing written
    data = design.read_bytes()
    result = stratus("decide", "shop.yaml", "circuit-breaker", cwd=design.parent)
    assert result.returncode == 1 and not result.stdout
    assert result.stderr == (
        f"shop.yaml: decision {first.id} already records circuit-breaker as accepted;"
        " nothing was written\n"
    )
    assert design.read_bytes() == data


def test_a_decision_a_person_wrote_keeps_their_words(design: Path) -> None:
    result = stratus("decide", "shop.yaml", "saga", "--reject", cwd=design.parent)
    assert result.returncode == 0, result.stderr
    saga = next(d for d in load_design(design).decisions if d.pattern == "saga")
    assert saga.id == "adr-001" and saga.status == "rejected"
    assert saga.title == "Use a saga for checkout"  # not a generated title: kept
    assert "(rejected, was accepted)" in result.stdout


def test_unknown_pattern_suggests_and_writes_nothing(design: Path) -> None:
    data = design.read_bytes()
    result = stratus("decide", "shop.yaml", "circuit-breakr", cwd=design.parent)
    assert result.returncode == 1
    assert "did you mean 'circuit-breaker'?" in result.stderr
    assert design.read_bytes() == data
    assert not design.with_name("shop.yaml.bak").exists()


def test_bad_file_gives_file_line_col(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("stratus: 1\nname: x\nservices:\n  - id: a\n    kynd: 1\n")
    result = stratus("decide", "bad.yaml", "saga", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("bad.yaml:5:5: ")
    missing = stratus("decide", "missing.yaml", "saga", cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.startswith("missing.yaml")


def test_unknown_scope_is_a_usage_error(design: Path) -> None:
    result = stratus("decide", "shop.yaml", "saga", "--scope", "nowhere", cwd=design.parent)
    assert result.returncode == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_failed_write_leaves_the_file_intact(design: Path) -> None:
    data = design.read_bytes()
    folder = design.parent
    folder.chmod(0o555)
    try:
        result = stratus("decide", "shop.yaml", "circuit-breaker", cwd=folder)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 1
    assert result.stderr.startswith("shop.yaml: cannot write")
    assert design.read_bytes() == data


def test_failed_backup_leaves_the_file_intact(design: Path) -> None:
    # a folder where the backup goes fails the save even for root
    (design.parent / "shop.yaml.bak").mkdir()
    (design.parent / "shop.yaml.bak" / "x").write_text("")
    data = design.read_bytes()
    result = stratus("decide", "shop.yaml", "circuit-breaker", cwd=design.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("shop.yaml: cannot write")
    assert design.read_bytes() == data


def test_help_lists_decide(tmp_path: Path) -> None:
    result = stratus("--help", cwd=tmp_path)
    assert "decide" in result.stdout
    usage = stratus("decide", "--help", cwd=tmp_path)
    assert "Usage: stratus decide [OPTIONS] FILE PATTERN" in usage.stdout
