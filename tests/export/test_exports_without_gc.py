"""Every export runs with the cyclic collector paused (issue 21): with a large design in
memory the collector's passes made exports grow x7 for x5 work. Checked by making the
collector eager (a pass every allocation or so: thousands in an unpaused export) and
counting the passes during each export: only the few around pausing and resuming."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from stratus_tui.core.export import EXPORTERS
from stratus_tui.core.export.deploy import k8s_files
from stratus_tui.core.export.observe import observe_files
from stratus_tui.core.resources import samples_dir
from stratus_tui.core.store.design_file import load_design


@pytest.fixture
def passes() -> Iterator[list[int]]:
    seen: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    threshold = gc.get_threshold()
    gc.set_threshold(1, 1, 1)  # a pass on nearly every allocation while enabled
    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)
        gc.set_threshold(*threshold)


EXPORTS: dict[str, Callable[[Any], object]] = {
    **{name: f for name, f in EXPORTERS.items() if name != "svg"},  # svg: `dot` runs it
    "observe": observe_files,
    "k8s": k8s_files,
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_collection_during_an_export(name: str, passes: list[int]) -> None:
    design = load_design(samples_dir() / "checkout.yaml")
    assert gc.isenabled()
    passes.clear()
    EXPORTS[name](design)
    assert len(passes) <= 5, len(passes)
    assert gc.isenabled()  # given back
    [object() for _ in range(10)]
    assert passes  # the check can see passes: the collector is eager again
