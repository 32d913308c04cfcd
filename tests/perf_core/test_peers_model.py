"""The peers benchmark gives pytm the same model STRATUS has (benchmarks/peers.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from benchmarks.peers import pytm_script
from stratus_tui.core.store.design_file import load_design

SAMPLES = Path(__file__).resolve().parents[2] / "sample_designs"


def test_the_pytm_model_has_every_component_and_dependency() -> None:
    design = load_design(SAMPLES / "checkout.yaml")
    tree = ast.parse(pytm_script(design))  # valid Python, whatever the names hold
    calls = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    assert calls.count("Server") == len(design.services)
    assert calls.count("Datastore") == len(design.datastores)
    assert calls.count("ExternalEntity") == len(design.externals)
    assert calls.count("Dataflow") == len(design.dependencies)
    contexts = {s.context for s in design.services if s.context}
    assert calls.count("Boundary") == len(contexts)
