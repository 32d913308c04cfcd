"""Entry point: `stratus` and `python -m stratus_tui`."""

from __future__ import annotations

import sys

from .cli import main as cli_main


def main() -> None:
    """Run the command line; a finished one-shot command exits at once (see
    `cli.common.exit_now_if_done`). In-process callers use `stratus_tui.cli.main`."""
    try:
        cli_main()
    except SystemExit as exc:
        from .cli.common import exit_now_if_done

        exit_now_if_done(exc.code)
        raise
    sys.exit(0)


if __name__ == "__main__":
    main()
