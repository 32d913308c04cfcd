"""Kubernetes manifests: a realistic multi-document file, then hostile ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratus_tui.core.importers import import_source
from stratus_tui.core.problems import DesignError

from .helpers import deps, fixture, import_and_reload


def test_workloads_become_services_and_stores(tmp_path: Path) -> None:
    result, design = import_and_reload(fixture("shop-k8s.yaml"), tmp_path)
    assert result.kind == "kubernetes"
    assert {s.id for s in design.services} == {"orders", "payments", "fulfilment", "nightly-report"}
    assert {d.id: d.kind for d in design.datastores} == {
        "orders-postgres": "postgresql",
        "kafka": "kafka",
        "redis": "redis",
    }
    svc = {s.id: s for s in design.services}
    assert svc["orders"].replicas == 3 and svc["payments"].replicas == 2
    assert svc["fulfilment"].replicas == 1  # the API's default when spec.replicas is absent
    assert {d.id: d.replicas for d in design.datastores}["kafka"] == 3
    assert all(s.runtime == "kubernetes" for s in design.services)
    assert svc["orders"].context == "ordering"  # app.kubernetes.io/part-of


def test_probes_and_secrets(tmp_path: Path) -> None:
    _, design = import_and_reload(fixture("shop-k8s.yaml"), tmp_path)
    svc = {s.id: s for s in design.services}
    assert svc["orders"].health_checks is True
    assert svc["payments"].health_checks is True  # a startupProbe counts
    assert svc["fulfilment"].health_checks is False  # no probe at all
    assert svc["payments"].secrets == "hardcoded"  # STRIPE_SECRET_KEY value: literal
    assert svc["orders"].secrets == "vault"  # secretKeyRef, plus the Vault agent annotation
    assert svc["fulfilment"].secrets == "env"  # envFrom secretRef


def test_services_map_names_and_env_gives_dependencies(tmp_path: Path) -> None:
    _, design = import_and_reload(fixture("shop-k8s.yaml"), tmp_path)
    edges = deps(design)
    # DB_HOST: orders-db is the headless Service of the orders-postgres StatefulSet
    assert ("orders", "orders-postgres", "sync") in edges
    # a fully qualified cluster name, a StatefulSet pod name, a Service in another form
    assert ("orders", "payments", "sync") in edges
    assert ("orders", "kafka", "async") in edges
    assert ("fulfilment", "kafka", "async") in edges
    assert ("orders", "redis", "sync") in edges
    assert ("nightly-report", "orders", "sync") in edges
    # ExternalName Service and a public URL become externals
    externals = {e.id for e in design.externals}
    assert externals == {"fraud-check", "api.stripe.com"}
    assert ("payments", "fraud-check", "sync") in edges
    assert ("payments", "api.stripe.com", "sync") in edges


def test_skipped_kinds_are_listed_in_file_order(tmp_path: Path) -> None:
    result, _ = import_and_reload(fixture("shop-k8s.yaml"), tmp_path)
    assert [s.split(": ", 1)[1].split(":")[0] for s in result.skipped] == [
        "Namespace shop",
        "ConfigMap shop-config",
        "Service legacy-erp",
        "Ingress shop",
    ]
    lines = [int(s.split(":")[1]) for s in result.skipped]
    assert lines == sorted(lines)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "manifests.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_wrong_types_and_odd_documents(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: many
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - {name: api, image: acme/api, env: [{name: DB_PASSWORD, value: hunter2}]}
---
- just
- a list
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: empty}
spec: {template: {spec: {}}}
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: cache}
    spec:
      replicas: "2"
      template: {spec: {containers: [{name: c, image: "valkey/valkey:8"}]}}
""",
    )
    result, design = import_and_reload(path, tmp_path)
    text = "\n".join(result.skipped)
    assert ":5:3:" in text and "replicas must be a whole number" in text
    assert "document 2: not a Kubernetes object" in text
    assert "Deployment empty: no pod template" in text
    svc = {s.id: s for s in design.services}
    assert svc["api"].replicas == 1 and svc["api"].secrets == "hardcoded"
    assert {d.id: (d.kind, d.replicas) for d in design.datastores} == {"cache": ("valkey", 2)}


def test_manifests_without_objects_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "apiVersion: v1\nkind: List\nitems: []\n")
    with pytest.raises(DesignError) as err:
        import_source(path, kind="kubernetes")
    assert "no Kubernetes objects" in str(err.value)


def test_helm_template_gets_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.x }\n")
    with pytest.raises(DesignError) as err:
        import_source(path)
    problem = err.value.problems[0]
    assert problem.line is not None and "helm template" in problem.message


def test_json_list_with_rollout_and_knative_service(tmp_path: Path) -> None:
    import json

    template = {
        "metadata": {"labels": {"app": "x"}},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "image": "acme/web",
                    "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
                    "env": [{"name": "THUMBS", "value": "http://thumbs"}],
                }
            ]
        },
    }
    knative = {"metadata": {"annotations": {}}, "spec": {"containers": [{"image": "acme/thumbs"}]}}
    doc = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {
                "apiVersion": "argoproj.io/v1alpha1",
                "kind": "Rollout",
                "metadata": {"name": "web"},
                "spec": {"replicas": 4, "template": template},
            },
            {
                "apiVersion": "serving.knative.dev/v1",
                "kind": "Service",
                "metadata": {"name": "thumbs"},
                "spec": {"template": knative},
            },
        ],
    }
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result, design = import_and_reload(path, tmp_path)
    svc = {s.id: s for s in design.services}
    assert (svc["web"].replicas, svc["web"].health_checks, svc["web"].runtime) == (
        4,
        True,
        "kubernetes",
    )
    assert svc["thumbs"].runtime == "serverless"
    assert deps(design) == {("web", "thumbs", "sync")}
    assert result.skipped == []
