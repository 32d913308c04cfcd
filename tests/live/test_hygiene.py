"""50 connect/disconnect cycles leave the server's process count where it started.

Browser sessions (each starts a participant's app, which joins the room) are opened in
waves and closed before their app has drawn (the case textual-serve leaks on); room
clients join and leave. Waits are on the server's log lines, never on the clock.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from tests.live.conftest import participants
from tests.support.serve_harness import ServeProcess, descendants

pytestmark = pytest.mark.reliability

WAVES, WAVE = 5, 10  # 50 browser sessions
ROOM_CYCLES = 50


async def test_fifty_cycles_leave_the_process_count_where_it_started(design: Path) -> None:
    server = ServeProcess(design, "--grace", "1", "--max-sessions", str(WAVE))
    try:
        before = descendants(server.proc.pid)
        ended = 0
        async with aiohttp.ClientSession() as session:
            for _wave in range(WAVES):
                sockets = [
                    await session.ws_connect(server.ws_url(), headers={"Origin": server.origin})
                    for _ in range(WAVE)
                ]
                for _ in range(WAVE):
                    await asyncio.to_thread(server.wait_line, r"session \d+ opened")
                for ws in sockets:  # gone before the app has drawn
                    await ws.close()
                for _ in range(WAVE):
                    await asyncio.to_thread(server.wait_line, r"session \d+ ended")
                    ended += 1
        assert ended == WAVES * WAVE
        for _ in range(ROOM_CYCLES):
            async with participants(server.link, 1):
                pass
            await asyncio.to_thread(server.wait_line, r"left \(0 connected\)")
        assert descendants(server.proc.pid) == before  # nothing left running
        apps_left = {pid for pid in server.app_pids if Path(f"/proc/{pid}").exists()}
        assert not apps_left
    finally:
        server.stop()
