"""Running Graphviz `dot -Tplain`: outputs remembered by input, and a spare process.

dot is deterministic, so its output for one DOT text never changes: an edit that only
renames (or relabels edges) reuses it. A spare process, started ahead and waiting on
its input, saves dot's own start-up on the next layout; it is the same program with
the same arguments, so it answers exactly what a fresh one would.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import threading
from collections import OrderedDict

PLAIN_CACHE_SIZE = 16
"""dot outputs kept by input: dot is deterministic, so the same DOT text (same box
sizes, clusters and edges, whatever the labels say) never needs dot again."""

_plain_cache: OrderedDict[tuple[str, str], str] = OrderedDict()
_plain_lock = threading.Lock()


def cached_plain(key: tuple[str, str]) -> str | None:
    """The remembered output of dot binary `key[0]` for DOT text `key[1]`, if any."""
    with _plain_lock:
        text = _plain_cache.get(key)
        if text is not None:
            _plain_cache.move_to_end(key)
        return text


def remember_plain(key: tuple[str, str], text: str) -> None:
    """Remember dot's output for `key` (the least recently used beyond the size go)."""
    with _plain_lock:
        _plain_cache[key] = text
        while len(_plain_cache) > PLAIN_CACHE_SIZE:
            _plain_cache.popitem(last=False)


def clear_dot_cache() -> None:
    """Forget every remembered dot output (tests compare against fresh runs)."""
    with _plain_lock:
        _plain_cache.clear()


_warm = False
_spare: subprocess.Popen[str] | None = None


def keep_dot_warm(on: bool = True) -> None:
    """Keep one `dot -Tplain` started ahead, waiting for its input, so a layout does
    not wait for dot to start (about 10 ms). It is the same program with the same
    arguments, so it draws exactly what a fresh one would. For long-lived UIs; a
    one-shot CLI run would only waste the spare process."""
    global _warm, _spare
    with _plain_lock:
        _warm, proc = on, None if on else _spare
        if not on:
            _spare = None
    if proc is not None:
        _discard(proc)
    exe = shutil.which("dot") if on else None
    if exe is not None:
        _refill(exe)  # ready for the first layout too


def _start(exe: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [exe, "-Tplain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _discard(proc: subprocess.Popen[str]) -> None:
    # dot reads an empty input and exits; anything else is killed.
    try:
        proc.communicate("", timeout=1)
    except (OSError, ValueError, subprocess.SubprocessError):
        proc.kill()
        proc.wait()


def _take_spare(exe: str) -> subprocess.Popen[str] | None:
    global _spare
    with _plain_lock:
        proc, _spare = _spare, None
    if proc is not None and (proc.args != [exe, "-Tplain"] or proc.poll() is not None):
        _discard(proc)  # started for another dot (PATH changed) or gone
        return None
    return proc


def _refill(exe: str) -> None:
    global _spare
    with _plain_lock:
        if not _warm or _spare is not None:
            return
        try:
            _spare = _start(exe)
        except OSError:
            _spare = None


@atexit.register
def _stop_spare() -> None:
    keep_dot_warm(False)


def _feed(proc: subprocess.Popen[str], source: str, timeout: float) -> tuple[str, str, int]:
    try:
        out, err = proc.communicate(source, timeout=timeout)
        return out, err, proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise


def run_dot(exe: str, source: str, timeout: float) -> str:
    """`exe -Tplain` on `source`: its output, or `ValueError` when it fails,
    `subprocess.TimeoutExpired` when it is too slow, `OSError` when it won't start."""
    result: tuple[str, str, int] | None = None
    try:
        proc = _take_spare(exe)
        if proc is not None:
            try:
                result = _feed(proc, source, timeout)
            except BrokenPipeError:  # the spare died meanwhile: start afresh
                proc.wait()
        if result is None:
            proc = _start(exe)
            result = _feed(proc, source, timeout)
    finally:
        _refill(exe)  # starts while the caller packs and routes
    out, err, code = result
    if code != 0:
        raise ValueError(f"dot failed: {err.strip()[:200]}")
    return out
