"""What a user does to files, written once for both front ends: the CLI's commands and
the workbench's screens call these and only word the outcome their own way.

Each action checks before it writes, writes atomically, and raises `ActionError` (a
message for the user, nothing half-written) instead of printing or exiting.
"""

from __future__ import annotations


class ActionError(Exception):
    """An action refused or failed; `str()` is the message for the user, `usage` marks
    a refusal the CLI reports with exit code 2 (e.g. overwriting the source)."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


__all__ = ["ActionError"]
