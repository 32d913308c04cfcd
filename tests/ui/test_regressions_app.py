"""Regressions of issue 11 at the app level: crashes, terminals, keys, verdicts, export, review.

Each test replays what a person did when the defect showed, on a real file, with the real
app (Pilot) or the real `stratus` process.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-in-the-design"


# ----------------------------------------------------------------- 4. a crash is a crash

CRASH_ON_OPEN = """
import sys
from stratus_tui.ui.app import StratusApp

def explode(self):
    design = self.design  # a local holding the design: it must not reach the terminal
    raise RuntimeError("injected failure\\nsecond line never shown")

StratusApp._opened = explode
from stratus_tui.cli import main
main(sys.argv[1:])
"""


def run_in_pty(
    args: list[str], cwd: Path, env: dict[str, str], piped: str | None = None
) -> tuple[int, str]:
    """Run a process with a pseudo-terminal as stdin, stdout and stderr, as in a terminal,
    except for `piped` ("stdin": /dev/null, "stdout"/"stderr": a pipe).

    Returns (exit status, everything written to the terminal and the pipe).
    """
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    streams: dict[str, int] = {"stdin": slave, "stdout": slave, "stderr": slave}
    if piped is not None:
        streams[piped] = subprocess.DEVNULL if piped == "stdin" else subprocess.PIPE
    proc = subprocess.Popen(args, cwd=cwd, env=env, **streams)  # type: ignore[call-overload]
    os.close(slave)
    written: list[bytes] = []

    def drain() -> None:  # the app blocks on a full terminal if nobody reads it
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every holder of the terminal closed it
                return
            if not chunk:
                return
            written.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        reader.join(timeout=10)
        os.close(master)
    text = b"".join([*written, out or b"", err or b""])
    return proc.returncode, text.decode("utf-8", "replace")


def test_a_crash_exits_non_zero_with_a_summary_and_a_log(design_file: Path, tmp_path: Path) -> None:
    # A comment the design's loader keeps in memory: it must not be printed anywhere.
    design_file.write_text(f"# {SECRET}\n" + design_file.read_text("utf-8"), "utf-8")
    before = design_file.read_bytes()
    state = tmp_path / "state"
    env = {**os.environ, "TERM": "xterm-256color", "STRATUS_STATE_DIR": str(state)}
    env.pop("TEXTUAL_DRIVER", None)
    code, written = run_in_pty(
        [sys.executable, "-c", CRASH_ON_OPEN, str(design_file)], tmp_path, env
    )
    # What is left after the app leaves the alternate screen: the message.
    after = written.rsplit("\x1b[?1049l", 1)[-1]
    assert code == 1, written[-2000:]
    assert "stratus crashed: RuntimeError: injected failure" in after
    assert "second line" not in written
    assert "Traceback" not in written
    assert SECRET not in written
    logs = list((state / "log").glob("crash-*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in after.replace("\r\n", "").replace("\n", "")
    log = logs[0].read_text("utf-8")
    assert "Traceback" in log and "RuntimeError: injected failure" in log
    assert SECRET not in log  # no locals in the log either
    assert design_file.read_bytes() == before


async def test_an_exception_in_an_action_is_logged_not_shown(
    design_file: Path, tmp_path: Path
) -> None:
    from stratus_tui.ui.app import make_app

    before = design_file.read_bytes()
    app = make_app(design_file)

    def boom() -> None:
        raise ValueError("bad thing")

    with pytest.raises(ValueError, match="bad thing"):
        async with app.run_test() as pilot:
            await pilot.pause()
            app.call_later(boom)
            await pilot.pause()
    assert app.return_code == 1
    assert app.crash is not None and app.crash.summary == "ValueError: bad thing"
    assert app.crash.log is not None and app.crash.log.parent == tmp_path / "state" / "log"
    assert app._exit_renderables == []  # Textual's traceback with locals is not printed
    assert design_file.read_bytes() == before


# ---------------------------------------------------------------- 5. no terminal: refuse


@pytest.mark.parametrize("piped", ["stdin", "stdout", "stderr"])
def test_no_terminal_refuses_with_exit_2(design_file: Path, tmp_path: Path, piped: str) -> None:
    """`stratus FILE` with one stream not a terminal: a clear refusal, never a hung UI."""
    before = design_file.read_bytes()
    env = {**os.environ}
    env.pop("TEXTUAL_DRIVER", None)
    code, written = run_in_pty(
        [sys.executable, "-m", "stratus_tui", str(design_file)], tmp_path, env, piped
    )
    assert code == 2, written
    assert f"needs a terminal, but {piped} is not one." in written
    assert "\x1b[?1049h" not in written  # the UI never started
    assert "Traceback" not in written
    assert design_file.read_bytes() == before


def test_no_terminal_message(design_file: Path, tmp_path: Path) -> None:
    env = {**os.environ}
    env.pop("TEXTUAL_DRIVER", None)
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", str(design_file)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "stratus: the workbench needs a terminal, but stdin, stdout, stderr are not terminals."
    ), proc.stderr
    assert "stratus validate" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
