"""kustomize: a base listing every service's manifests, and overlays dev, staging, prod.

* base/kustomization.yaml lists the service files;
* each overlay puts everything in the namespace `<design>-<env>` and labels it
  `environment: <env>`;
* dev runs one replica of each service (HPA minimum 1 too): cheap, not highly available;
* staging runs the base as designed;
* prod makes the zone spread a hard rule (`DoNotSchedule`): a replica set that cannot be
  spread across zones waits for capacity instead of piling into one zone.
"""

from __future__ import annotations

from typing import Any

from ...model import Design
from ..observe.names import dns_label, to_yaml
from .k8s import HEADER

ENVIRONMENTS = ("dev", "staging", "prod")
API = "kustomize.config.k8s.io/v1beta1"


def _patch(ops: list[dict[str, Any]]) -> str:
    return to_yaml(ops)


def namespace(design: Design, env: str) -> str:
    """`<design name as a DNS label>-<env>`."""
    return dns_label(design.name or "stratus", suffix=f"-{env}")


def base_kustomization(files: list[str]) -> str:
    return HEADER + to_yaml({"apiVersion": API, "kind": "Kustomization", "resources": files})


def overlay(design: Design, env: str, has_hpa: bool) -> str:
    doc: dict[str, Any] = {
        "apiVersion": API,
        "kind": "Kustomization",
        "namespace": namespace(design, env),
        "resources": ["../../base"],
        "labels": [{"pairs": {"environment": env}, "includeSelectors": False}],
    }
    patches: list[dict[str, Any]] = []
    if env == "dev":
        patches.append(
            {
                "target": {"kind": "Deployment"},
                "patch": _patch([{"op": "replace", "path": "/spec/replicas", "value": 1}]),
            }
        )
        if has_hpa:
            patches.append(
                {
                    "target": {"kind": "HorizontalPodAutoscaler"},
                    "patch": _patch([{"op": "replace", "path": "/spec/minReplicas", "value": 1}]),
                }
            )
    if env == "prod":
        path = "/spec/template/spec/topologySpreadConstraints/0/whenUnsatisfiable"
        patches.append(
            {
                "target": {"kind": "Deployment"},
                "patch": _patch([{"op": "replace", "path": path, "value": "DoNotSchedule"}]),
            }
        )
    if patches:
        doc["patches"] = patches
    return HEADER + to_yaml(doc)
