"""Print a design's topology as text: `python -m stratus_tui.core.diagram FILE [ENGINE]`.

ENGINE is auto (default: dot when installed), dot or layered. Handy for a quick look
over SSH, in CI logs, or to paste into an issue.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stratus_tui.core.problems import DesignError
from stratus_tui.core.store.design_file import load_design

from . import draw

USAGE = "usage: python -m stratus_tui.core.diagram FILE [auto|dot|layered]"


def main(argv: list[str]) -> int:
    """Print the diagram of the design in argv[0]; returns the exit code."""
    if not argv or len(argv) > 2 or argv[-1] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    engine = argv[1] if len(argv) == 2 else "auto"
    if engine not in ("auto", "dot", "layered"):
        print(f"unknown engine {engine!r}\n{USAGE}", file=sys.stderr)
        return 2
    try:
        design = load_design(Path(argv[0]))
    except DesignError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{argv[0]}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    picture = draw(design, engine)  # type: ignore[arg-type]
    print("\n".join(line.rstrip() for line in picture.lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
