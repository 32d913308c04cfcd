"""DEPLOY: Kubernetes manifests and kustomize overlays from the design.

`k8s_files(design)` gives every file of `export --format k8s -o DIR` (and of the
`deploy/` folder of `export --format all`) as relative POSIX path -> text, with notes.
"""

from __future__ import annotations

from ...gc_pause import gc_paused
from ...model import Design
from .k8s import base_files
from .kustomize import ENVIRONMENTS, base_kustomization, overlay

ROOT = "deploy/k8s"


@gc_paused()
def k8s_files(
    design: Design, root: str = ROOT, *, say_left_out: bool = True
) -> tuple[dict[str, str], list[str]]:
    """`deploy/k8s/...` path -> text, and notes: corrected overrides and, with
    `say_left_out`, the services not on kubernetes (`export all` does not repeat that on
    every run: most designs have some)."""
    base, notes = base_files(design, say_left_out=say_left_out)
    prefix = f"{root}/" if root else ""
    if not base:
        if say_left_out:
            notes.append("no service runs on kubernetes: no manifests")
        return {}, notes
    files = {f"{prefix}base/{name}": body for name, body in base.items()}
    files[f"{prefix}base/kustomization.yaml"] = base_kustomization(sorted(base))
    has_hpa = any("kind: HorizontalPodAutoscaler" in body for body in base.values())
    for env in ENVIRONMENTS:
        files[f"{prefix}overlays/{env}/kustomization.yaml"] = overlay(design, env, has_hpa)
    return dict(sorted(files.items())), notes


__all__ = ["ENVIRONMENTS", "ROOT", "k8s_files"]
