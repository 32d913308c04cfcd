"""Presence: who is here, as each participant sees it."""

from __future__ import annotations

import asyncio

import pytest

from tests.live.conftest import Participant, participants
from tests.support.serve_harness import GRACE, ServeProcess


async def _names_seen(person: Participant, wanted: set[str]) -> set[str]:
    client = person.client

    async def wait() -> set[str]:
        while not wanted <= (names := {p["name"] for p in client.people()}):
            await asyncio.sleep(0.01)  # let the websocket readers run
        return names

    return await asyncio.wait_for(wait(), GRACE)


async def test_a_newcomer_sees_who_is_already_here_without_them_moving(
    server: ServeProcess,
) -> None:
    """Seen in a workshop: the room relayed presence changes only, so the third to join
    saw "nobody else yet" until the first two moved their cursors."""
    async with participants(server.link, 2, prefix="early") as early:
        # The early ones do nothing from here on; a newcomer must still list them.
        async with participants(server.link, 1, prefix="late") as (late,):
            names = await _names_seen(late, {"early0", "early1", "late0"})
            assert names == {"early0", "early1", "late0"}
        # ... and the early ones see the newcomer too, then see it leave.
        await _names_seen(early[0], {"early0", "early1"})


async def test_an_idle_participant_renews_its_presence(
    server: ServeProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The room drops a presence not renewed for 30 s (the awareness timeout), and
    newcomers learn who is here from the room: an idle client renews, with a new clock."""
    from stratus_tui.live import client as client_module

    monkeypatch.setattr(client_module, "PRESENCE_RENEWAL_S", 0.05)
    async with participants(server.link, 1, prefix="idle") as (idle,):
        awareness = idle.client.awareness
        start = awareness.meta[awareness.client_id]["clock"]

        async def renewed() -> None:
            while awareness.meta[awareness.client_id]["clock"] < start + 2:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(renewed(), GRACE)
        assert awareness.get_local_state() == {"name": "idle0", "role": "participant", "at": None}
