"""Reading a design file in a forked child while the workbench starts (issue 21).

`stratus FILE` used to read the file in a thread after the first frame: the parse shared
the interpreter with Textual drawing DISCOVER, and a 1,000-service design was on screen
~0.9 s after start, 2.7x a bare Textual app. Forked before Textual is imported, a child
reads and validates the file on the other core while the parent imports and draws; the
parent takes the finished Document over a pipe (pickled: ~12 ms at 1,000 services).

Anything unusual (no fork on this platform, threads already running, the child dying,
a result that does not unpickle) gives None, and the caller reads the file itself, as
before. The child never touches the terminal and ends with `os._exit`: no exit handler,
no buffered output of the parent's is run or flushed twice.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .forked import ForkedChild, fork_child, write_frame

if TYPE_CHECKING:  # not at import: the parent draws its first frame without the model
    from .design_file import Document

__all__ = ["NO_TREE_NEEDED", "ReadAhead", "read_document", "send_reading", "write_frame"]


def read_document(path: Path) -> Document | str:
    """The document at `path` (a new one if missing), or why it cannot be opened."""
    from ..model import Design
    from ..problems import DesignError
    from .design_file import new_document, open_document

    try:
        if path.exists():
            # Fast loader; the round-trip tree for comment-keeping saves is built from
            # the same bytes later (`with_tree`, or the first save).
            return open_document(path, lazy=True)
        return new_document(path, Design(name=path.stem))
    except DesignError as exc:
        return str(exc)
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot open: {exc}"


def _also(also: Callable[[Document], object] | None, doc: Document | str) -> object:
    if also is None or isinstance(doc, str):
        return None
    try:
        result = also(doc)
        pickle.dumps(result)
    except Exception:  # only a head start: the parent computes it again
        return None
    return result


NO_TREE_NEEDED = "no tree needed"
"""The child's second frame for a file written as stratus saves it (`written_as_saved`)."""


def send_reading(
    out: BinaryIO, path: Path, also: Callable[[Document], object] | None = None
) -> None:
    """What the reading child sends: the document read (with what `also` made of it),
    then, for a YAML file read lazily, its round-trip tree, or NO_TREE_NEEDED."""
    doc = read_document(path)
    write_frame(out, (doc, _also(also, doc)))
    if not isinstance(doc, str) and doc.tree is None and doc.source:
        from .design_file import with_tree

        tree = with_tree(doc).tree
        write_frame(out, NO_TREE_NEEDED if tree is None else tree)


class ReadAhead(ForkedChild):
    """A child process reading one design file: `result()` takes the document it read,
    then `tree()` the comment-keeping round-trip tree it went on to build (seconds of
    pure-Python parsing: 3 s at 1,000 services, ~18 s at 5,000, no longer competing
    with the workbench for the interpreter, nor making the first save wait for it)."""

    def __init__(self, path: Path, pid: int, fd: int) -> None:
        super().__init__(pid, fd)
        self.path = path
        self._taken = False
        self._tree_asked = False
        self._tree: Any = None
        self.digest: str | None = None
        """The digest of the bytes the child read (its tree is of those bytes)."""
        self.also: object = None
        """What the child's `also` made of the document (None: nothing, or it failed)."""

    @classmethod
    def start(
        cls, path: Path, also: Callable[[Document], object] | None = None
    ) -> ReadAhead | None:
        """Fork a reader of `path`, or None where that is not safe or possible. `also`
        runs in the child on the document it read (the workbench's pattern verdicts):
        its result, if it pickles, arrives as `self.also` with the document."""
        child = fork_child(lambda out: send_reading(out, path, also))
        return None if child is None else cls(path, *child)

    def ready(self) -> bool:
        """Whether the child has begun sending the document (reading then does not wait
        long)."""
        return self._taken or super().ready()

    def result(self) -> Document | str | None:
        """What the child read (waits for it), once; None when it failed: read the file
        yourself. When no tree will follow, the child is done with."""
        from .document import Document

        with self._lock:
            if self._taken:
                return None
            self._taken = True
            frame = self._frame()
        got: object = None
        if frame is not None:
            try:
                got, self.also = pickle.loads(frame)
            except Exception:  # any damage: the caller reads the file itself
                got = None
        if not isinstance(got, (Document, str)):
            self.also = None
            self.cancel()
            return None
        if isinstance(got, str) or got.tree is not None or not got.source:
            self.cancel()  # nothing more comes
        else:
            self.digest = got.digest
        return got

    def ready_to_save(self, doc: Document) -> Document | None:
        """`doc` as `design_file.with_tree` would make it, from what the child built (waits
        for it; from any thread), or None when the child has nothing for `doc`."""
        from dataclasses import replace

        if doc.tree is not None or doc.digest != self.digest:
            return None
        tree = self.tree()
        if tree is None:
            return None
        if isinstance(tree, str) and tree == NO_TREE_NEEDED:
            tree = None  # nothing of a person's to keep: saves write the design anew
        return replace(doc, tree=tree, source=None)

    def tree(self) -> Any:
        """The round-trip tree of the bytes the child read (waits for it; the same
        answer to every caller), NO_TREE_NEEDED for a file written as stratus saves it,
        or None when it is not coming."""
        with self._lock:
            if not self._tree_asked:
                self._tree_asked = True
                frame = self._frame() if self._taken else None
                if frame is not None:
                    try:
                        self._tree = pickle.loads(frame)
                    except Exception:  # the caller builds it instead
                        self._tree = None
        self.cancel()
        return self._tree
