"""`export --format backstage`: the design as Backstage catalog entities (`catalog-info.yaml`).

* a **System** for the design;
* a **Domain** per bounded context (Backstage has no link from a Component to a Domain:
  each component names its context in the label `stratus/context`, and the System sits
  in the domain when there is exactly one);
* a **Component** per service (`spec.owner` from the service's owner, `dependsOn` its
  calls and its own datastore, `providesApis`/`consumesApis`), and per external
  (`type: external`);
* a **Resource** per datastore (type from its kind), owned by the team of the service that
  owns it;
* an **API** per declared API contract (`service.api`), its text as the definition.

Entity names are generated (`escape_dsl.backstage_names`); the design's own text goes in
`title`, `description` and the annotation `stratus/id`. One YAML document per entity,
written by PyYAML's safe dumper (so any text is quoted correctly), in a fixed order.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any

from ...escape import clean_text
from ...model import Design
from ...topology import topology_of
from ..yaml_out import unfolded
from .escape_dsl import backstage_name, backstage_names

API_VERSION = "backstage.io/v1alpha1"
UNOWNED = "group:default/unassigned"
ANNOTATION = "stratus/id"
CONTEXT_LABEL = "stratus/context"

_STORE_TYPES = {
    "database": ("postgres", "mysql", "maria", "sql", "mongo", "dynamo", "cassandra", "oracle"),
    "cache": ("redis", "memcache", "valkey", "cache"),
    "queue": ("kafka", "rabbit", "sqs", "sns", "pubsub", "nats", "kinesis", "queue", "event"),
    "bucket": ("s3", "bucket", "blob", "gcs", "storage"),
    "search": ("elastic", "opensearch", "solr", "search"),
}
_API_TYPES = {
    "grpc": ("grpc",),
    "graphql": ("graphql",),
    "asyncapi": ("event", "kafka", "amqp", "mqtt", "async", "message"),
    "openapi": ("rest", "http", "openapi"),
}


def _kind_of(text: str | None, table: dict[str, tuple[str, ...]], default: str) -> str:
    low = (text or "").lower()
    for kind, words in table.items():
        if any(w in low for w in words):
            return kind
    return default


def _owner(team: str | None) -> str:
    return f"group:default/{backstage_name(team)}" if team and team.strip() else UNOWNED


def _meta(name: str, title: str, description: str | None, sid: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "title": clean_text(title)}
    if description:
        meta["description"] = clean_text(description)
    if sid is not None:
        meta["annotations"] = {ANNOTATION: sid}
    return meta


def to_backstage(design: Design) -> str:
    """The Backstage entities of `design` as one multi-document YAML file."""
    topo = topology_of(design)
    services = {s.id: s for s in design.services}
    comp = backstage_names([n.id for n in topo.nodes.values() if n.kind in ("service", "external")])
    res = backstage_names([n.id for n in topo.of_kind("datastore")])
    domain = backstage_names([c.id for c in topo.contexts])
    with_api = [sid for sid, s in services.items() if s.api and s.api.strip()]
    api_names = backstage_names(f"{sid}-api" for sid in with_api)
    api = {sid: api_names[f"{sid}-api"] for sid in with_api}
    system = backstage_name(design.name, "system")
    teams = Counter(s.owner for s in design.services if s.owner and s.owner.strip())
    system_owner = _owner(teams.most_common(1)[0][0] if teams else None)
    lifecycle = (
        "experimental" if design.discovery.current.topology == "greenfield" else "production"
    )

    def ref(cid: str) -> str:
        if cid in res:
            return f"resource:default/{res[cid]}"
        return f"component:default/{comp[cid]}"

    docs: list[dict[str, Any]] = []
    sys_spec: dict[str, Any] = {"owner": system_owner, "type": "product"}
    if len(topo.contexts) == 1:
        sys_spec["domain"] = f"domain:default/{domain[topo.contexts[0].id]}"
    docs.append(_entity("System", _meta(system, design.name, design.scope, None), sys_spec))
    for ctx in topo.contexts:
        members = [services[m] for m in ctx.services if m in services]
        ctx_teams = Counter(s.owner for s in members if s.owner and s.owner.strip())
        owner = _owner(ctx_teams.most_common(1)[0][0]) if ctx_teams else system_owner
        meta = _meta(domain[ctx.id], ctx.title, None, None)
        meta["annotations"] = {"stratus/context": ctx.id}
        docs.append(_entity("Domain", meta, {"owner": owner}))
    deps: dict[str, list[str]] = {}
    consumes: dict[str, list[str]] = {}
    for call in topo.calls:
        if not topo.resolved(call) or call.source == call.target or call.source not in services:
            continue
        target = ref(call.target)
        if target not in deps.setdefault(call.source, []):
            deps[call.source].append(target)
        if call.sync and call.target in api:
            wanted = f"api:default/{api[call.target]}"
            if wanted not in consumes.setdefault(call.source, []):
                consumes[call.source].append(wanted)
    for link in topo.store_links:
        target = ref(link.store)
        if target not in deps.setdefault(link.service, []):
            deps[link.service].append(target)
    store_owner: dict[str, str] = {}
    for link in topo.store_links:
        store_owner.setdefault(link.store, link.service)
    for node in topo.nodes.values():
        if node.kind == "service":
            s = services[node.id]
            meta = _meta(comp[node.id], node.label, node.description, node.id)
            ctx_key = (s.context or "").strip()
            if ctx_key in domain:
                meta["labels"] = {CONTEXT_LABEL: domain[ctx_key]}
            spec: dict[str, Any] = {
                "type": "service",
                "lifecycle": lifecycle,
                "owner": _owner(s.owner),
                "system": f"system:default/{system}",
            }
            if node.id in api:
                spec["providesApis"] = [f"api:default/{api[node.id]}"]
            if consumes.get(node.id):
                spec["consumesApis"] = consumes[node.id]
            if deps.get(node.id):
                spec["dependsOn"] = deps[node.id]
            docs.append(_entity("Component", meta, spec))
        elif node.kind == "external":
            meta = _meta(comp[node.id], node.label, node.description, node.id)
            spec = {
                "type": "external",
                "lifecycle": "production",
                "owner": system_owner,
                "system": f"system:default/{system}",
            }
            docs.append(_entity("Component", meta, spec))
        else:
            meta = _meta(res[node.id], node.label, None, node.id)
            owner_service = store_owner.get(node.id)
            team = services[owner_service].owner if owner_service else None
            spec = {
                "type": _kind_of(node.detail, _STORE_TYPES, "datastore"),
                "owner": _owner(team) if team else system_owner,
                "system": f"system:default/{system}",
            }
            docs.append(_entity("Resource", meta, spec))
    for sid, name in api.items():
        s = services[sid]
        contract = clean_text(s.api or "")
        meta = _meta(name, f"{s.label} API", None, sid)
        spec = {
            "type": _kind_of(contract, _API_TYPES, "openapi"),
            "lifecycle": lifecycle,
            "owner": _owner(s.owner),
            "system": f"system:default/{system}",
            "definition": contract,
        }
        docs.append(_entity("API", meta, spec))
    head = "# Generated by stratus from the design file: edit the design, not this file.\n"
    yaml: Any = importlib.import_module("yaml")  # PyYAML has no type stubs here
    fast = getattr(yaml, "CSafeDumper", None)
    # Each entity on its own, with libyaml's emitter (~10x) when its lines cannot fold
    # (the emitters fold long text differently); the documents join as one stream would.
    body = "".join(
        yaml.dump_all(
            [doc],
            Dumper=(fast if fast is not None and unfolded(doc) else yaml.SafeDumper),
            sort_keys=False,
            allow_unicode=True,
            explicit_start=True,
            width=100,
        )
        for doc in docs
    )
    return head + body


def _entity(kind: str, metadata: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}
