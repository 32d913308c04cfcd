"""Entry point: `stratus` and `python -m stratus_tui`."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    main()
