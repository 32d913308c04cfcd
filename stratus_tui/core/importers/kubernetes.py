"""Kubernetes manifests: Deployments, StatefulSets and friends, and the Services naming them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .builder import DesignBuilder
from .links import EnvVar, link_env, secrets_handling
from .source import fail
from .stores import store_kind
from .yaml_docs import where

# kind -> (path to the pod template from the object, replicas when spec.replicas is absent)
WORKLOADS: dict[str, tuple[tuple[str, ...], int | None]] = {
    "Deployment": (("spec", "template"), 1),
    "StatefulSet": (("spec", "template"), 1),
    "ReplicaSet": (("spec", "template"), 1),
    "ReplicationController": (("spec", "template"), 1),
    "DaemonSet": (("spec", "template"), None),
    "Job": (("spec", "template"), None),
    "CronJob": (("spec", "jobTemplate", "spec", "template"), None),
    "Pod": ((), 1),
    "Rollout": (("spec", "template"), 1),  # Argo Rollouts: a Deployment with a strategy
    "KnativeService": (("spec", "template"), None),  # serving.knative.dev Service
}
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


@dataclass
class Workload:
    """A workload found in the manifests, before components are made."""

    obj: dict[str, Any]
    kind: str
    name: str
    namespace: str | None
    labels: dict[str, str]
    pod: dict[str, Any]
    cid: str = ""


def looks_like_kubernetes(docs: list[Any]) -> bool:
    """Any document with string `apiVersion` and `kind`."""
    return any(
        isinstance(d, dict)
        and isinstance(d.get("apiVersion"), str)
        and isinstance(d.get("kind"), str)
        for d in docs
    )


def _objects(docs: list[Any], builder: DesignBuilder) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for n, doc in enumerate(docs, 1):
        if (
            isinstance(doc, dict)
            and str(doc.get("kind", "")).endswith("List")
            and isinstance(doc.get("items"), list)
        ):
            objects.extend(i for i in doc["items"] if isinstance(i, dict))
        elif isinstance(doc, dict) and isinstance(doc.get("kind"), str):
            objects.append(doc)
        else:
            builder.skip(
                where(builder.file, doc),
                f"document {n}: not a Kubernetes object (no apiVersion and kind)",
            )
    return objects


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _str_map(node: Any) -> dict[str, str]:
    if not isinstance(node, dict):
        return {}
    return {str(k): str(v) for k, v in node.items() if isinstance(v, str | int | float | bool)}


def import_kubernetes(docs: list[Any], file: str) -> DesignBuilder:
    """Components from workloads, names from Services, dependencies from env values."""
    builder = DesignBuilder(file, "kubernetes")
    objects = _objects(docs, builder)
    if not objects:
        raise fail(file, "contains no Kubernetes objects (documents with apiVersion and kind)")
    workloads: list[Workload] = []
    services: list[dict[str, Any]] = []
    for obj in objects:
        kind = workload_kind(obj) or obj["kind"]
        if kind in WORKLOADS:
            wl = _workload(builder, obj)
            if wl is not None:
                workloads.append(wl)
        elif kind == "Service":
            services.append(obj)
        else:
            name = _get(obj, ("metadata", "name"))
            builder.skip(
                where(file, obj, "kind"),
                f"{kind} {name or ''}".strip() + ": not a component; not imported",
            )
    namespaces = {w.namespace for w in workloads if w.namespace}
    for wl in workloads:
        _add_workload(builder, wl, several_namespaces=len(namespaces) > 1)
    # label -> workloads carrying it, in file order: a Service's selector looks up its
    # rarest label instead of scanning every workload (quadratic at 1,000 Services)
    by_label: dict[tuple[str, str], list[Workload]] = {}
    for wl in workloads:
        for pair in wl.labels.items():
            by_label.setdefault(pair, []).append(wl)
    for svc in services:
        _map_service(builder, svc, by_label)
    for wl in workloads:
        if builder.section_of(wl.cid) == "services":
            link_env(builder, wl.cid, _env(builder, wl))
    builder.infer_owned_datastores()
    return builder


def workload_kind(obj: dict[str, Any]) -> str | None:
    """The WORKLOADS key of an object, or None when it is not a workload."""
    kind = str(obj.get("kind"))
    if kind == "Service" and str(obj.get("apiVersion", "")).startswith("serving.knative.dev"):
        return "KnativeService"
    return kind if kind in WORKLOADS else None


def _workload(builder: DesignBuilder, obj: dict[str, Any]) -> Workload | None:
    kind = workload_kind(obj) or ""
    name = _get(obj, ("metadata", "name"))
    if not isinstance(name, str) or not name.strip():
        builder.skip(
            where(builder.file, obj, "kind"), f"{kind} without metadata.name; not imported"
        )
        return None
    path, _ = WORKLOADS[kind]
    template = _get(obj, path) if path else obj
    pod = _get(template, ("spec",))
    if not isinstance(pod, dict) or not isinstance(pod.get("containers"), list):
        builder.skip(
            where(builder.file, obj, "kind"),
            f"{kind} {name}: no pod template with containers; not imported",
        )
        return None
    namespace = _get(obj, ("metadata", "namespace"))
    labels = _str_map(_get(template, ("metadata", "labels")))
    return Workload(obj, kind, name, namespace if isinstance(namespace, str) else None, labels, pod)


def _containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in pod.get("containers") or [] if isinstance(c, dict)]


def _add_workload(builder: DesignBuilder, wl: Workload, *, several_namespaces: bool) -> None:
    file, obj = builder.file, wl.obj
    containers = _containers(wl.pod)
    image = containers[0].get("image") if containers else None
    kind = store_kind(image) if isinstance(image, str) else None
    _, default = WORKLOADS[wl.kind]
    replicas = default
    spec = obj.get("spec")
    value = spec.get("replicas") if isinstance(spec, dict) else None
    if value is not None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            replicas = value
        elif isinstance(value, str) and value.strip().isdigit():
            replicas = int(value.strip())
        else:
            builder.skip(
                where(file, spec, "replicas"),
                f"{obj['kind']} {wl.name}: replicas must be a whole number, got {value!r}",
            )
    if kind is not None:
        wl.cid = builder.add("datastores", wl.name, "store", kind=kind, replicas=replicas)
    else:
        context = wl.labels.get("app.kubernetes.io/part-of")
        if context is None and several_namespaces and wl.namespace not in (None, "default"):
            context = wl.namespace
        env = _env(builder, wl)
        secrets = secrets_handling(env)
        annotations = _str_map(_get(_template(wl), ("metadata", "annotations")))
        if (
            secrets != "hardcoded"
            and annotations.get("vault.hashicorp.com/agent-inject", "").lower() == "true"
        ):
            secrets = "vault"
        # What `stratus export --format k8s` wrote: the design's own id, name and
        # context (a DNS-1123 object name cannot hold `Orders_API` or a free-text name).
        meta = _str_map(_get(obj, ("metadata", "annotations")))
        real_id = meta.get("stratus.dev/id", "").strip()
        context = meta.get("stratus.dev/context") or context
        wl.cid = builder.add(
            "services",
            real_id if real_id and not builder.ids.taken(real_id) else wl.name,
            "service",
            name=meta.get("stratus.dev/name"),
            context=context,
            runtime="serverless" if wl.kind == "KnativeService" else "kubernetes",
            replicas=replicas,
            health_checks=any(p in c for c in containers for p in _PROBES),
            secrets=secrets,
        )
    builder.alias(wl.name, wl.cid)
    if wl.namespace:
        builder.alias(f"{wl.name}.{wl.namespace}", wl.cid)


def _template(wl: Workload) -> Any:
    path, _ = WORKLOADS[wl.kind]
    return _get(wl.obj, path) if path else wl.obj


def _env(builder: DesignBuilder, wl: Workload) -> list[EnvVar]:
    out: list[EnvVar] = []
    for container in _containers(wl.pod):
        env = container.get("env")
        for i, var in enumerate(env if isinstance(env, list) else []):
            if not isinstance(var, dict) or not isinstance(var.get("name"), str):
                continue
            here = where(builder.file, env, i)
            ref = _get(var, ("valueFrom", "secretKeyRef")) is not None
            value = var.get("value")
            if isinstance(value, dict | list):
                value = None
            out.append(EnvVar(var["name"], value, here, ref))
        env_from = container.get("envFrom")
        for i, source in enumerate(env_from if isinstance(env_from, list) else []):
            if isinstance(source, dict) and "secretRef" in source:
                out.append(EnvVar("envFrom", None, where(builder.file, env_from, i), True))
    return out


def _map_service(
    builder: DesignBuilder,
    svc: dict[str, Any],
    by_label: dict[tuple[str, str], list[Workload]],
) -> None:
    file = builder.file
    name = _get(svc, ("metadata", "name"))
    if not isinstance(name, str) or not name:
        builder.skip(where(file, svc, "kind"), "Service without metadata.name; not imported")
        return
    namespace = _get(svc, ("metadata", "namespace"))
    raw_spec = svc.get("spec")
    spec: dict[str, Any] = raw_spec if isinstance(raw_spec, dict) else {}
    if spec.get("type") == "ExternalName" and isinstance(spec.get("externalName"), str):
        host = spec["externalName"]
        cid = builder.resolve(host) or builder.add(
            "externals", name, "external", description=f"ExternalName {host}"
        )
        builder.alias(host, cid)
        _alias_service(builder, name, namespace, cid)
        return
    selector = _str_map(spec.get("selector"))
    rarest = min((by_label.get(pair, []) for pair in selector.items()), key=len, default=[])
    matches = [
        w
        for w in rarest
        if w.cid
        and selector.items() <= w.labels.items()
        and (namespace is None or w.namespace in (None, namespace))
    ]
    if not matches:
        builder.skip(
            where(file, svc, "kind"),
            f"Service {name}: selects no workload in these manifests; not imported",
        )
        return
    for wl in matches:
        _alias_service(builder, name, namespace, wl.cid)


def _alias_service(builder: DesignBuilder, name: str, namespace: Any, cid: str) -> None:
    builder.alias(name, cid)
    if isinstance(namespace, str):
        builder.alias(f"{name}.{namespace}", cid)
