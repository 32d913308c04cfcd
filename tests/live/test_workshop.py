"""A real `stratus serve` room with real participants: nothing lost, everything converges.

Each participant is a pycrdt replica on its own websocket to a server subprocess on
127.0.0.1; the file is read back with the design loader (it must validate).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from pathlib import Path

from stratus_tui.core.store.design_file import load_design
from tests.live.conftest import DEBOUNCE, participants, saved_count
from tests.support.serve_harness import ServeProcess

PEOPLE = 10
EACH = 50


async def test_ten_participants_fifty_stickies_each_all_land_once(
    server: ServeProcess, design: Path
) -> None:
    before = len(load_design(design).event_storming.items)
    total = before + PEOPLE * EACH
    async with participants(server.link, PEOPLE) as people:
        # All at once: every participant types 50 stickies while the others do.
        async def type_stickies(n: int) -> list[str]:
            ids = []
            for k in range(EACH):
                ids.append(people[n].add(f"p{n} event {k}"))
                await asyncio.sleep(0)  # let the others type between keystrokes
            return ids

        made = await asyncio.gather(*(type_stickies(n) for n in range(PEOPLE)))
        for person in people:  # every screen ends up with every sticky
            await person.until(lambda d: len(d.event_storming.items) == total)
        await asyncio.to_thread(saved_count, server, total)

    saved = load_design(design)  # validates, or raises with FILE:LINE:COL
    ids = Counter(item.id for item in saved.event_storming.items)
    assert len(saved.event_storming.items) == total
    assert all(n == 1 for n in ids.values()), [i for i, n in ids.items() if n > 1]
    texts = {item.text for item in saved.event_storming.items}
    for n, ids_made in enumerate(made):
        assert set(ids_made) <= set(ids)
        assert {f"p{n} event {k}" for k in range(EACH)} <= texts
    assert design.with_name(design.name + ".bak").exists()


async def test_two_people_editing_one_sticky_converge(server: ServeProcess, design: Path) -> None:
    async with participants(server.link, 2) as (ana, bo):
        target = ana.design().event_storming.items[0].id
        old_a, old_b = ana.design(), bo.design()
        # Both type before either hears of the other's edit.
        from stratus_tui.core.storm import board as storm

        ana.client.edit(old_a, storm.edit_text(old_a, target, "Order placed (Ana)"))
        bo.client.edit(old_b, storm.edit_text(old_b, target, "Order was placed (Bo)"))

        def text(d: object) -> str:
            return storm.find_item(d, target).text  # type: ignore[arg-type]

        await ana.until(lambda d: text(d) == text(bo.design()))
        final = await bo.until(lambda d: text(d) == text(ana.design()))
        assert text(final) in ("Order placed (Ana)", "Order was placed (Bo)")
        count = len(final.event_storming.items)
        await asyncio.to_thread(saved_count, server, count)
    on_disk = storm.find_item(load_design(design), target).text
    assert on_disk == text(final)


async def test_concurrent_edits_to_different_fields_both_survive(
    server: ServeProcess, design: Path
) -> None:
    from stratus_tui.core.storm import board as storm

    async with participants(server.link, 2) as (ana, bo):
        target = ana.design().event_storming.items[1].id
        old_a, old_b = ana.design(), bo.design()
        ana.client.edit(old_a, storm.edit_text(old_a, target, "Renamed by Ana"))
        bo.client.edit(old_b, storm.set_kind(old_b, target, "hotspot"))
        for person in (ana, bo):
            await person.until(
                lambda d: (
                    storm.find_item(d, target).text == "Renamed by Ana"
                    and storm.find_item(d, target).kind == "hotspot"
                )
            )


async def test_kill_9_loses_at_most_the_debounce_window_and_a_restart_rebuilds(
    design: Path,
) -> None:
    server = ServeProcess(design, "--debounce", DEBOUNCE)
    try:
        async with participants(server.link, 3) as people:
            base = len(people[0].design().event_storming.items)
            first = [people[n % 3].add(f"before the crash {n}") for n in range(30)]
            await people[0].until(lambda d: len(d.event_storming.items) == base + 30)
            await asyncio.to_thread(saved_count, server, base + 30)
            # More edits, then the server dies with no chance to save.
            late: list[tuple[str, float]] = []
            for n in range(30):
                late.append((people[n % 3].add(f"just before {n}"), time.monotonic()))
            await people[0].until(lambda d: len(d.event_storming.items) == base + 60)
            os.killpg(server.proc.pid, signal.SIGKILL)
            killed_at = time.monotonic()
            server.proc.wait(timeout=10)
    finally:
        server.stop()
    saved = load_design(design)  # the file validates after a kill -9
    on_disk = {item.id for item in saved.event_storming.items}
    assert set(first) <= on_disk  # everything saved before stays
    lost = [(item_id, at) for item_id, at in late if item_id not in on_disk]
    window = max((killed_at - at for _, at in lost), default=0.0)
    print(f"kill -9: lost {len(lost)} of {len(late)} late stickies, window {window:.3f}s")
    # The debounce (DEBOUNCE s of quiet, at most 2 s after the first unsaved edit) bounds it.
    assert window <= 2.0 + float(DEBOUNCE) + 1.0

    restarted = ServeProcess(design, "--debounce", DEBOUNCE)
    try:
        async with participants(restarted.link, 1) as (late_comer,):
            assert {i.id for i in late_comer.design().event_storming.items} == on_disk
    finally:
        restarted.stop()


async def test_a_reconnecting_participant_catches_up(design: Path) -> None:
    """The server restarts mid-workshop: a participant's edits made while it was down
    reach the new room, and what others did meanwhile reaches the participant."""
    server = ServeProcess(design, "--debounce", DEBOUNCE)
    port = server.port
    try:
        async with participants(server.link, 1, "r") as (ana,):
            link = server.link
            server.stop()
            await asyncio.wait_for(ana.client.lost.wait(), 10)
            offline = ana.add("typed while the server was down")
            again = ServeProcess(design, "--debounce", DEBOUNCE, "--token", server.token, port=port)
            assert again.link == link
            try:
                async with participants(again.link, 1, "s") as (bo,):
                    theirs = bo.add("made by Bo meanwhile")
                    await bo.until(
                        lambda d: any(i.id == offline for i in d.event_storming.items), 20
                    )
                    await ana.until(
                        lambda d: any(i.id == theirs for i in d.event_storming.items), 20
                    )
            finally:
                again.stop()
    finally:
        server.stop()


async def test_after_a_restart_offline_edits_and_edits_made_meanwhile_both_survive(
    design: Path,
) -> None:
    """A restarted server builds a new document from the file: a participant that
    reconnects with its old replica must not merge that whole history into it (one copy
    of each sticky won whole: either the edit typed while the server was down, or the
    edit another made to the new room before, was lost; every time, one of the two)."""
    from stratus_tui.core.storm import board as storm

    server = ServeProcess(design, "--debounce", DEBOUNCE)
    port = server.port
    try:
        async with participants(server.link, 1, "r") as (ana,):
            first, second = (i.id for i in ana.design().event_storming.items[:2])
            server.stop()
            await asyncio.wait_for(ana.client.lost.wait(), 10)
            old = ana.design()
            ana.client.edit(old, storm.edit_text(old, first, "typed by Ana while it was down"))
            again = ServeProcess(design, "--debounce", DEBOUNCE, "--token", server.token, port=port)
            try:
                async with participants(again.link, 1, "s") as (bo,):
                    theirs = bo.design()
                    bo.client.edit(theirs, storm.edit_text(theirs, second, "Bo, after the restart"))

                    def both(d: object) -> bool:
                        return (
                            storm.find_item(d, first).text == "typed by Ana while it was down"  # type: ignore[arg-type]
                            and storm.find_item(d, second).text == "Bo, after the restart"  # type: ignore[arg-type]
                        )

                    await ana.notice("server restarted")
                    await bo.until(both, 20)
                    await ana.until(both, 20)
                    await asyncio.to_thread(
                        saved_count, again, len(bo.design().event_storming.items)
                    )
            finally:
                again.stop()
    finally:
        server.stop()
    on_disk = load_design(design)
    assert both(on_disk)
