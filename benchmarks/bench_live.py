"""Live workshops: sticky propagation with 10 participants, and the server's memory.

    .venv/bin/python -m benchmarks.bench_live            # 100 stickies timed, 1,000 held
    .venv/bin/python -m benchmarks.bench_live --quick    # 30 timed

A real `stratus serve` subprocess on 127.0.0.1 and 10 pycrdt participants on their own
websockets (in this process, one event loop). Propagation: the time from one participant's
edit to the moment each of the 9 others holds it (their replica's change event), as p50 /
p95 / max over every (sticky, receiver) pair. Goal (issue 16): within 200 ms on loopback.
Memory: the server process's resident set (VmRSS) with the sample board, then with 1,000
stickies on it. The figures vary 30-50 % between runs on the shared machines.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from stratus_tui.core.resources import sample_path
from tests.live.conftest import Participant
from tests.support.serve_harness import ServeProcess

PEOPLE = 10
HELD = 1000


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _arrival(person: Participant, made: str, started: float) -> float:
    """Seconds from `started` until `person` sees the sticky `made`."""
    while not any(i.id == made for i in person.design().event_storming.items):
        person.changed.clear()
        await person.changed.wait()
    return time.perf_counter() - started


async def _propagation(people: list[Participant], stickies: int) -> list[float]:
    delays: list[float] = []
    for n in range(stickies):
        writer = people[n % len(people)]
        others = [p for p in people if p is not writer]
        for person in others:
            person.changed.clear()
        started = time.perf_counter()
        made = writer.add(f"timed sticky {n}")

        arrivals = (_arrival(p, made, started) for p in others)
        delays.extend(await asyncio.wait_for(asyncio.gather(*arrivals), 30))
    return delays


async def _main(timed: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-live-"))
    design = folder / "workshop.yaml"
    shutil.copy(sample_path("checkout"), design)
    server = ServeProcess(design, "--debounce", "0.5")
    try:
        people = [Participant(server.link, f"p{n}", f"b{n}") for n in range(PEOPLE)]
        tasks = [asyncio.create_task(p.client.run()) for p in people]
        await asyncio.gather(*(asyncio.wait_for(p.client.synced.wait(), 30) for p in people))
        rss_start = _rss_mb(server.proc.pid)
        delays = sorted(await _propagation(people, timed))
        p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
        print(f"propagation, {PEOPLE} participants, {timed} stickies x {PEOPLE - 1} receivers:")
        print(
            f"  p50 {_ms(statistics.median(delays))}  p95 {_ms(p95)}  max {_ms(delays[-1])}"
            f"  (goal: 200 ms)"
        )
        base = len(people[0].design().event_storming.items)
        for n in range(HELD - base):
            people[n % PEOPLE].add(f"held sticky {n}")
            if n % 50 == 49:
                await asyncio.sleep(0)  # let the sockets drain
        await people[0].until(lambda d: len(d.event_storming.items) >= HELD, 60)
        await asyncio.to_thread(server.wait_line, rf"^saved \S+: {HELD} stickies")
        rss_end = _rss_mb(server.proc.pid)
        print(f"server memory (VmRSS): {rss_start:6.1f} MB at start, "
              f"{rss_end:6.1f} MB with {HELD} stickies and {PEOPLE} clients")  # fmt: skip
        for person in people:
            person.client.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    timed = 30 if "--quick" in sys.argv else 100
    asyncio.run(_main(timed))


if __name__ == "__main__":
    main()
