"""`stratus serve FILE`: a live workshop on FILE, for the room and no one else.

The server holds the room: FILE's board on a CRDT document (stratus_tui.live), written
back to FILE by the server alone. Each browser that opens the link gets its own
`python -m stratus_tui join` process, a client of the room like `stratus join URL` in a
terminal, so everyone edits one board and sees everyone's edits at once.

Only the printed link works: requests must name the served URL (Host), come from its own
page (Origin) and carry the random token; sessions are capped; each app's exports stay in
the design's folder; an app whose browser left is ended within seconds (stratus_tui.serve).
"""

from __future__ import annotations

import errno
import ipaddress
import re
import shlex
import socket
import sys
from pathlib import Path

import click

from ..core.confine import EXPORT_ROOT_ENV
from ..core.problems import DesignError
from .common import fail, load_or_exit
from .join_cmd import SCREENS, URL_ENV

WILDCARDS = ("0.0.0.0", "::", "")


def app_argv(screen: str = "storm") -> list[str]:
    """The command each browser's app runs: a client of the room (no shell). The link it
    joins comes in its environment (not its arguments, which any local user can list)."""
    return [sys.executable, "-m", "stratus_tui", "join", "--screen", screen]


def app_command(screen: str = "storm") -> str:
    """`app_argv` as one shell-quoted line (for messages)."""
    return shlex.join(app_argv(screen))


def _dial_address(host: str, port: int) -> str:
    """Where the server's own apps reach it: its listening address (loopback for all)."""
    if host in WILDCARDS:
        host = "::1" if host == "::" else "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _lan_address() -> str | None:
    """This machine's address on its default route (a UDP connect sends no packet)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed, never reached
            address: str = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("0.") else address


def _default_public_url(host: str, port: int) -> str:
    if host in WILDCARDS:
        lan = _lan_address()
        if lan is None:
            fail(
                f"serving on {host or '0.0.0.0'}: cannot tell this machine's network "
                "address; pass the address browsers use, e.g. "
                f"--public-url http://192.168.1.20:{port}",
                2,
            )
        host = lan
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


@click.command("serve")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shares it with your network.")  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port to listen on.")  # fmt: skip
@click.option("--public-url", metavar="URL",
              help="The address browsers use, e.g. http://192.168.1.20:8000 "
                   "(default: from --host and --port).")  # fmt: skip
@click.option("--max-sessions", default=12, show_default=True, type=click.IntRange(1, 1000),
              help="Browsers connected at once; the next is told the room is full.")  # fmt: skip
@click.option("--token", metavar="TOKEN",
              help="Reuse the join token of an earlier run, so links already shared still "
                   "work after a restart (default: a new random one).")  # fmt: skip
@click.option("--screen", type=click.Choice(SCREENS), default="storm", show_default=True,
              help="The screen participants open on.")  # fmt: skip
@click.option("--grace", default=2.0, type=click.FloatRange(0.1, 60), hidden=True,
              help="Seconds per step of ending an app (quit, SIGTERM, SIGKILL).")  # fmt: skip
@click.option("--debounce", default=0.5, type=click.FloatRange(0.05, 10), hidden=True,
              help="Seconds of quiet before the room writes FILE.")  # fmt: skip
def serve_cmd(
    file: str,
    host: str,
    port: int,
    public_url: str | None,
    max_sessions: int,
    token: str | None,
    screen: str,
    grace: float,
    debounce: float,
) -> None:
    """Run a live workshop on FILE: one shared board for browsers and terminals.

    Open the printed link (or give it to `stratus join`): it carries a random token, and
    the server answers nothing without it. The facilitator's link also sets the phase and
    the timer. Only this server writes FILE (a moment after each edit, atomically, with
    FILE.bak). Exports made in a browser stay inside FILE's folder.

    \b
    Examples:
      stratus serve workshop.yaml                 this machine only
      stratus serve workshop.yaml --host 0.0.0.0  let the room's laptops connect
      stratus serve workshop.yaml --host 0.0.0.0 --public-url http://10.0.0.5:8000
    """
    path = Path(file)
    if path.exists():
        load_or_exit(path)  # a broken file fails here, not in every browser
    elif not path.parent.is_dir():
        fail(f"{file}: the folder {path.parent} does not exist; create it first")
    from ..live.client import CONNECT_ENV
    from ..live.room import Room
    from ..serve.guard import parse_public_url
    from ..serve.server import ServeConfig, StratusServer

    try:
        public = parse_public_url(public_url or _default_public_url(host, port))
    except ValueError as exc:
        fail(f"--public-url {exc}", 2)
    folder = path.resolve().parent
    if token is not None and not re.fullmatch(r"[A-Za-z0-9_-]{16,128}", token):
        fail("--token: 16 to 128 letters, digits, '-' or '_' (copy it from the old link)", 2)

    def log(line: str) -> None:
        click.echo(line, err=True)

    room = Room(path.resolve(), debounce=debounce, max_delay=max(2.0, debounce * 4), log=log)
    config = ServeConfig(
        argv=app_argv(screen),
        cwd=folder,
        title=f"STRATUS · {path.name}",
        host=host,
        port=port,
        public=public,
        max_sessions=max_sessions,
        grace=grace,
        room=room,
    )
    if token:
        config.token = token
    config.app_env.update(
        {
            EXPORT_ROOT_ENV: str(folder),
            URL_ENV: config.link,
            CONNECT_ENV: _dial_address(host, port),
        }
    )
    if not _is_loopback(host):
        click.echo(
            f"Warning: serving on {host}: anyone on this network who has the link can edit {file}.",
            err=True,
        )

    def ready() -> None:
        facilitator = f"{config.link}&facilitator={room.facilitator_token}"
        click.echo(f"Serving {file} at {config.link}", err=True)
        click.echo("Share that link with the room (it holds the key). In a terminal: "
                   f"stratus join '{config.link}'", err=True)  # fmt: skip
        click.echo(f"Facilitator (phase, timer, dots; keep it to yourself): {facilitator}",
                   err=True)  # fmt: skip
        click.echo("Ctrl+C stops (the board is saved first).", err=True)

    try:
        room.load()  # a file that cannot be read fails here, before the port is taken
    except DesignError as exc:
        fail(exc)
    try:
        StratusServer(config, log=log).run(ready)
    except OSError as exc:  # port in use, address not available
        if exc.errno == errno.EADDRINUSE:
            fail(
                f"cannot serve on {host}:{port}: the port is in use (another `stratus serve`?); "
                f"pick another with --port",
                2,
            )
        fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        pass
