"""Problems found in a user's file, each with a place a person can go to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file.

    `loc` is the path inside the document (("services", 2, "datastore")); `line` and
    `column` are 1-based once the store has mapped `loc` onto the file. When `loc` ends
    in a key, `value_position` says whether to point at its value (a bad value) or at the
    key itself (an unknown key).
    """

    message: str
    loc: Loc = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None
    value_position: bool = True

    def format(self) -> str:
        """`FILE:LINE:COL: message`, dropping the parts that are unknown."""
        where = [self.file or "<input>"]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return f"{':'.join(where)}: {self.message}"


@dataclass(slots=True)
class DesignError(Exception):
    """Raised when a file cannot be turned into a valid design. Carries every problem."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of `choices`, or '' when none is close."""
    import difflib

    close = difflib.get_close_matches(value, sorted(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
