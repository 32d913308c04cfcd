"""Typing a file path: Tab completes it, and what an Open or New does with it is checked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

SHOWN = 8
"""Candidates listed under the field when Tab finds several."""


def complete_path(value: str) -> tuple[str, list[str]]:
    """(the completed text, the candidates when more than one matches).

    A unique folder gets its trailing `/` so the next Tab looks inside it.
    """
    typed = os.path.expanduser(value)
    folder, _, prefix = typed.rpartition(os.sep)
    base = Path(folder or ".") if folder or not typed.startswith(os.sep) else Path(os.sep)
    try:
        names = sorted(
            entry.name + (os.sep if entry.is_dir() else "")
            for entry in os.scandir(base)
            if entry.name.startswith(prefix) and (prefix.startswith(".") or entry.name[0] != ".")
        )
    except OSError:
        return value, []
    if not names:
        return value, []
    common = os.path.commonprefix(names)  # noqa: RUF071 (names, not path components)
    head = value[: len(value) - len(prefix)]  # what was typed before the last part, as typed
    return head + common, names if len(names) > 1 else []


def open_check(value: str) -> str | None:
    """Why `value` cannot be opened as a design (None when it can, or can be created)."""
    text = value.strip()
    if not text:
        return "a file name is needed"
    path = Path(text).expanduser()
    if path.is_dir():
        return f"{text} is a folder: give a design file inside it (Tab completes)"
    if not path.exists() and not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    return None


def new_check(value: str) -> str | None:
    """Why a new design cannot be written at `value` (None when it can)."""
    problem = open_check(value)
    if problem is not None:
        return problem
    if Path(value.strip()).expanduser().exists():
        return "that file exists: choose another name (or open it)"
    return None


class PathInput(Input):
    """An Input whose Tab completes a file path instead of moving the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "complete",
            "Complete",
            show=False,
            id="path.complete",
            tooltip="Complete the file or folder name",
        ),
    ]

    class Completed(Message):
        """Tab ran: `candidates` lists the names when several match (empty otherwise)."""

        def __init__(self, candidates: list[str]) -> None:
            super().__init__()
            self.candidates = candidates

    def action_complete(self) -> None:
        completed, candidates = complete_path(self.value)
        if completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
        self.post_message(self.Completed(candidates))


def candidates_text(candidates: list[str]) -> str:
    """The candidates as one short line under the field."""
    shown = "  ".join(candidates[:SHOWN])
    more = len(candidates) - SHOWN
    return shown + (f"  … {more} more" if more > 0 else "")
