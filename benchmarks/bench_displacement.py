"""Steady layout: how far unchanged boxes move after one edit (issue 17).

    .venv/bin/python -m benchmarks.bench_displacement

For each sample design and a 200-service design, and each kind of single edit (add a
dependency, add a service, delete a service, rename an id, rename a title), lay the
design out, apply the edit, lay it out again and measure the boxes present before
and after (a renamed one counts under its new id): mean |dx| (cells), mean |dy|
(rows) and the share of pairs of them that swapped places (left/right, or top/bottom
within a column). "steady" keeps a `LayoutMemory` across the edit (what the UI does);
"fresh" lays the edited design out from scratch (what it did before).
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.gen import make_design
from stratus_tui.core.diagram import Box, Layout, LayoutMemory, build_graph, layout_graph
from stratus_tui.core.diagram.dot_process import clear_dot_cache
from stratus_tui.core.edits import delete_component, rename_component
from stratus_tui.core.model import Dependency, Design, Service
from stratus_tui.core.store.design_file import load_design

SAMPLES = Path(__file__).resolve().parents[1] / "sample_designs"

Edit = Callable[[Design], tuple[Design, dict[str, str]]]
"""An edit and the renames it makes (old id -> new id)."""


def _middle(design: Design) -> Service:
    return design.services[len(design.services) // 2]


def add_dependency(design: Design) -> tuple[Design, dict[str, str]]:
    """A new call from the last service to the first one it does not call yet."""
    src = design.services[-1].id
    calls = {(d.from_, d.to) for d in design.dependencies}
    dst = next(s.id for s in design.services if s.id != src and (src, s.id) not in calls)
    dep = Dependency(**{"from": src, "to": dst})
    return design.model_copy(update={"dependencies": (*design.dependencies, dep)}), {}


def add_service(design: Design) -> tuple[Design, dict[str, str]]:
    """A new service in the middle service's context, called by it."""
    mid = _middle(design)
    new = Service(id="added-svc", name="Added", context=mid.context)
    dep = Dependency(**{"from": mid.id, "to": "added-svc"})
    return design.model_copy(
        update={"services": (*design.services, new), "dependencies": (*design.dependencies, dep)}
    ), {}


def delete_service(design: Design) -> tuple[Design, dict[str, str]]:
    """The middle service deleted with its dependencies."""
    return delete_component(design, _middle(design).id), {}


def rename_id(design: Design) -> tuple[Design, dict[str, str]]:
    """The middle service gets a new id (references follow)."""
    old = _middle(design).id
    return rename_component(design, old, old + "-v2"), {old: old + "-v2"}


def rename_title(design: Design) -> tuple[Design, dict[str, str]]:
    """The middle service gets a longer name."""
    mid = _middle(design)
    services = tuple(
        s.model_copy(update={"name": f"{s.name or s.id} (renamed)"}) if s is mid else s
        for s in design.services
    )
    return design.model_copy(update={"services": services}), {}


EDITS: dict[str, Edit] = {
    "add dependency": add_dependency,
    "add service": add_service,
    "delete service": delete_service,
    "rename id": rename_id,
    "rename title": rename_title,
}


@dataclass(frozen=True, slots=True)
class Displacement:
    """How far the boxes kept by an edit moved."""

    dx: float
    dy: float
    reordered: float
    """Share of pairs of kept boxes that changed places: one was left of the other and
    no longer is, or they shared a column and swapped top and bottom."""

    @property
    def mean(self) -> float:
        """Mean |dx| + |dy| in cells."""
        return self.dx + self.dy


def displacement(before: Layout, after: Layout, renames: dict[str, str]) -> Displacement:
    """Compare the boxes present in both layouts (old ids mapped through `renames`)."""
    old = {renames.get(b.id, b.id): b for b in before.boxes}
    new = {b.id: b for b in after.boxes}
    kept = sorted(set(old) & set(new))
    if not kept:
        return Displacement(0.0, 0.0, 0.0)

    flipped = 0
    pairs = 0
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            pairs += 1
            if _relation(old[a], old[b]) != _relation(new[a], new[b]):
                flipped += 1
    return Displacement(
        statistics.fmean(abs(old[k].x - new[k].x) for k in kept),
        statistics.fmean(abs(old[k].y - new[k].y) for k in kept),
        flipped / pairs if pairs else 0.0,
    )


def _sign(v: int) -> int:
    return (v > 0) - (v < 0)


def _relation(a: Box, b: Box) -> tuple[int, int]:
    """Left/right of each other, and above/below when in one column."""
    dx = _sign(a.x - b.x)
    return dx, _sign(a.y - b.y) if dx == 0 else 0


def measure(design: Design, edit: Edit, engine: str = "auto") -> tuple[Displacement, Displacement]:
    """(steady, fresh) displacement of unchanged boxes after `edit` on `design`."""
    clear_dot_cache()
    memory = LayoutMemory()
    before = layout_graph(build_graph(design), engine, memory=memory)  # type: ignore[arg-type]
    edited, renames = edit(design)
    steady = layout_graph(build_graph(edited), engine, memory=memory)  # type: ignore[arg-type]
    clear_dot_cache()
    fresh = layout_graph(build_graph(edited), engine)  # type: ignore[arg-type]
    return displacement(before, steady, renames), displacement(before, fresh, renames)


def designs() -> dict[str, Design]:
    """The samples and a 200-service synthetic design."""
    out = {p.stem: load_design(p) for p in sorted(SAMPLES.glob("*.yaml"))}
    out["synthetic-200"] = make_design(200)
    return out


def main(argv: list[str] | None = None) -> None:
    del argv
    print("mean displacement of unchanged boxes after one edit: |dx| cells, |dy| rows,")
    print("and the share of pairs of them that swapped places (steady = kept memory)\n")
    print(f"{'design':>16} {'edit':>15}   {'steady dx/dy/reord':>22}   {'fresh dx/dy/reord':>22}")
    totals: dict[str, list[float]] = {"steady": [], "fresh": []}
    for name, design in designs().items():
        for label, edit in EDITS.items():
            steady, fresh = measure(design, edit)
            totals["steady"].append(steady.mean)
            totals["fresh"].append(fresh.mean)
            print(
                f"{name:>16} {label:>15}   "
                f"{steady.dx:6.1f} {steady.dy:6.1f} {steady.reordered:7.0%}   "
                f"{fresh.dx:6.1f} {fresh.dy:6.1f} {fresh.reordered:7.0%}"
            )
    print(
        f"\nmean |dx|+|dy| over all: steady {statistics.fmean(totals['steady']):.1f}"
        f"   fresh {statistics.fmean(totals['fresh']):.1f}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
