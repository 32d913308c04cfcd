"""Reading a design file's bytes and text, with the model nowhere in sight (a child
parsing ahead of a command imports only this, `yaml_io` and `core.problems`)."""

from __future__ import annotations

from pathlib import Path

from ..problems import DesignError, Problem


def read_design_text(path: Path) -> tuple[bytes, str]:
    """The bytes of a design file and their text; DesignError when it cannot be a
    design (unreadable, not a regular file, not UTF-8, empty or only comments)."""
    from ..yaml_io import ReadRefused, decode, read_bounded

    try:
        raw = read_bounded(path)  # regular files only: a FIFO hung, /dev/zero never ended
    except ReadRefused as exc:
        raise DesignError([Problem(str(exc), (), str(path))]) from None
    except OSError as exc:
        raise DesignError([Problem(f"cannot read: {exc.strerror}", (), str(path))]) from None
    text = decode(raw, str(path))
    if not text.strip() or not any(
        line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()
    ):
        what = "empty" if not text.strip() else "only comments"
        raise DesignError(
            [
                Problem(
                    f"the file is {what}; a design needs at least 'stratus: 1' and 'name: ...'",
                    (),
                    str(path),
                    1,
                    1,
                )
            ]
        )
    return raw, text
