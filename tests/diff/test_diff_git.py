"""`stratus diff --git`: real repositories in tmp_path, real git, real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import commit, edit, git, stratus

CHECKOUT_REPLICAS = "    runtime: kubernetes\n    replicas: 3\n    owner: team-checkout"
ONE_REPLICA = CHECKOUT_REPLICAS.replace("replicas: 3", "replicas: 1")


def _no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr


def test_against_the_working_copy(repo: Path) -> None:
    edit(repo / "design.yaml", CHECKOUT_REPLICAS, ONE_REPLICA)
    run = stratus(repo, "diff", "--git", "HEAD", "design.yaml")
    assert run.returncode == 1, run.stderr  # a new spof error
    assert run.stdout.startswith("stratus diff HEAD:design.yaml → design.yaml\n")
    assert "+ error [spof] checkout" in run.stdout


def test_two_revisions_ignore_the_working_copy(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    edit(repo / "design.yaml", CHECKOUT_REPLICAS, ONE_REPLICA)
    second = commit(repo, "one checkout copy")
    (repo / "design.yaml").write_text("not: [a design", encoding="utf-8")  # not read

    run = stratus(repo, "diff", "--git", f"{first}..{second}", "design.yaml", "--format", "json")
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert (data["old"], data["new"]) == (f"{first}:design.yaml", f"{second}:design.yaml")
    assert [f["rule"] for f in data["consequences"]["findings"] if f["change"] == "opened"] == [
        "spof"
    ]
    # the same revisions the other way round close the finding: nothing new, exit 0
    back = stratus(repo, "diff", "--git", f"{second}..{first}", "design.yaml")
    assert back.returncode == 0, back.stderr
    assert "- error [spof] checkout" in back.stdout


def test_without_a_file_the_changed_design_is_found(repo: Path) -> None:
    (repo / "deploy").mkdir()
    (repo / "deploy" / "values.yaml").write_text("replicas: 3\n", encoding="utf-8")
    commit(repo, "unrelated yaml")
    edit(repo / "design.yaml", CHECKOUT_REPLICAS, ONE_REPLICA)
    (repo / "deploy" / "values.yaml").write_text("replicas: 1\n", encoding="utf-8")
    # run from a sub-folder: the repository decides, not the current folder
    run = stratus(repo / "deploy", "diff", "--git", "HEAD")
    assert run.returncode == 1, run.stderr
    assert "HEAD:design.yaml → design.yaml" in run.stdout


def test_without_a_file_and_no_design_changed_there_is_nothing_to_say(repo: Path) -> None:
    run = stratus(repo, "diff", "--git", "HEAD", "--format", "markdown")
    assert run.returncode == 0, run.stderr
    assert (
        run.stdout
        == "**STRATUS design diff**: No design file changed between HEAD and the working copy.\n"
    )


def test_identical_revision_and_working_copy(repo: Path) -> None:
    run = stratus(repo, "diff", "--git", "HEAD", "design.yaml")
    assert run.returncode == 0, run.stderr
    assert "No change" in run.stdout


def test_unknown_and_malformed_revisions_exit_2(repo: Path) -> None:
    for spec, says in (
        ("no-such-branch", "'no-such-branch': unknown revision"),
        ("HEAD~5", "'HEAD~5': unknown revision"),  # one commit: no fifth ancestor
        ("HEAD..nope", "'nope': unknown revision"),
        ("HEAD...HEAD", "use A..B (two dots)"),
        ("-x", "'-x': not a revision"),
    ):
        run = stratus(repo, "diff", f"--git={spec}", "design.yaml")
        assert run.returncode == 2, (spec, run.stdout, run.stderr)
        assert says in run.stderr, (spec, run.stderr)
        assert run.stdout == ""
        _no_traceback(run.stderr)


def test_a_file_missing_at_the_revision_exits_2(repo: Path) -> None:
    (repo / "other.yaml").write_text("stratus: 1\nname: New\n", encoding="utf-8")
    run = stratus(repo, "diff", "--git", "HEAD", "other.yaml")
    assert run.returncode == 2
    assert run.stderr.strip() == "other.yaml: does not exist at HEAD"
    (repo / "docs").mkdir()
    (repo / "docs" / "x.md").write_text("x\n", encoding="utf-8")
    commit(repo, "docs")
    (repo / "docs" / "x.md").unlink()
    (repo / "docs").rmdir()  # a folder at HEAD, gone from the working copy
    run = stratus(repo, "diff", "--git", "HEAD", "docs")
    assert run.returncode == 2
    assert "docs: is a folder at HEAD" in run.stderr


def test_outside_a_git_repository_exits_2(tmp_path: Path, repo: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "design.yaml").write_bytes((repo / "design.yaml").read_bytes())
    run = stratus(plain, "diff", "--git", "HEAD", "design.yaml")
    assert run.returncode == 2
    assert "not a git repository" in run.stderr
    _no_traceback(run.stderr)


def test_an_invalid_design_at_a_revision_is_located_and_exits_2(repo: Path) -> None:
    edit(
        repo / "design.yaml",
        "    replicas: 3\n    owner: team-checkout",
        "    replicas: many\n    owner: team-checkout",
    )
    commit(repo, "broken")
    edit(repo / "design.yaml", "replicas: many", "replicas: 3")
    run = stratus(repo, "diff", "--git", "HEAD", "design.yaml")
    assert run.returncode == 2
    first = run.stderr.splitlines()[0]
    assert first.startswith("HEAD:design.yaml:")
    line, col = first.split(":")[2:4]
    assert int(line) > 1 and int(col) > 1
    assert "replicas" in first
    _no_traceback(run.stderr)


def test_usage_errors_exit_2(repo: Path) -> None:
    for args in (("diff",), ("diff", "design.yaml"), ("diff", "--git", "HEAD", "a.yaml", "b.yaml")):
        run = stratus(repo, *args)
        assert run.returncode == 2, args
        _no_traceback(run.stderr)
    run = stratus(repo, "diff", "design.yaml", "missing.yaml")
    assert run.returncode == 2
    assert run.stderr.startswith("missing.yaml")


def test_output_file_is_written_and_never_the_design(repo: Path) -> None:
    edit(repo / "design.yaml", CHECKOUT_REPLICAS, ONE_REPLICA)
    before = (repo / "design.yaml").read_bytes()
    run = stratus(repo, "diff", "--git", "HEAD", "design.yaml", "-o", "design.yaml")
    assert run.returncode == 2
    assert (repo / "design.yaml").read_bytes() == before
    run = stratus(
        repo, "diff", "--git", "HEAD", "design.yaml", "--format", "markdown", "-o", "out/diff.md"
    )
    assert run.returncode == 1, run.stderr
    assert (
        (repo / "out" / "diff.md").read_text(encoding="utf-8").startswith("**STRATUS design diff**")
    )
