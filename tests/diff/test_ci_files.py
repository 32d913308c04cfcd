"""The shipped CI pieces run what they say: the pre-commit hook and the Actions workflow."""

from __future__ import annotations

import shlex
from pathlib import Path

from ruamel.yaml import YAML

from .conftest import ROOT, commit, edit, git, stratus

CHECKOUT_REPLICAS = "    runtime: kubernetes\n    replicas: 3\n    owner: team-checkout"
ONE_REPLICA = CHECKOUT_REPLICAS.replace("replicas: 3", "replicas: 1")
WORKFLOW = ROOT / "examples" / "github-actions" / "stratus-diff.yml"


def _hook() -> dict[str, object]:
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "stratus-diff"]
    assert isinstance(hook, dict)
    return hook


def test_pre_commit_hook_fails_on_a_new_error_only(repo: Path) -> None:
    hook = _hook()
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    entry = shlex.split(str(hook["entry"]))
    assert entry[0] == "stratus"
    args = [
        "design.yaml" if a == "architecture.yaml" else str(a)
        for a in hook["args"]  # type: ignore[attr-defined]
    ]
    assert stratus(repo, *entry[1:], *args).returncode == 0  # nothing staged yet
    edit(repo / "design.yaml", CHECKOUT_REPLICAS, ONE_REPLICA)
    git(repo, "add", "design.yaml")
    run = stratus(repo, *entry[1:], *args)
    assert run.returncode == 1, run.stderr
    assert "+ error [spof] checkout" in run.stdout


def _diff_command() -> list[str]:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))
    steps = workflow["jobs"]["diff"]["steps"]
    (script,) = [s["run"] for s in steps if "stratus diff" in s.get("run", "")]
    (line,) = [x for x in script.splitlines() if x.strip().startswith("stratus diff")]
    return shlex.split(line.replace('"$DESIGN"', workflow["env"]["DESIGN"]))


def test_workflow_diffs_against_origin_main_and_posts_the_markdown(
    tmp_path: Path, repo: Path
) -> None:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))
    steps = workflow["jobs"]["diff"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # origin/main must be fetched
    assert workflow["permissions"]["pull-requests"] == "write"
    command = _diff_command()
    assert command[:4] == ["stratus", "diff", "--git", "origin/main"]
    assert command[command.index("--format") + 1] == "markdown"
    out = command[command.index("-o") + 1]
    (post,) = [s for s in steps if "gh pr comment" in s.get("run", "")]
    assert f"--body-file {out}" in post["run"]

    # The command itself, in a pull request's clone: origin/main and a changed design.
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(origin))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "config", "user.email", "pr@example.com")
    git(clone, "config", "user.name", "PR")
    git(clone, "checkout", "-q", "-b", "one-copy")
    (clone / "architecture.yaml").write_bytes((clone / "design.yaml").read_bytes())
    git(clone, "rm", "-q", "design.yaml")
    commit(clone, "rename the design file")
    git(clone, "push", "-q", "origin", "HEAD:main")
    git(clone, "fetch", "-q", "origin")
    edit(clone / "architecture.yaml", CHECKOUT_REPLICAS, ONE_REPLICA)
    commit(clone, "one checkout copy")

    run = stratus(clone, *command[1:])
    assert run.returncode == 1, run.stderr  # the workflow's last step fails the check
    comment = (clone / out).read_text("utf-8")
    assert comment.startswith("**STRATUS design diff** (origin/main:architecture.yaml")
    assert "<details open><summary>Findings: 1 opened, 1 closed</summary>" in comment
