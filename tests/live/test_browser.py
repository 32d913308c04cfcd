"""A real browser (Debian's headless Chromium) opens the workshop through 127.0.0.2.

The server listens on 127.0.0.2 with `--public-url http://127.0.0.2:PORT`, as a facilitator
would on a LAN address. Chromium is driven over the DevTools protocol: every request the
page makes must go to that address (no 0.0.0.0, no 127.0.0.1, no font CDN), and the app
must draw in the page: the page's terminal receives the app's first screen (its name
prompt), and the page shows the terminal, not "Session ended".
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.support.serve_harness import GRACE, ServeProcess, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,800",
]  # fmt: skip
NO_CHROMIUM = "chromium not installed (Debian's chromium package)"
"""Worded so that CI (STRATUS_REQUIRE_TOOLS) turns this skip into a failure."""
DRAWN = 60.0  # the app starting in the served process on a loaded CI machine
# xterm.js draws on a canvas, so the page's text cannot be read back: record what the
# terminal is given instead (every websocket message the page receives).
RECORD_TERMINAL = """
(() => {
  const Original = window.WebSocket;
  window.__terminal = "";
  const decoder = new TextDecoder();
  function Recording(...args) {
    const ws = new Original(...args);
    ws.addEventListener("message", (event) => {
      const data = event.data;
      if (typeof data === "string") window.__terminal += data;
      else if (data instanceof ArrayBuffer) window.__terminal += decoder.decode(data);
      else if (data instanceof Blob) data.text().then((t) => { window.__terminal += t; });
    });
    return ws;
  }
  Recording.prototype = Original.prototype;
  for (const key of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Recording[key] = Original[key];
  window.WebSocket = Recording;
})();
"""


class Page:
    """One Chromium tab over the DevTools protocol: evaluate and collect requests."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = count(1)
        self.requests: list[str] = []
        self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("method") == "Network.requestWillBeSent":
                self.requests.append(data["params"]["request"]["url"])
            elif data.get("method") == "Network.webSocketCreated":
                self.requests.append(data["params"]["url"])
            elif "id" in data and data["id"] in self.replies:
                self.replies.pop(data["id"]).set_result(data)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self.ids)
        reply: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.replies[ident] = reply
        await self.ws.send_json({"id": ident, "method": method, "params": params})
        return await asyncio.wait_for(reply, GRACE)

    async def evaluate(self, expression: str) -> Any:
        reply = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return reply.get("result", {}).get("result", {}).get("value")


@contextlib.asynccontextmanager
async def chromium(tmp_path: Path) -> AsyncIterator[Page]:
    port = free_port()
    proc = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--remote-debugging-port={port}",
         f"--user-data-dir={tmp_path / 'profile'}", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        # Chromium says where its DevTools listen once it is ready.
        while b"DevTools listening on" not in (
            line := await asyncio.to_thread(proc.stderr.readline)
        ):
            assert line, "chromium ended before its DevTools were ready"
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                tabs = await response.json()
            target = next(t for t in tabs if t.get("type") == "page")
            async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = Page(ws)
                await page.call("Network.enable")
                await page.call("Runtime.enable")
                await page.call("Page.enable")
                await page.call("Page.addScriptToEvaluateOnNewDocument", source=RECORD_TERMINAL)
                yield page
                page.reader.cancel()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=GRACE)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=NO_CHROMIUM)
async def test_chromium_through_a_non_default_loopback_address_draws_the_app(
    design: Path, tmp_path: Path
) -> None:
    port = free_port()
    public = f"http://127.0.0.2:{port}"
    server = ServeProcess(design, "--host", "127.0.0.2", "--public-url", public, port=port)
    try:
        assert server.link.startswith(f"{public}/?token=")
        async with chromium(tmp_path) as page:
            await page.call("Page.navigate", url=server.link)
            await asyncio.to_thread(server.wait_line, r"session 1 opened")

            async def drawn() -> None:
                # Nothing in the page fires when xterm.js has drawn: ask until it has.
                while not await page.evaluate("window.__terminal.includes('Your name for')"):
                    await asyncio.sleep(0.2)

            await asyncio.wait_for(drawn(), DRAWN)
            classes = str(await page.evaluate("document.body.className"))
            assert "-first-byte" in classes and "-closed" not in classes  # drawn, not ended
            assert await page.evaluate("document.querySelectorAll('.xterm canvas').length") > 0
            html = await page.evaluate("document.documentElement.outerHTML")
            shot = await page.call("Page.captureScreenshot", format="png")
            (tmp_path / "browser.png").write_bytes(base64.b64decode(shot["result"]["data"]))
        hosts = {urlsplit(url).netloc for url in page.requests if "://" in url}
        assert hosts == {f"127.0.0.2:{port}"}, page.requests
        assert not re.search(r"0\.0\.0\.0|127\.0\.0\.1|googleapis", str(html))
    finally:
        server.stop()


def test_a_missing_chromium_fails_in_ci_instead_of_skipping() -> None:
    # tests/conftest.py fails a skip in CI only when its reason says a tool is missing.
    from tests.conftest import _MISSING_TOOL

    assert _MISSING_TOOL.search(NO_CHROMIUM)
