"""Reading a design at a git revision (`git show REV:PATH`), for `stratus diff --git`.

git runs as a subprocess with an argument list (never a shell), without prompts, and
every failure becomes a `GitError` with one clear sentence: not a git repository, a
revision git does not know, a file that does not exist at that revision. A file read
from git is validated like one on disk; its problems are reported as `REV:PATH:LINE:COL`.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..model import Design
from ..problems import DesignError, Problem
from ..store.design_file import design_from_data
from ..yaml_io import MAX_FILE_BYTES, decode

GIT_TIMEOUT_S = 60.0
"""A git command that takes longer than this is stopped (a hung credential helper)."""
DESIGN_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
# A design file names its schema version at the top level: `stratus: 1` (YAML),
# `"stratus": 1` (JSON) or `stratus = 1` (TOML).
_LOOKS_LIKE_DESIGN = re.compile(r'(?m)^\s*"?stratus"?\s*[:=]\s*\d')


class GitError(Exception):
    """git could not give what was asked; the message says what and why."""


@dataclass(frozen=True, slots=True)
class Revisions:
    """What `--git` names: the old revision, and the new one (None: the working copy)."""

    old: str
    new: str | None

    @classmethod
    def parse(cls, spec: str) -> Revisions:
        """`REV` (against the working copy) or `A..B`; an empty side is HEAD, as in git."""
        text = spec.strip()
        if not text:
            raise GitError("--git needs a revision, e.g. --git origin/main or --git A..B")
        if "..." in text:
            raise GitError(f"{spec!r}: use A..B (two dots) to compare two revisions")
        if ".." in text:
            old, new = text.split("..", 1)
            return cls(old or "HEAD", new or "HEAD")
        return cls(text, None)

    def describe(self) -> str:
        return f"{self.old}..{self.new}" if self.new else f"{self.old} and the working copy"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a read-only diff takes no index lock
    env.pop("GIT_DIR", None)  # the folder decides the repository, not a stray variable
    env.pop("GIT_WORK_TREE", None)
    return env


def run_git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`git -C folder args...` with output captured; GitError when git cannot run."""
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            check=False,
            env=_env(),
            timeout=GIT_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT_S:.0f} s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = proc.stderr.decode("utf-8", errors="replace").strip()
    lines = [line.removeprefix("fatal: ") for line in text.splitlines() if line.strip()]
    return lines[0] if lines else f"git exited with {proc.returncode}"


def repo_root(folder: Path) -> Path:
    """The top folder of the git working copy holding `folder`."""
    if not folder.is_dir():
        raise GitError(f"{folder}: no such folder")
    proc = run_git(folder, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise GitError(f"{folder}: not a git repository (or any parent up to /)")
    return Path(proc.stdout.decode("utf-8", errors="surrogateescape").strip())


def check_revision(root: Path, rev: str) -> str:
    """The commit `rev` names; GitError for an unknown or malformed revision."""
    if not rev or rev.startswith("-") or any(ch in rev for ch in "\0\n\r"):
        raise GitError(f"{rev!r}: not a revision (a branch, tag or commit)")
    proc = run_git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if proc.returncode != 0:
        raise GitError(f"{rev!r}: unknown revision (no such branch, tag or commit in {root})")
    return proc.stdout.decode().strip()


def relative_to_root(root: Path, path: Path) -> PurePosixPath:
    """`path` as git names it in `root`'s tree (forward slashes, no `..`)."""
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        try:
            rel = absolute.resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            raise GitError(f"{path}: outside the git repository {root}") from None
    return PurePosixPath(rel.as_posix())


def show(root: Path, rev: str, rel: PurePosixPath) -> bytes:
    """The bytes of `rel` at `rev` (`git show REV:PATH`)."""
    check_revision(root, rev)
    kind = run_git(root, "cat-file", "-t", f"{rev}:{rel}")
    if kind.returncode != 0:
        raise GitError(f"{rel}: does not exist at {rev}")
    if kind.stdout.strip() != b"blob":
        raise GitError(f"{rel}: is a folder at {rev}, not a file")
    proc = run_git(root, "show", f"{rev}:{rel}")
    if proc.returncode != 0:
        raise GitError(f"{rel} at {rev}: {_stderr(proc)}")
    if len(proc.stdout) > MAX_FILE_BYTES:
        raise GitError(f"{rel} at {rev}: larger than {MAX_FILE_BYTES:,} bytes")
    return proc.stdout


def _kind(path: PurePosixPath | Path) -> str:
    return {".json": "json", ".toml": "toml"}.get(path.suffix.lower(), "yaml")


def design_from_bytes(raw: bytes, name: str, kind: str) -> Design:
    """Validate a design read from anywhere but a file; problems are located in `name`."""
    text = decode(raw, name)
    if not text.strip():
        raise DesignError(
            [
                Problem(
                    "the file is empty; a design needs 'stratus: 1' and 'name: ...'", (), name, 1, 1
                )
            ]
        )
    data: Any
    if kind == "json":
        from ..store.formats import parse_json

        data = parse_json(text, name)
    elif kind == "toml":
        from ..store.formats import parse_toml

        data = parse_toml(text, name)
    else:
        from ..yaml_io import parse_text

        data = parse_text(text, name)
    return design_from_data(data, name, text, kind=kind)


def design_at(root: Path, rev: str, rel: PurePosixPath) -> tuple[Design, str]:
    """The design in `rel` at `rev`, and the name it is shown under (`REV:PATH`).

    Raises GitError (git could not give the file) or DesignError (the file is not a
    valid design at that revision).
    """
    name = f"{rev}:{rel}"
    return design_from_bytes(show(root, rev, rel), name, _kind(rel)), name


def changed_designs(root: Path, revs: Revisions) -> list[PurePosixPath]:
    """Design files (by suffix and a top-level `stratus:` key) that differ between the
    revisions, for `stratus diff --git REV` without a FILE."""
    check_revision(root, revs.old)
    if revs.new is not None:
        check_revision(root, revs.new)
    args = ["diff", "--name-only", "-z", "--no-renames", revs.old]
    if revs.new is not None:
        args.append(revs.new)
    proc = run_git(root, *args, "--")
    if proc.returncode != 0:
        raise GitError(f"git diff {revs.describe()}: {_stderr(proc)}")
    names = [n for n in proc.stdout.decode("utf-8", errors="surrogateescape").split("\0") if n]
    out: list[PurePosixPath] = []
    for name in names:
        rel = PurePosixPath(name)
        if rel.suffix.lower() not in DESIGN_SUFFIXES:
            continue
        if any(_looks_like_design(text) for text in _versions(root, revs, rel)):
            out.append(rel)
    return out


def _versions(root: Path, revs: Revisions, rel: PurePosixPath) -> list[str]:
    texts: list[str] = []
    for rev in (revs.old, revs.new):
        raw: bytes | None = None
        if rev is None:
            try:
                raw = (root / rel).read_bytes()[:65536]
            except OSError:
                raw = None
        else:
            proc = run_git(root, "show", f"{rev}:{rel}")
            raw = proc.stdout[:65536] if proc.returncode == 0 else None
        if raw is not None:
            texts.append(raw.decode("utf-8", errors="replace"))
    return texts


def _looks_like_design(text: str) -> bool:
    return _LOOKS_LIKE_DESIGN.search(text) is not None
