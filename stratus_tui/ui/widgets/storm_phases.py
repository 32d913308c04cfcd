"""The facilitation stepper: the phases of a Big Picture workshop, with a timebox timer."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static


@dataclass(frozen=True)
class Phase:
    """One step of the workshop."""

    title: str
    hint: str
    minutes: int
    """Suggested timebox; the timer turns red past it."""


PHASES: tuple[Phase, ...] = (
    Phase(
        "Chaotic exploration",
        "Everyone calls out domain events, past tense. Type them fast: plain text is an event.",
        20,
    ),
    Phase(
        "Enforce the timeline",
        "Put the events in order: shift+←/→ (or [ ]) move the sticky under the cursor.",
        15,
    ),
    Phase(
        "Hotspots",
        "Capture questions, risks and disagreements with ? (hotspot); do not solve them yet.",
        10,
    ),
    Phase(
        "Pivotal events",
        "Mark the few events that change everything with p: they split the timeline.",
        10,
    ),
    Phase(
        "Bounded contexts",
        "Group stickies: v marks a range, c puts it in a context, r renames; s derives services.",
        15,
    ),
)


def clock(seconds: float) -> str:
    """mm:ss (minutes may pass 59)."""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


class StormPhases(Static):
    """Shows the phases with the current one highlighted, its hint and its timer."""

    DEFAULT_CSS = """
    StormPhases { height: auto; padding: 0 1; background: $panel; color: $foreground; }
    StormPhases > .storm-phases--current { background: $accent; color: $text; text-style: bold; }
    StormPhases > .storm-phases--done { color: $success; }
    StormPhases > .storm-phases--todo { color: $text-muted; }
    StormPhases > .storm-phases--hint { color: $text-muted; }
    StormPhases > .storm-phases--overtime { color: $error; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "storm-phases--current",
        "storm-phases--done",
        "storm-phases--todo",
        "storm-phases--hint",
        "storm-phases--overtime",
    }

    phase: reactive[int] = reactive(0)
    """Index of the current phase in PHASES."""
    running: reactive[bool] = reactive(False)
    """Whether the timer is counting."""
    elapsed: reactive[float] = reactive(0.0)
    """Seconds spent in the current phase while the timer ran."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, markup=False)
        self.live_left: int | None = None
        """Seconds left on a live workshop's timer (None: no timer running)."""
        self.live = False
        self._started_at: float | None = None
        self._banked = 0.0
        self._ticker: Timer | None = None

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self._tick, pause=True)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _tick(self) -> None:
        if self._started_at is not None:
            self.elapsed = self._banked + (time.monotonic() - self._started_at)

    def step(self, delta: int) -> None:
        """Go to the next (+1) or previous (-1) phase; its timer starts from zero."""
        target = max(0, min(self.phase + delta, len(PHASES) - 1))
        if target != self.phase:
            self.phase = target
            self._banked = 0.0
            self._started_at = time.monotonic() if self.running else None
            self.elapsed = 0.0

    def toggle_timer(self) -> None:
        """Start or pause the phase timer."""
        if self.running:
            self._tick()
            self._banked = self.elapsed
            self._started_at = None
            self.running = False
            if self._ticker is not None:
                self._ticker.pause()
        else:
            self._started_at = time.monotonic()
            self.running = True
            if self._ticker is not None:
                self._ticker.resume()

    def show_live(self, seconds_left: int | None) -> None:
        """Show the room's timer (a live workshop: the facilitator runs it)."""
        if self.live and seconds_left == self.live_left:
            return
        self.live = True
        self.live_left = seconds_left
        self._draw(layout=False)

    @property
    def overtime(self) -> bool:
        return self.elapsed > PHASES[self.phase].minutes * 60

    def watch_elapsed(self) -> None:
        self.set_class(self.overtime, "-overtime")
        self._draw(layout=False)  # a tick changes digits, never the height

    def watch_phase(self) -> None:
        self._draw()

    def watch_running(self) -> None:
        self._draw()

    def _draw(self, layout: bool = True) -> None:
        def style(name: str) -> Style:
            return self.get_component_rich_style(f"storm-phases--{name}", partial=True)

        # Lines are broken here, between phases: left to Rich, a narrow terminal (80
        # columns) would split "4 Pivotal events" across two lines.
        width = self.content_size.width
        text = Text()
        used = 0
        for i, phase in enumerate(PHASES):
            label = f" {i + 1} {phase.title} "
            arrow = "  →  " if i else ""
            if arrow and width and used + len(arrow) + len(label) > width:
                text.append("\n")
                arrow, used = "→ ", 0
            text.append(arrow, style("todo"))
            name = "current" if i == self.phase else ("done" if i < self.phase else "todo")
            text.append(label, style(name))
            used += len(arrow) + len(label)
        current = PHASES[self.phase]
        state = "running" if self.running else "paused"
        # Words, not a stopwatch glyph: U+23F1 is one cell or two depending on the
        # terminal, and browsers' monospace fonts often have no glyph for it.
        timer = f"   timer {clock(self.elapsed)} / {current.minutes:02d}:00 {state}"
        if self.live:
            left = self.live_left
            timer = "   no timer" if left is None else f"   timer {clock(left)} left"
            if left == 0:
                timer = "   time is up"
        if width and used + len(timer) > width:
            text.append("\n")
            timer = timer.lstrip()
        text.append(timer, style("overtime" if self.overtime else "hint"))
        text.append("\n")
        text.append(current.hint, style("hint"))
        if self.live:  # the room's phase and timer are the facilitator's to set
            keys = "   / find · z overview · +/- dots · n/N phase, t timer: facilitator"
        else:
            keys = "   n/N next/previous phase · t timer · / find · z overview"
        text.append(keys, style("todo"))
        self.update(text, layout=layout)
