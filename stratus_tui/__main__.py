"""Entry point: `stratus` and `python -m stratus_tui`."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line; a finished one-shot command exits at once (see
    `cli.common.exit_now_if_done`). In-process callers use `stratus_tui.cli.main`."""
    from .core.store.parse_ahead import start_for_command

    # Before click, pydantic and the model are imported: the design file is parsed on
    # the other core meanwhile.
    start_for_command(sys.argv[1:])
    from .cli import main as cli_main

    try:
        cli_main()
    except SystemExit as exc:
        from .cli.common import exit_now_if_done

        exit_now_if_done(exc.code)
        raise
    sys.exit(0)


if __name__ == "__main__":
    main()
