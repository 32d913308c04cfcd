"""`stratus serve`: a real server on a free local port, fetched over HTTP, then stopped.

The server runs in its own process group and the whole group is killed (SIGTERM, then
SIGKILL after a grace period): a textual-serve app process can outlive its server and
ignore SIGTERM (shared/reference/TEXTUAL.md).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from stratus_tui.cli.serve_cmd import app_command
from stratus_tui.core.resources import sample_path

GRACE = 5.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_serve(file: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "stratus_tui",
                "serve",
                str(file),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
        )


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=GRACE)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group
    proc.wait(timeout=GRACE)


def fetch(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_answers_with_the_textual_serve_page(tmp_path: Path) -> None:
    design = tmp_path / "room board.yaml"  # a space: the served command must quote it
    shutil.copy(sample_path("checkout"), design)
    before = design.read_bytes()
    port = free_port()
    proc = start_serve(design, port, tmp_path / "serve.log")
    try:
        status, page = fetch(f"http://127.0.0.1:{port}/", time.monotonic() + 20)
        assert status == 200
        assert "textual.js" in page  # textual-serve's terminal client
        assert f"ws://127.0.0.1:{port}/ws" in page  # the session websocket
        assert proc.poll() is None
    finally:
        stop_group(proc)
    assert proc.returncode is not None
    assert design.read_bytes() == before  # serving a page never touches the file


def test_served_command_opens_the_file_with_this_python(tmp_path: Path) -> None:
    path = tmp_path / "it's a $file.yaml"
    assert shlex.split(app_command(path)) == [
        sys.executable, "-m", "stratus_tui", "open", str(path.resolve())
    ]  # fmt: skip


def test_serve_refuses_a_broken_file_before_listening(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stratus: 1\nname: x\nservices:\n  - {id: a, replicaz: 2}\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "serve", str(bad), "--port", str(free_port())],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{bad}:4:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_serve_rejects_a_bad_port_as_a_usage_error(tmp_path: Path, port: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "serve", str(tmp_path / "x.yaml"), "--port", port],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_serve_on_a_busy_port_fails_cleanly(tmp_path: Path) -> None:
    design = tmp_path / "d.yaml"
    shutil.copy(sample_path("checkout"), design)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "stratus_tui", "serve", str(design), "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        try:
            _, err = proc.communicate(timeout=30)
        finally:
            stop_group(proc)
    assert proc.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in err
    assert "Traceback" not in err
