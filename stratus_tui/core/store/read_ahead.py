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

import os
import pickle
import select
import signal
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not at import: the parent draws its first frame without the model
    from .design_file import Document


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


class ReadAhead:
    """A child process reading one design file; `result()` takes what it read."""

    def __init__(self, path: Path, pid: int, fd: int) -> None:
        self.path = path
        self._pid: int | None = pid
        self._fd: int | None = fd
        self.also: object = None
        """What the child's `also` made of the document (None: nothing, or it failed)."""

    @classmethod
    def start(
        cls, path: Path, also: Callable[[Document], object] | None = None
    ) -> ReadAhead | None:
        """Fork a reader of `path`, or None where that is not safe or possible. `also`
        runs in the child on the document it read (the workbench's pattern verdicts):
        its result, if it pickles, arrives as `self.also` with the document."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None  # forking a process with threads can deadlock the child
        try:
            r, w = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
        if pid == 0:  # the child: read, send, vanish
            code = 1
            try:
                os.close(r)
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # ctrl+c ends it quietly
                doc = read_document(path)
                data = pickle.dumps((doc, _also(also, doc)), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(w, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        return cls(path, pid, r)

    def ready(self) -> bool:
        """Whether the child has finished writing (reading then does not wait long)."""
        if self._fd is None:
            return True
        try:
            readable, _w, _x = select.select([self._fd], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def result(self) -> Document | str | None:
        """What the child read (waits for it); None when it failed: read it yourself."""
        fd, self._fd = self._fd, None
        if fd is None:
            return None
        chunks: list[bytes] = []
        try:
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(fd)
        ok = self._reap()
        if not ok or not chunks:
            return None
        try:
            got, also = pickle.loads(b"".join(chunks))
        except Exception:  # any damage: the caller reads the file itself
            return None
        from .design_file import Document

        if not isinstance(got, (Document, str)):
            return None
        self.also = also
        return got

    def cancel(self) -> None:
        """Stop the child (the app ended first) and close the pipe."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            with suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> bool:
        """Wait for the child; whether it ended well."""
        pid, self._pid = self._pid, None
        if pid is None:
            return False
        try:
            _pid, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        return os.waitstatus_to_exitcode(status) == 0
