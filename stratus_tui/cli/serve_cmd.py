"""`stratus serve FILE [--host H] [--port P]`: the workbench in browsers (textual-serve).

Each browser that opens the page gets its own `python -m stratus_tui open FILE` process,
so the room sees the same workbench the facilitator would in a terminal. They all edit
one file: the workbench notices when the file changes under it and asks before
overwriting, so two browsers never silently clobber each other's work.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

import click

from .common import fail, load_or_exit


def app_command(path: Path) -> str:
    """The shell command textual-serve runs for each browser (quoted for any path)."""
    python = shlex.quote(sys.executable)
    return f"{python} -m stratus_tui open {shlex.quote(str(path.resolve()))}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shares it with your network.")  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port to listen on.")  # fmt: skip
def serve_cmd(file: str, host: str, port: int) -> None:
    """Serve the workbench on FILE to web browsers (Ctrl+C stops it).

    \b
    Examples:
      stratus serve workshop.yaml                 http://127.0.0.1:8000 on this machine
      stratus serve workshop.yaml --host 0.0.0.0  let the room's laptops connect
    """
    path = Path(file)
    if path.exists():
        load_or_exit(path)  # a broken file fails here, not in every browser
    from textual_serve.server import Server

    if not _is_loopback(host):
        click.echo(
            f"Warning: serving on {host}: anyone who can reach this address can edit {file}.",
            err=True,
        )
    server = Server(app_command(path), host=host, port=port, title=f"STRATUS · {path.name}")
    click.echo(f"Serving {file} at {server.public_url} (Ctrl+C stops)", err=True)
    try:
        server.serve()
    except OSError as exc:  # port in use, address not available
        fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        pass
