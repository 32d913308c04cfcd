"""Start the app from the CLI (kept tiny so the CLI imports Textual only here)."""

from __future__ import annotations

from pathlib import Path


def run_app(path: Path | None) -> None:
    from .app import make_app

    make_app(path).run()
