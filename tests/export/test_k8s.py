"""DEPLOY export: manifests through kubernetes-validate, overlays through `kubectl
kustomize`, and `stratus import` of the manifests giving the services back.

A missing `kubectl` fails the test (scripts/test.sh installs it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from stratus_tui.core.export.deploy import ENVIRONMENTS, k8s_files
from stratus_tui.core.importers import import_source
from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import load_design

from .ops_support import SAMPLES, hostile_design, run_tool, stratus, tool, write_files

K8S_VERSION = "1.32.0"
"""The Kubernetes API version manifests are validated against (pinned)."""
DNS_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
WITH_K8S = [p for p in SAMPLES if p.stem in ("checkout", "payments-ledger")]


def _docs(files: dict[str, str], folder: str = "deploy/k8s/base/") -> list[dict[str, Any]]:
    return [
        doc
        for path, body in files.items()
        if path.startswith(folder) and not path.endswith("kustomization.yaml")
        for doc in yaml.safe_load_all(body)
        if doc
    ]


def _cases(tmp_path: Path) -> list[tuple[str, Design]]:
    return [(p.stem, load_design(p)) for p in WITH_K8S] + [
        ("hostile", load_design(hostile_design(tmp_path)))
    ]


def test_every_manifest_passes_kubernetes_validate(tmp_path: Path) -> None:
    kinds: set[str] = set()
    for name, design in _cases(tmp_path):
        files, _ = k8s_files(design)
        for doc in _docs(files):
            # strict: an unknown field is an error, not silently dropped by the API server
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
            kinds.add(doc["kind"])
            assert DNS_LABEL.fullmatch(doc["metadata"]["name"]), name
    assert kinds == {"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"}


def test_kubernetes_validate_refuses_a_broken_manifest() -> None:
    design = load_design(WITH_K8S[0])
    deployment = _docs(k8s_files(design)[0])[0]
    deployment["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


@pytest.mark.parametrize("which", ["checkout", "payments-ledger", "hostile"])
def test_each_overlay_builds_with_kubectl_kustomize(tmp_path: Path, which: str) -> None:
    kubectl = tool("kubectl")
    design = dict(_cases(tmp_path))[which]
    files, _ = k8s_files(design)
    write_files(files, tmp_path / "out")
    built: dict[str, list[dict[str, Any]]] = {}
    for env in ENVIRONMENTS:
        done = run_tool(kubectl, "kustomize", str(tmp_path / "out" / "deploy/k8s/overlays" / env))
        assert done.returncode == 0, done.stderr
        built[env] = [d for d in yaml.safe_load_all(done.stdout) if d]
        for doc in built[env]:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
            assert doc["metadata"]["namespace"].endswith(f"-{env}")
            assert doc["metadata"]["labels"]["environment"] == env
    deployments = {
        env: [d for d in docs if d["kind"] == "Deployment"] for env, docs in built.items()
    }
    assert all(d["spec"]["replicas"] == 1 for d in deployments["dev"])
    base = {
        d["metadata"]["name"]: d["spec"]["replicas"]
        for d in _docs(files)
        if d["kind"] == "Deployment"
    }
    assert {d["metadata"]["name"]: d["spec"]["replicas"] for d in deployments["prod"]} == base
    for d in deployments["prod"]:
        spread = d["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert spread[0]["topologyKey"] == "topology.kubernetes.io/zone"
        assert spread[0]["whenUnsatisfiable"] == "DoNotSchedule"


def test_deployments_follow_the_design_and_the_seed_defaults() -> None:
    design = load_design(next(p for p in SAMPLES if p.stem == "payments-ledger"))
    docs = _docs(k8s_files(design)[0])
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    for service in design.services:
        if service.runtime != "kubernetes":
            assert service.id not in by_kind["Deployment"]
            continue
        dep = by_kind["Deployment"][service.id]
        assert dep["spec"]["replicas"] == service.replicas
        pod = dep["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["resources"] == {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"cpu": "500m", "memory": "128Mi"},
        }
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        has_probes = "livenessProbe" in container and "readinessProbe" in container
        assert has_probes == bool(service.health_checks)
        if has_probes:
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert service.id in by_kind["Service"] and service.id in by_kind["PodDisruptionBudget"]
        assert by_kind["PodDisruptionBudget"][service.id]["spec"]["maxUnavailable"] == 1


def test_overrides_fixed_scaling_and_hostile_names(tmp_path: Path) -> None:
    design = load_design(hostile_design(tmp_path))
    files, notes = k8s_files(design)
    docs = _docs(files)
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    ids = [d["metadata"]["annotations"]["stratus.dev/id"] for d in deployments]
    assert sorted(ids) == sorted(["Orders_API.v2", "a_b", "a-b", "1st.svc"])
    names = [d["metadata"]["name"] for d in deployments]
    assert len(set(names)) == 4 and all(DNS_LABEL.fullmatch(n) for n in names)
    hpa_targets = {
        d["spec"]["scaleTargetRef"]["name"] for d in docs if d["kind"] == "HorizontalPodAutoscaler"
    }
    by_id = dict(zip(ids, deployments, strict=True))
    assert by_id["a_b"]["metadata"]["name"] not in hpa_targets  # scaling: fixed
    assert by_id["1st.svc"]["metadata"]["name"] not in hpa_targets  # 0 replicas
    custom = by_id["a-b"]["spec"]["template"]["spec"]["containers"][0]
    assert custom["resources"]["requests"] == {"cpu": "750m", "memory": "256Mi"}
    assert custom["resources"]["limits"]["cpu"] == "750m"  # raised to the request ...
    assert any("cpu_request 750m" in n for n in notes)  # ... and said so
    assert custom["ports"][0]["containerPort"] == 9090
    hpa = next(
        d
        for d in docs
        if d["kind"] == "HorizontalPodAutoscaler"
        and d["metadata"]["annotations"]["stratus.dev/id"] == "a-b"
    )
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 4)
    assert (
        by_id["Orders_API.v2"]["metadata"]["annotations"]["stratus.dev/name"]
        == 'Orders "API"\n---\n- {x: y} # not a comment'
    )


def _concatenated(files: dict[str, str], path: Path) -> Path:
    body = "\n".join(
        text
        for rel, text in sorted(files.items())
        if rel.startswith("deploy/k8s/base/") and not rel.endswith("kustomization.yaml")
    )
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("which", ["checkout", "payments-ledger", "hostile"])
def test_import_of_the_manifests_gives_back_services_replicas_and_probes(
    tmp_path: Path, which: str
) -> None:
    design = dict(_cases(tmp_path))[which]
    files, _ = k8s_files(design)
    result = import_source(_concatenated(files, tmp_path / "manifests.yaml"))
    got = {s.id: (s.replicas, bool(s.health_checks), s.name) for s in result.design.services}
    want = {
        s.id: (2 if s.replicas is None else s.replicas, bool(s.health_checks), s.name)
        for s in design.services
        if (s.runtime or "kubernetes") == "kubernetes"
    }
    assert got == want
    # synchronous calls between cluster services come back from the *_URL variables
    cluster = set(want)
    calls = {
        (d.from_, d.to)
        for d in design.dependencies
        if d.mode == "sync" and d.from_ in cluster and d.to in cluster
    }
    assert {(d.from_, d.to) for d in result.design.dependencies} == calls


def test_import_of_a_built_overlay_gives_back_the_services(tmp_path: Path) -> None:
    kubectl = tool("kubectl")
    design = load_design(next(p for p in SAMPLES if p.stem == "payments-ledger"))
    files, _ = k8s_files(design)
    write_files(files, tmp_path / "out")
    done = run_tool(kubectl, "kustomize", str(tmp_path / "out/deploy/k8s/overlays/prod"))
    assert done.returncode == 0, done.stderr
    built = tmp_path / "prod.yaml"
    built.write_text(done.stdout, encoding="utf-8")
    imported = stratus("import", str(built), "-o", str(tmp_path / "back.yaml"))
    assert imported.returncode == 0, imported.stderr
    back = load_design(tmp_path / "back.yaml")
    assert {(s.id, s.replicas, s.health_checks) for s in back.services} == {
        (s.id, s.replicas, s.health_checks) for s in design.services if s.runtime == "kubernetes"
    }


def test_export_k8s_folder_is_byte_stable_and_checked(tmp_path: Path) -> None:
    sample = next(p for p in SAMPLES if p.stem == "checkout")
    out = tmp_path / "k8s"
    first = stratus("export", str(sample), "--format", "k8s", "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert "not on kubernetes: gateway (managed), monolith (vm)" in first.stderr
    listed = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert listed == [
        "base/checkout.yaml",
        "base/kustomization.yaml",
        "base/payments.yaml",
        "overlays/dev/kustomization.yaml",
        "overlays/prod/kustomization.yaml",
        "overlays/staging/kustomization.yaml",
    ]
    again = stratus("export", str(sample), "--format", "k8s", "-o", str(out))
    assert "0 written" in again.stdout
    assert (
        stratus("export", str(sample), "--format", "k8s", "-o", str(out), "--check").returncode == 0
    )
    (out / "base" / "payments.yaml").unlink()
    check = stratus("export", str(sample), "--format", "k8s", "-o", str(out), "--check")
    assert check.returncode == 1 and "missing:" in check.stdout


def test_export_all_writes_deploy_without_repeating_the_runtime_note(tmp_path: Path) -> None:
    """`--format k8s` names the services it leaves out; `--format all` (run on every
    commit) does not repeat it: one error line stays one line (tests/test_cli_hostile)."""
    sample = next(p for p in SAMPLES if p.stem == "checkout")
    done = stratus("export", str(sample), "--format", "all", "-o", str(tmp_path / "docs"))
    assert done.returncode == 0, done.stderr
    assert "not on kubernetes" not in done.stderr
    assert (tmp_path / "docs/deploy/k8s/overlays/prod/kustomization.yaml").is_file()
    assert (tmp_path / "docs/observe/prometheus/checkout.rules.yaml").is_file()
