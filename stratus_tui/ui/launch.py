"""Start the app from the CLI (kept tiny so the CLI imports Textual only here)."""

from __future__ import annotations

import sys
from pathlib import Path


def run_app(path: Path | None) -> None:
    """Run the workbench; a design that does not load is reported and exits 1."""
    from .app import make_app

    app = make_app(path)
    if app.open_error is not None:
        # Same contract as every CLI command: file:line:col on stderr, non-zero exit,
        # the file untouched.
        print(app.open_error, file=sys.stderr)
        sys.exit(1)
    app.run()
