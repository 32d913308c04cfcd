"""`stratus serve`: a real server on a free local port, poked with aiohttp's client.

Only the printed link works (issue 12, item 1): the page and the session socket need the
token, the Host must name the served URL and a websocket's Origin must be the served page.
The server runs in its own process group and is stopped, with every app it started, by the
harness (tests/support/serve_harness.py).
"""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from stratus_tui.cli.serve_cmd import app_argv, app_command
from stratus_tui.core.resources import sample_path
from tests.support.serve_harness import GRACE, ServeProcess, connect, first_frame, free_port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """One server for the access checks (each check is a request; none changes state)."""
    design = tmp_path_factory.mktemp("room") / "room board.yaml"  # a space: one argument
    shutil.copy(sample_path("checkout"), design)
    server = ServeProcess(design)
    try:
        yield server
    finally:
        server.stop()


async def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, headers=headers or {}, allow_redirects=False) as response,
    ):
        return response.status, await response.text(), dict(response.headers)


async def ws_refused(url: str, headers: dict[str, str]) -> tuple[int, str]:
    """Status and body of a websocket handshake the server must refuse."""
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with session.ws_connect(url, headers=headers):
                pass
        # The handshake error drops the body: ask again as plain GET for the reason.
        async with session.get(url.replace("ws://", "http://"), headers=headers) as response:
            return refused.value.status, await response.text()


# -- the page -------------------------------------------------------------------------------


async def test_the_printed_link_serves_the_page(served: ServeProcess) -> None:
    status, page, headers = await get(served.link)
    assert status == 200
    assert "textual.js" in page  # textual-serve's terminal client
    # textual.js appends ?width=..&height=..: the token travels in the path
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws/{served.token}"' in page
    assert headers["Referrer-Policy"] == "no-referrer"  # the token never leaks as a Referer
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", "?fontsize=16"])
async def test_the_page_without_the_token_is_refused(served: ServeProcess, query: str) -> None:
    status, text, _ = await get(f"{served.origin}/{query}")
    assert status == 403
    assert "missing or wrong token" in text
    assert served.token not in text


async def test_a_truncated_token_is_refused(served: ServeProcess) -> None:
    status, _, _ = await get(f"{served.origin}/?token={served.token[:-1]}")
    assert status == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", ""])
async def test_a_wrong_host_is_refused(served: ServeProcess, host: str) -> None:
    # A DNS-rebinding page reaches 127.0.0.1 under its own name: the Host header tells.
    status, text, _ = await get(served.link, {"Host": host.format(port=served.port)})
    assert status == 403
    assert "wrong Host header" in text


async def test_static_files_need_no_token_but_the_right_host(served: ServeProcess) -> None:
    status, _, _ = await get(f"{served.origin}/static/js/textual.js")
    assert status == 200  # textual-serve's public client code
    status, _, _ = await get(f"{served.origin}/static/js/textual.js", {"Host": "evil.example"})
    assert status == 403


# -- the session websocket ------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1"]
)
async def test_a_cross_origin_websocket_is_refused(served: ServeProcess, origin: str) -> None:
    status, text = await ws_refused(served.ws_url(), {"Origin": origin})
    assert status == 403
    assert "cross-origin request" in text


@pytest.mark.parametrize("token", ["", "wrong", "none"])
async def test_a_websocket_without_the_token_is_refused(served: ServeProcess, token: str) -> None:
    url = served.ws_url(token) if token != "none" else f"ws://127.0.0.1:{served.port}/ws"
    status, text = await ws_refused(url, {"Origin": served.origin})
    assert status == 403
    assert "missing or wrong token" in text


async def test_a_websocket_with_a_wrong_host_is_refused(served: ServeProcess) -> None:
    status, _ = await ws_refused(served.ws_url(), {"Origin": served.origin, "Host": "evil.example"})
    assert status == 403


async def test_the_right_token_and_origin_get_the_app(served: ServeProcess) -> None:
    async with connect(served.ws_url(), {"Origin": served.origin}) as ws:
        frame = await first_frame(ws)
    assert b"STRATUS" in frame
    ended = await served.await_line(r"session (\d+) ended: (\w+)")
    assert ended.group(2) == "quit"  # the app left politely when the browser did


async def test_a_huge_terminal_is_clamped(served: ServeProcess) -> None:
    async with aiohttp.ClientSession() as session:
        url = served.ws_url(query="width=3000&height=99999999999999999999")
        async with session.ws_connect(url, headers={"Origin": served.origin}):
            opened = await served.await_line(r"session \d+ opened \(pid \d+, (\d+)x(\d+);")
    assert opened.groups() == ("500", "24")  # width clamped; an absurd height is the default
    await served.await_line(r"session \d+ ended")


# -- the command ----------------------------------------------------------------------------


def test_served_command_joins_the_room_with_this_python() -> None:
    # Each browser's app is a client of the room (issue 16); the link with its token comes
    # in the environment, never in arguments any local user can list.
    expected = [sys.executable, "-m", "stratus_tui", "join", "--screen", "architect"]
    assert app_argv("architect") == expected  # run without a shell
    assert shlex.split(app_command("architect")) == expected


async def test_public_url_names_the_served_address(tmp_path: Path) -> None:
    design = tmp_path / "d.yaml"
    shutil.copy(sample_path("checkout"), design)
    server = ServeProcess(design, "--public-url", "http://stratus.test:8080/")
    try:
        assert server.link == f"http://stratus.test:8080/?token={server.token}"
        local = f"{server.origin}/?token={server.token}"
        status, page, _ = await get(local, {"Host": "stratus.test:8080"})
        assert status == 200
        assert f'"ws://stratus.test:8080/ws/{server.token}"' in page
        assert 'src="http://stratus.test:8080/static/js/textual.js"' in page
        status, _, _ = await get(local)  # Host 127.0.0.1:PORT is not the public address
        assert status == 403
    finally:
        server.stop()


@pytest.mark.parametrize(
    "url", ["ftp://x", "http://", "http://h:8000/app", "http://u:p@h", "http://h:99999", "h:80"]
)
def test_a_bad_public_url_is_a_usage_error(tmp_path: Path, url: str) -> None:
    design = tmp_path / "d.yaml"
    shutil.copy(sample_path("checkout"), design)
    result = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "serve", str(design), "--public-url", url,
         "--port", str(free_port())],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--public-url" in result.stderr
    assert "Traceback" not in result.stderr


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
        result = subprocess.run(
            [sys.executable, "-m", "stratus_tui", "serve", str(design), "--port", str(port)],
            capture_output=True, text=True, timeout=GRACE * 3,
        )  # fmt: skip
    assert result.returncode == 2  # cli.md (2026-12-02): port in use is exit 2
    assert f"cannot serve on 127.0.0.1:{port}: the port is in use" in result.stderr
    assert "Serving" not in result.stderr  # no link is printed for a port we do not hold
    assert "Traceback" not in result.stderr


def test_other_commands_never_load_the_server(tmp_path: Path) -> None:
    design = tmp_path / "d.yaml"
    shutil.copy(sample_path("checkout"), design)
    probe = (
        "import sys\nfrom stratus_tui.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('aiohttp', 'stratus_tui.serve'))),"
        " file=sys.stderr)\n"
    )
    for argv in (["validate", str(design)], ["--help"]):
        result = subprocess.run(
            [sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60
        )
        assert result.stderr.strip().splitlines()[-1] == "[]", (argv, result.stderr)
