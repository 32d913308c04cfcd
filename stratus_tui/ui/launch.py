"""Start the app from the CLI (kept tiny so the CLI imports Textual only here)."""

from __future__ import annotations

import sys
from pathlib import Path


def run_app(path: Path | None) -> None:
    """Run the workbench; a design that does not load is reported and exits 1."""
    from .app import make_app

    # The file is read in a worker after the first frame (start-up stays close to a bare
    # Textual app); a design that does not load ends the app at once, and then, like
    # every CLI command: file:line:col on stderr, non-zero exit, the file untouched.
    app = make_app(path, defer_load=True)
    app.run()
    if app.return_code == 1 and app.open_error is not None:
        print(app.open_error, file=sys.stderr)
        sys.exit(1)
