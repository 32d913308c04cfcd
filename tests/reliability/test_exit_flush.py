"""The last edits reach the disk on every way out of the workbench (issue 12, item 8).

A real `stratus FILE` under a pseudo-terminal (`pty.fork`: the terminal is the child's
controlling terminal, as in a terminal emulator) makes an edit and is then sent SIGTERM,
sent SIGHUP, or has its terminal closed. Autosave is put an hour away, so only the flush
on the way out can have saved the edit.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import sys
import threading
from pathlib import Path

import pytest

from stratus_tui.core.store.design_file import load_design

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_designs" / "checkout.yaml"

EDIT_THEN_WAIT = """
import os, sys
from stratus_tui.ui import app as app_module

app_module.AUTOSAVE_DELAY = 3600.0  # only the flush on the way out can save the edit
opened = app_module.StratusApp._opened

def edit_after_open(self):
    opened(self)
    self.apply(self.design.model_copy(update={"name": "Edited just before the end"}), "name")
    os.write(int(os.environ["STRATUS_TEST_FD"]), b"edited\\n")

app_module.StratusApp._opened = edit_after_open
from stratus_tui.cli import main
main(sys.argv[1:])
"""


def _start(design: Path, tmp_path: Path) -> tuple[int, int, int]:
    """Fork the workbench on `design` under a new pty; (pid, pty master, marker pipe)."""
    read_end, write_end = os.pipe()
    os.set_inheritable(write_end, True)
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
        "STRATUS_STATE_DIR": str(tmp_path / "state"),
        "STRATUS_CONFIG_DIR": str(tmp_path / "config"),
        "STRATUS_TEST_FD": str(write_end),
    }
    env.pop("TEXTUAL_DRIVER", None)
    pid, master = pty.fork()
    if pid == 0:  # the child: straight into a fresh interpreter
        # as a terminal would start it: under `nohup` SIGHUP arrives ignored, the app then
        # rightly leaves it alone, and the hang-up cases would wait forever
        for sig in (signal.SIGHUP, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-c", EDIT_THEN_WAIT, str(design)], env)
    os.close(write_end)
    return pid, master, read_end


def _drain(master: int, out: list[bytes]) -> None:
    """Read the terminal so the app never blocks on a full pty; ends at hang-up."""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            return
        if not chunk:
            return
        out.append(chunk)


def _wait_for_edit(marker: int, out: list[bytes]) -> None:
    ready, _, _ = select.select([marker], [], [], 60)
    assert ready, "the workbench never made its edit:\n" + b"".join(out)[-3000:].decode(
        "utf-8", "replace"
    )
    assert os.read(marker, 100) == b"edited\n"


@pytest.mark.parametrize("way_out", ["SIGTERM", "SIGHUP", "terminal closed"])
def test_the_edit_is_on_disk_after_the_session_ends(tmp_path: Path, way_out: str) -> None:
    design = tmp_path / "checkout.yaml"
    shutil.copy(SAMPLE, design)
    pid, master, marker = _start(design, tmp_path)
    out: list[bytes] = []
    reader = threading.Thread(target=_drain, args=(master, out), daemon=True)
    reader.start()
    closed = False
    try:
        _wait_for_edit(marker, out)
        if way_out == "terminal closed":
            os.close(master)  # the kernel hangs up the session: SIGHUP to the app
            closed = True
        else:
            os.kill(pid, getattr(signal, way_out))
        _, status = os.waitpid(pid, 0)
    finally:
        if not closed:
            reader.join(timeout=10)
            os.close(master)
        os.close(marker)
    assert load_design(design).name == "Edited just before the end", b"".join(out)[-3000:]
    # It ended by itself, not killed by the signal's default action.
    assert os.WIFEXITED(status), status
    assert b"Traceback" not in b"".join(out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".checkout")) == []
    assert not (tmp_path / "checkout.yaml.lock").exists()
