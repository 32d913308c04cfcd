"""Where an action writes: one-file checks, the target's folder, and the atomic write that
turns OS errors into `ActionError` messages."""

from __future__ import annotations

import re
from pathlib import Path

from . import ActionError

# Characters a YAML reader takes as the end of a line (or refuses outright) inside a
# comment: a file name holding one must not spill onto the next line of the file.
_NOT_IN_A_COMMENT = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when the two paths name one file (symlinks and `..` resolved)."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare as written
        return Path(a).absolute() == Path(b).absolute()


def comment_text(text: str) -> str:
    """`text` made safe inside a one-line YAML comment: line breaks and characters YAML
    refuses become spaces."""
    return _NOT_IN_A_COMMENT.sub(" ", text)


def make_parent(target: Path, shown: str) -> None:
    """Create `target`'s folder; ActionError naming the file in the way when one is."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a file where a folder must be
        blocker = next((p for p in target.parents if p.is_file()), target.parent)
        raise ActionError(f"{shown}: cannot write: {blocker} is a file, not a folder") from None
    except OSError as exc:
        raise ActionError(f"{shown}: cannot write: {exc.strerror or exc}") from None


def write_text(target: Path, text: str, shown: str, *, exclusive: bool, backup: bool) -> None:
    """Write `text` to `target` atomically (folder created first).

    FileExistsError (from `exclusive`) is left to the caller, which words the refusal;
    any other OS error becomes ActionError `FILE: cannot write: why`.
    """
    from ..store.design_file import atomic_write

    make_parent(target, shown)
    try:
        atomic_write(target, text.encode("utf-8"), backup=backup, exclusive=exclusive)
    except FileExistsError:
        raise
    except OSError as exc:
        raise ActionError(f"{shown}: cannot write: {exc.strerror or exc}") from None
