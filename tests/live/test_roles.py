"""The room's rules: the facilitator's phase and timer, dot budgets, outside edits."""

from __future__ import annotations

import asyncio
from pathlib import Path

from stratus_tui.core.model import StormItem
from stratus_tui.core.store.design_file import atomic_write, load_design, render
from stratus_tui.core.storm import board as storm
from tests.live.conftest import participants, saved_count
from tests.support.serve_harness import ServeProcess


async def test_only_the_facilitator_sets_phase_and_timer(server: ServeProcess) -> None:
    facilitator_link = server.facilitator  # type: ignore[attr-defined]
    async with (
        participants(facilitator_link, 1, "f") as (boss,),
        participants(server.link, 1) as (ana,),
    ):
        await boss.notice("joined")
        assert boss.client.role == "facilitator"
        assert ana.client.role == "participant"
        await boss.client.request(op="phase", phase="Enforce the timeline")
        await boss.client.request(op="timer", seconds=300, label="Timeline")
        await ana.until(lambda _d: ana.client.board.phase == "Enforce the timeline")
        await ana.until(lambda _d: ana.client.board.timer()[0] is not None)
        # A participant asking is told no; one writing the field itself is put back.
        await ana.client.request(op="phase", phase="Bounded contexts")
        assert "only the facilitator" in await ana.notice("facilitator")
        ana.client.board.meta["phase"] = "Hacked"
        await ana.until(lambda _d: ana.client.board.phase == "Enforce the timeline")
        # The room relays her write before it puts it back: the facilitator may see
        # "Hacked" for a moment, and then the put-back (waited for, not assumed).
        await boss.until(lambda _d: boss.client.board.phase == "Enforce the timeline")
        count = len(ana.design().event_storming.items)
    saved_count(server, count)
    assert load_design(server_design(server)).event_storming.phase == "Enforce the timeline"


def server_design(server: ServeProcess) -> Path:
    args = server.proc.args
    assert isinstance(args, list)
    return Path(str(args[4]))


async def test_dot_votes_keep_the_budget_and_reach_the_file(server: ServeProcess) -> None:
    async with participants(server.link, 2) as (ana, bo):
        design = ana.design()
        hotspot = next(i for i in design.event_storming.items if i.kind == "hotspot")
        plain = next(i for i in design.event_storming.items if i.kind == "command")
        for _ in range(3):
            await ana.client.request(op="vote", item=hotspot.id, delta=1)
        await bo.client.request(op="vote", item=hotspot.id, delta=1)
        await ana.client.request(op="vote", item=hotspot.id, delta=1)  # a 4th: over budget
        assert "all 3 of your dots" in await ana.notice("dots")
        await ana.client.request(op="vote", item=plain.id, delta=1)
        assert "hotspots and pivotal events" in await ana.notice("hotspots")

        def dots(d: object) -> dict[str, int]:
            return {v.by: v.dots for v in d.event_storming.votes}  # type: ignore[attr-defined]

        final = await bo.until(lambda d: dots(d) == {"p0": 3, "p1": 1})
        count = len(final.event_storming.items)
    saved_count(server, count)
    votes = load_design(server_design(server)).event_storming.votes
    assert {(v.by, v.item, v.dots) for v in votes} == {("p0", hotspot.id, 3), ("p1", hotspot.id, 1)}


async def test_an_outside_edit_while_serving_is_merged_not_dropped(
    server: ServeProcess, design: Path
) -> None:
    async with participants(server.link, 1) as (ana,):
        mine = ana.add("Typed in the workshop")
        base = len(ana.design().event_storming.items)
        await asyncio.to_thread(saved_count, server, base)
        # Someone edits the file with an editor meanwhile: a new sticky and a new text.
        on_disk = load_design(design)
        first = on_disk.event_storming.items[0]
        renamed = (
            i.model_copy(update={"text": "Renamed in an editor"}) if i.id == first.id else i
            for i in on_disk.event_storming.items
        )
        items = (*renamed, StormItem(id="e-editor", text="Added in an editor", order=99999))
        edited = on_disk.model_copy(
            update={"event_storming": on_disk.event_storming.model_copy(update={"items": items})}
        )
        atomic_write(design, render(edited, design).encode())
        await asyncio.to_thread(server.wait_line, r"merged an outside edit")
        merged = await ana.until(lambda d: any(i.id == "e-editor" for i in d.event_storming.items))
        assert storm.find_item(merged, first.id).text == "Renamed in an editor"
        assert any(i.id == mine for i in merged.event_storming.items)
        # A broken edit is refused with its location, and nothing is overwritten.
        broken = design.read_text().replace("stratus: 1", "stratus: 1\nnot_a_field: 3", 1)
        atomic_write(design, broken.encode())
        await asyncio.to_thread(server.wait_line, r"not_a_field")
        await asyncio.to_thread(server.wait_line, r"does not validate: not merged")
        await ana.notice("does not validate")
        ana.add("Typed while the file was broken")
        # Fixed again: merged, and the room's sticky is written on top.
        fixed = broken.replace("not_a_field: 3\n", "").replace("Added in an", "Fixed in an")
        atomic_write(design, fixed.encode())
        await asyncio.to_thread(server.wait_line, r"merged an outside edit")
        total = len(ana.design().event_storming.items)
        await asyncio.to_thread(saved_count, server, total)
    texts = {i.text for i in load_design(design).event_storming.items}
    assert {
        "Typed in the workshop",
        "Fixed in an editor",
        "Typed while the file was broken",
    } <= texts


async def test_a_broken_file_put_back_as_it_was_is_written_again(
    server: ServeProcess, design: Path
) -> None:
    async with participants(server.link, 1) as (ana,):
        ana.add("Before the breakage")
        await asyncio.to_thread(saved_count, server, len(ana.design().event_storming.items))
        good = design.read_bytes()
        atomic_write(design, good.replace(b"stratus: 1", b"stratus: 1\nbad_key: 1", 1))
        await asyncio.to_thread(server.wait_line, r"does not validate: not merged")
        ana.add("Typed while it was broken")
        atomic_write(design, good)  # undone in the editor: the bytes the room wrote
        await asyncio.to_thread(server.wait_line, r"is valid again; the room writes it")
        await asyncio.to_thread(saved_count, server, len(ana.design().event_storming.items))
    assert "Typed while it was broken" in {i.text for i in load_design(design).event_storming.items}
