"""Live-workshop fixtures: a real `stratus serve` and pycrdt participants over websockets.

The server is a real subprocess (tests.support.serve_harness); participants are
`LiveClient`s in the test's event loop, each a full CRDT replica on its own websocket.
Every wait is on an event (a client's document changed, a server log line) with a bound.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import pytest

from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_path
from stratus_tui.core.storm import board as storm
from stratus_tui.live.client import LiveClient, parse_join_url
from tests.support.serve_harness import GRACE, ServeProcess

DEBOUNCE = "0.2"


@pytest.fixture
def design(tmp_path: Path) -> Path:
    target = tmp_path / "room" / "checkout.yaml"
    target.parent.mkdir()
    shutil.copy(sample_path("checkout"), target)
    return target


@pytest.fixture
def server(design: Path) -> Iterator[ServeProcess]:
    served = ServeProcess(design, "--debounce", DEBOUNCE)
    served.facilitator = served.wait_line(r"^Facilitator .*: (\S+)$").group(1)  # type: ignore[attr-defined]
    try:
        yield served
    finally:
        served.stop()


class Participant:
    """A LiveClient with a way to wait for its replica to reach a condition."""

    def __init__(self, link: str, name: str, tag: str) -> None:
        self.changed = asyncio.Event()
        self.notices: asyncio.Queue[str] = asyncio.Queue()
        self.client = LiveClient(
            parse_join_url(link),
            name,
            on_change=self.changed.set,
            on_status=lambda text, _severity: self.notices.put_nowait(text),
        )
        self.tag = tag
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self.client.run())
        await asyncio.wait_for(self.client.synced.wait(), GRACE)

    def design(self) -> Design:
        return self.client.design()

    def add(self, text: str) -> str:
        """Add a sticky at the end of the timeline, as the board's capture does."""
        storm.set_id_tag(self.tag)
        try:
            old = self.design()
            new, item_id = storm.capture(old, text)
        finally:
            storm.set_id_tag("")
        self.client.edit(old, new)
        return item_id

    async def until(self, check: Callable[[Design], bool], timeout: float = GRACE) -> Design:
        """Wait (on document changes) until `check` holds for this replica."""

        async def wait() -> Design:
            while True:
                self.changed.clear()
                design = self.design()
                if check(design):
                    return design
                await self.changed.wait()

        return await asyncio.wait_for(wait(), timeout)

    async def notice(self, containing: str) -> str:
        """The next notice from the room that contains `containing` (bounded wait)."""

        async def wait() -> str:
            while containing not in (text := await self.notices.get()):
                pass
            return text

        return await asyncio.wait_for(wait(), GRACE)

    async def stop(self) -> None:
        self.client.stop()
        if self.task is not None:
            with suppress(Exception):
                await asyncio.wait_for(self.task, GRACE)


@asynccontextmanager
async def participants(
    link: str, count: int, prefix: str = "p"
) -> AsyncIterator[list[Participant]]:
    people = [Participant(link, f"{prefix}{n}", f"{prefix}{n}x") for n in range(count)]
    try:
        await asyncio.gather(*(p.start() for p in people))
        yield people
    finally:
        await asyncio.gather(*(p.stop() for p in people))


def saved_count(server: ServeProcess, stickies: int) -> re.Match[str]:
    """Wait for the server's log to say it saved the file with that many stickies."""
    return server.wait_line(rf"^saved \S+: {stickies} stickies")
