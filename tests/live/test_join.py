"""`stratus join`: the workbench as a participant (Pilot), and its refusals (subprocess)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from stratus_tui.live.app import LiveApp
from stratus_tui.live.client import parse_join_url
from stratus_tui.ui.screens.storm import StormScreen
from stratus_tui.ui.widgets.storm_board import StormBoard
from tests.live.conftest import participants
from tests.support.serve_harness import GRACE, ServeProcess, free_port


async def _until(pilot: object, check: Callable[[], bool], timeout: float = GRACE) -> None:
    """Let the app process messages until `check` holds (bounded)."""

    async def wait() -> None:
        while not check():
            await pilot.pause()  # type: ignore[attr-defined]

    await asyncio.wait_for(wait(), timeout)


async def test_a_joined_workbench_sees_another_participants_sticky_appear(
    server: ServeProcess,
) -> None:
    app = LiveApp(parse_join_url(server.link), "Pilot", folder=Path.cwd())
    async with app.run_test(size=(160, 48)) as pilot, participants(server.link, 1) as (bo,):
        await _until(pilot, lambda: isinstance(app.screen, StormScreen))
        board = app.screen.query_one(StormBoard)
        made = bo.add("Payment captured by Bo")
        await _until(pilot, lambda: any(item.id == made for item in board.items))
        # And the other way: typed in the workbench, seen by Bo.
        capture = app.screen.query_one("#storm-capture")
        capture.focus()
        await pilot.press(*"!Receipt sent", "enter")
        await bo.until(lambda d: any(i.text == "Receipt sent" for i in d.event_storming.items))
        # Undo takes back the workbench's own sticky, not Bo's.
        await pilot.press("escape", "ctrl+z")
        await bo.until(lambda d: not any(i.text == "Receipt sent" for i in d.event_storming.items))
        assert any(item.id == made for item in bo.design().event_storming.items)
        # Everyone is listed with where they are.
        names = {p["name"] for p in app.live.people()} if app.live else set()
        assert {"Pilot", "p0"} <= names
        # No way out of the room's design: no welcome screen, no opening other files.
        await app.action_welcome()
        assert isinstance(app.screen, StormScreen)
        assert await app.open_design(Path("/etc/hostname")) is False


def _join(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stratus_tui", "join", *args],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_join_with_a_wrong_token_is_refused_plainly(server: ServeProcess) -> None:
    result = _join(f"http://127.0.0.1:{server.port}/?token=not-the-token", "--name", "x")
    assert result.returncode == 1
    assert "refused to let you in" in result.stderr
    assert "token" in result.stderr
    assert "Traceback" not in result.stderr


def test_join_of_a_server_that_is_not_there_says_so() -> None:
    port = free_port()
    result = _join(f"http://127.0.0.1:{port}/?token=abcdefghijklmnop", "--name", "x")
    assert result.returncode == 1
    assert f"cannot reach the workshop at 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_join_of_something_that_is_not_a_link_is_a_usage_error() -> None:
    for url in ("not a url", "http://127.0.0.1:9/"):
        result = _join(url)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr


async def test_the_facilitators_keys_set_the_rooms_phase_and_timer(server: ServeProcess) -> None:
    link = server.facilitator  # type: ignore[attr-defined]
    app = LiveApp(parse_join_url(link), "Fay", folder=Path.cwd())
    async with app.run_test(size=(160, 48)) as pilot, participants(server.link, 1) as (bo,):
        await _until(pilot, lambda: isinstance(app.screen, StormScreen))
        await _until(pilot, lambda: app.live is not None and app.live.facilitator)
        # No phase set yet, the board shows the first: `n` goes to the second.
        await pilot.press("escape", "n")
        await bo.until(lambda _d: bo.client.board.phase == "Enforce the timeline")
        await pilot.press("t")
        await bo.until(lambda _d: bo.client.board.timer()[0] is not None)
        await _until(pilot, lambda: "left" in str(app.screen.query_one("#storm-phases").render()))


async def test_the_live_bar_says_who_is_where_and_when_the_room_is_out_of_reach(
    design: Path,
) -> None:
    server = ServeProcess(design, "--debounce", "0.2")
    app = LiveApp(parse_join_url(server.link), "Pilot", folder=Path.cwd())
    try:
        async with app.run_test(size=(160, 48)) as pilot, participants(server.link, 1) as (bo,):
            await _until(pilot, lambda: isinstance(app.screen, StormScreen))

            def bar() -> str:
                return str(app.screen.query_one("#storm-live").render())

            long = next(i for i in bo.design().event_storming.items if len(i.text) > 30)
            bo.client.set_presence(at=long.id)
            # A sticky's text is cut with a mark, not mid-word with a trailing space.
            await _until(pilot, lambda: f"p0 @ {long.text[:17].rstrip()}…" in bar())
            # A participant's keys line does not offer the facilitator's keys as theirs.
            hint = str(app.screen.query_one("#storm-phases").render())
            assert "n/N phase, t timer: facilitator" in hint
            assert "overview (facilitator)" not in hint
            server.stop()  # the room is gone: the bar must not go on saying LIVE
            await _until(pilot, lambda: bar().startswith("○ OFFLINE"))
            assert "p0" not in bar()  # who was here is stale now
    finally:
        server.stop()


async def test_quitting_offline_keeps_the_edits_the_room_has_not_seen(
    design: Path, tmp_path: Path
) -> None:
    """Offline, the header says edits are kept here (not "✓ saved"); quitting asks, and
    "keep" writes them to a file next to the workshop's, which loads with the sticky."""
    from stratus_tui.core.store.design_file import load_design
    from stratus_tui.ui.dialogs.choice import ChoiceDialog

    server = ServeProcess(design, "--debounce", "0.2")
    folder = tmp_path / "mine"
    folder.mkdir()
    app = LiveApp(parse_join_url(server.link), "Pilot", folder=folder)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await _until(pilot, lambda: isinstance(app.screen, StormScreen))

            def status() -> str:
                return str(app.screen.query_one("#header-status").render())

            await _until(pilot, lambda: "✓ live" in status())
            server.stop()
            await _until(pilot, lambda: "○ offline" in status())
            await pilot.press("escape", "i", *"Refund issued", "enter")
            await _until(pilot, lambda: "1 edit kept here" in status())
            assert "saved" not in status()
            await pilot.press("ctrl+q")
            await _until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
            await pilot.click("#choice-wait")  # keep waiting: nothing happens
            await _until(pilot, lambda: isinstance(app.screen, StormScreen))
            await pilot.press("ctrl+q")
            await _until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
            await pilot.click("#choice-save")
        copy = app.offline_copy
        assert copy is not None and copy.parent == folder and ".offline-" in copy.name
        texts = [i.text for i in load_design(copy).event_storming.items]
        assert "Refund issued" in texts
    finally:
        server.stop()


async def test_the_name_prompt_tells_the_facilitator_what_their_link_is(tmp_path: Path) -> None:
    from stratus_tui.live.client import JoinTarget

    for facilitator, says in ((None, False), ("key", True)):
        target = JoinTarget(f"http://127.0.0.1:{free_port()}", "tok", facilitator)
        await _prompt_title_says(LiveApp(target, None, folder=tmp_path), says)


async def _prompt_title_says(app: LiveApp, facilitates: bool) -> None:
    from stratus_tui.ui.dialogs.prompt import PromptDialog

    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, PromptDialog))
        screen = app.screen
        assert isinstance(screen, PromptDialog)
        assert ("you facilitate" in screen.title_text) is facilitates
        await pilot.press("escape")  # no name: leaves without joining
