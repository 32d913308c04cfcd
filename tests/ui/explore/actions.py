"""What a person does at the workbench, as values hypothesis can generate, shrink and print.

Each action's `repr` is the Python that replays it, so a failing example printed by
hypothesis pastes straight into an `@example(...)`. The weights follow what people press
most: screen digits, arrows, Tab, Enter and Escape, short text and numbers (valid and not),
then the single-letter and ctrl keys of the panes, then palette commands and clicks.
Quitting keys (`ctrl+q`, `ctrl+c`) are left out: the session must stay alive to be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st


@dataclass(frozen=True)
class Press:
    """Press one key (a Textual key name: `down`, `shift+tab`, `ctrl+z`, `x`)."""

    key: str


@dataclass(frozen=True)
class Type:
    """Type `text` key by key into whatever has focus."""

    text: str


@dataclass(frozen=True)
class Click:
    """Click the screen cell (`x`, `y`), taken modulo the terminal size."""

    x: int
    y: int
    double: bool = False


@dataclass(frozen=True)
class Palette:
    """Open the command palette (ctrl+p), type `command`, press Enter on the best match."""

    command: str


Action = Press | Type | Click | Palette

# Keys by how often people press them (weights relative within the whole action mix).
FREQUENT_KEYS = [
    *"12345",
    "up", "down", "left", "right",
    "tab", "shift+tab", "enter", "escape",
]  # fmt: skip
PANE_KEYS = ["a", "x", "r", "y", "n", "ctrl+z", "ctrl+y", "delete", "backspace", "space"]
RARE_KEYS = [
    "home", "end", "pageup", "pagedown", "ctrl+l", "ctrl+g", "ctrl+s", "ctrl+n", "f2", "f8",
    "shift+f8", "question_mark", "ctrl+o", "ctrl+a", "ctrl+t", "o",
    # STORM board keys
    "i", "e", "d", "k", "p", "v", "c", "s", "t", "N", "left_square_bracket",
    "right_square_bracket", "shift+left", "shift+right",
]  # fmt: skip

# Text people type into fields: numbers in and out of range, words, ids, and the
# characters that break renderers. No `/`, `~` or `..`: a folder typed on EXPORT stays
# inside the session's temporary working folder.
TOKENS = [
    "150", "-1", "abc", "99.9", "0", "12", "3", "1e3", "nan", "inf", "2026-13-45",
    "2026-10-02", "team-payments", "end", "-->", "%%", '"q"', "[b]x[/b]", "<b>h</b>",
    "$$x$$", "new-svc", " ",
]  # fmt: skip
SAFE_ALPHABET = "abcxyz019 -_'\"[]<>%$#!@=?"

PALETTE_COMMANDS = [
    "screen: discover", "screen: architect", "screen: storm", "screen: review",
    "screen: export", "add: service", "add: dependency", "add: datastore", "add: external",
    "add: failure mode", "export: all formats", "edit: undo", "edit: redo", "file: save",
    "screen: welcome", "file: open design", "file: new design",
]  # fmt: skip


def typed_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TOKENS),
        st.text(alphabet=SAFE_ALPHABET, min_size=1, max_size=8),
    )


def actions(component_ids: list[str]) -> st.SearchStrategy[Action]:
    """One action; `jump:` commands name the components of the design under test."""
    jumps = [f"jump: {c}" for c in component_ids]
    return st.one_of(
        # st.one_of picks branches uniformly: repeat a branch to weight it.
        *[st.builds(Press, st.sampled_from(FREQUENT_KEYS))] * 8,
        *[st.builds(Type, typed_text())] * 3,
        *[st.builds(Press, st.sampled_from(PANE_KEYS))] * 2,
        st.builds(Press, st.sampled_from(RARE_KEYS)),
        st.builds(Palette, st.sampled_from(PALETTE_COMMANDS + jumps)),
        st.builds(
            Click, st.integers(0, 159), st.integers(0, 47), st.sampled_from([False, False, True])
        ),
    )


def sessions(component_ids: list[str], max_steps: int) -> st.SearchStrategy[list[Action]]:
    """A session of at least half `max_steps` actions: people do more than one thing."""
    return st.lists(actions(component_ids), min_size=max(1, max_steps // 2), max_size=max_steps)
