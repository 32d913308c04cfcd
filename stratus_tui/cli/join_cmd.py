"""`stratus join URL`: take part in a live workshop from a terminal.

URL is the link `stratus serve` printed (its token lets you in; a facilitator's link also
carries `&facilitator=...`). The board is the room's: every edit reaches everyone at once
and the server saves it, so this terminal writes no file.
"""

from __future__ import annotations

import asyncio
import sys

import click

from .common import fail

URL_ENV = "STRATUS_LIVE_URL"
SCREENS = ("storm", "discover", "architect", "review", "export")


async def _probe(url: str, host: str) -> str | None:
    """Why the room would refuse or cannot be reached, or None when it answers."""
    import aiohttp

    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
            session.get(url, headers={"Host": host}) as response,
        ):
            if response.status in (401, 403):
                text = (await response.text()).strip().removeprefix("stratus serve: ")
                return f"the workshop refused to let you in: {text}"
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return f"cannot reach the workshop at {host}: {reason} (is `stratus serve` running?)"
    return None


@click.command("join")
@click.argument("url", envvar=URL_ENV)
@click.option("--name", help="Your name, shown to the others (asked when not given).")
@click.option("--screen", type=click.Choice(SCREENS), default="storm", show_default=True,
              help="The screen to open on.")  # fmt: skip
def join_cmd(url: str, name: str | None, screen: str) -> None:
    """Join the live workshop at URL (the link `stratus serve` printed).

    \b
    Examples:
      stratus join 'http://10.0.0.5:8000/?token=...'
      stratus join 'http://10.0.0.5:8000/?token=...' --name Ana
    """
    import os
    from pathlib import Path

    from ..live.client import CONNECT_ENV, FACILITATOR_ENV, parse_join_url

    try:
        target = parse_join_url(url)
    except ValueError as exc:
        fail(str(exc), 2)
    connect = os.environ.get(CONNECT_ENV) or None
    facilitator = os.environ.get(FACILITATOR_ENV) or target.facilitator
    target = type(target)(target.base, target.token, facilitator, connect)
    http = target.room_url(name or "probe").replace("ws", "http", 1)
    refusal = asyncio.run(_probe(http, target.netloc))
    if refusal is not None:
        fail(refusal, 1)

    from ..ui.launch import NO_TERMINAL, terminal_problem

    problem = terminal_problem()
    if problem is not None:
        fail(problem, NO_TERMINAL)

    from ..core.confine import export_root
    from ..live.app import LiveApp

    app = LiveApp(target, name, screen=screen, folder=export_root() or Path.cwd())
    try:
        app.run()
    except Exception as exc:  # outside Textual's handler: the driver, the terminal itself
        from ..ui.crash import record

        fail(record(exc).message(), 1)
    if app.offline_copy is not None:
        from .common import echo

        echo(
            f"You left while offline: your edits the workshop had not received are kept in "
            f"{app.offline_copy} (open it with `stratus {app.offline_copy}`).",
            err=True,
        )
    if app.join_error:
        fail(f"stratus: {app.join_error}", 1)
    if app.crash is not None:
        fail(app.crash.message(), 1)
    if app.return_code:
        sys.exit(app.return_code)
