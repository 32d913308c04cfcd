"""50 connect/disconnect cycles leave the server's process count where it started.

Browser sessions (each starts a participant's app, `stratus join`, which joins the room)
are opened in waves and closed: most before their app has drawn (the case textual-serve
leaks on), one wave once every app has drawn and joined the room (a tab closed mid-workshop);
room clients join and leave. Waits are on the server's log lines, never on the clock.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from tests.live.conftest import participants
from tests.support.serve_harness import ServeProcess, descendants, first_frame

pytestmark = pytest.mark.reliability

WAVES, WAVE = 5, 10  # 50 browser sessions
DRAWN_WAVE = WAVES - 1  # this wave's apps draw and join the room before their tabs close
ROOM_CYCLES = 50


async def test_fifty_cycles_leave_the_process_count_where_it_started(design: Path) -> None:
    server = ServeProcess(design, "--grace", "1", "--max-sessions", str(WAVE))
    try:
        before = descendants(server.proc.pid)
        ended = 0
        async with aiohttp.ClientSession() as session:
            for wave in range(WAVES):
                sockets = [
                    await session.ws_connect(server.ws_url(), headers={"Origin": server.origin})
                    for _ in range(WAVE)
                ]
                for _ in range(WAVE):
                    await asyncio.to_thread(server.wait_line, r"session \d+ opened")
                if wave == DRAWN_WAVE:
                    await asyncio.gather(*(first_frame(ws) for ws in sockets))
                    for n, ws in enumerate(sockets):  # each types a name at its prompt
                        await ws.send_json(["stdin", f"tab{n}\r"])
                    for _ in range(WAVE):
                        await server.await_line(r"^tab\d+ joined as participant")
                for ws in sockets:  # most waves: gone before the app has drawn
                    await ws.close()
                # Each session ends; a drawn one's app also leaves the room as it ends.
                expected = {"ended": WAVE, "left": WAVE if wave == DRAWN_WAVE else 0}
                seen = {"ended": 0, "left": 0}
                while seen != expected:
                    line = await server.await_line(r"session \d+ (ended)|^tab\d+ (left)")
                    seen[line.group(1) or line.group(2)] += 1
                    assert all(seen[k] <= expected[k] for k in seen), server.log
                ended += WAVE
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
