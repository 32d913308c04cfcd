"""docker-compose files (Compose Specification; v2 and v3 files, and v1 without `services`)."""

from __future__ import annotations

from typing import Any

from .builder import DesignBuilder
from .envrefs import host_refs
from .links import EnvVar, _resolve_host, link_env, secrets_handling
from .source import fail, kind_of
from .stores import store_kind
from .yaml_docs import position, where

# Keys of the Compose Specification: understood, even when they carry no design meaning.
_SERVICE_KEYS_TEXT = """
    annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command
    configs container_name cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period
    cpu_rt_runtime cpu_shares cpus cpuset credential_spec depends_on deploy develop
    device_cgroup_rules devices dns dns_opt dns_search domainname driver_opts entrypoint
    env_file environment expose extends external_links extra_hosts gpus group_add
    healthcheck hostname image init ipc isolation labels label_file links logging
    mac_address mem_limit mem_reservation mem_swappiness memswap_limit models network_mode
    networks oom_kill_disable oom_score_adj pid pids_limit platform ports post_start
    pre_stop privileged profiles provider pull_policy read_only restart runtime scale
    secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt
    sysctls tmpfs tty ulimits use_api_socket user userns_mode uts volumes volumes_from
    working_dir"""
SERVICE_KEYS = frozenset(_SERVICE_KEYS_TEXT.split())
TOP_KEYS = frozenset(
    {"version", "name", "services", "networks", "volumes", "configs", "secrets", "models"}
)


def looks_like_compose(doc: Any) -> bool:
    """A mapping with `services`, or a v1 file: every top-level value has image or build."""
    if not isinstance(doc, dict) or not doc:
        return False
    if "services" in doc:
        return True
    return all(isinstance(v, dict) and ({"image", "build"} & set(v)) for v in doc.values())


def import_compose(docs: list[Any], file: str) -> tuple[DesignBuilder, str | None]:
    """Components and dependencies of a compose file; also its project `name:`, if any."""
    if len(docs) != 1:
        raise fail(file, f"has {len(docs)} YAML documents; a compose file has one", 1, 1)
    top = docs[0]
    if not isinstance(top, dict):
        raise fail(file, f"a compose file is a mapping of keys, not {kind_of(top)}", 1, 1)
    builder = DesignBuilder(file, "compose")
    if "services" in top:
        services = top["services"]
        if services is None:
            services = {}
        if not isinstance(services, dict):
            raise fail(
                file,
                f"'services' must be a mapping of service name to settings, "
                f"not {kind_of(services)}",
                *(position(services) if hasattr(services, "lc") else position(top, "services")),
            )
        _check_top_keys(builder, top)
    else:  # version 1: services at the top level
        services = top
    entries = _add_components(builder, services)
    names = frozenset(str(k) for k in services)  # once: per service it was quadratic
    for name, settings, cid in entries:
        _link(builder, names, name, settings, cid)
    by_id = {s["id"]: s for s in builder.sections["services"]}
    kinds = {d["id"]: str(d.get("kind") or "").lower() for d in builder.sections["datastores"]}
    for _name, settings, cid in entries:
        _own_store(builder, settings, cid, by_id, kinds)
    builder.infer_owned_datastores()
    project = top.get("name") if "services" in top else None
    return builder, project if isinstance(project, str) and project.strip() else None


def _check_top_keys(builder: DesignBuilder, top: dict[str, Any]) -> None:
    for key in top:
        k = str(key)
        if k.startswith("x-") or k in TOP_KEYS:
            continue
        if k == "include":
            builder.skip(where(builder.file, top, key), "include: other files are not followed")
        else:
            builder.skip(where(builder.file, top, key), f"unknown top-level key {k!r}")


def _add_components(
    builder: DesignBuilder, services: dict[str, Any]
) -> list[tuple[str, dict[str, Any], str]]:
    file = builder.file
    entries: list[tuple[str, dict[str, Any], str]] = []
    for raw_name, settings in services.items():
        name = str(raw_name)
        here = where(file, services, raw_name)
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            builder.skip(
                here,
                f"service {name!r}: expected a mapping of settings, "
                f"got {kind_of(settings)}; not imported",
            )
            continue
        for key in settings:
            k = str(key)
            if not (k in SERVICE_KEYS or k.startswith("x-")):
                builder.skip(where(file, settings, key), f"service {name!r}: unknown key {k!r}")
        if "extends" in settings:
            builder.skip(
                where(file, settings, "extends"),
                f"service {name!r}: extends is not followed (settings not inherited)",
            )
        image = settings.get("image")
        kind = None
        if isinstance(image, str):
            kind = store_kind(image)
        elif image is not None:
            builder.skip(
                where(file, settings, "image"),
                f"service {name!r}: image must be a string, got {kind_of(image)}",
            )
        replicas = _replicas(builder, name, settings)
        if kind is not None:
            cid = builder.add("datastores", name, "store", kind=kind, replicas=replicas)
        else:
            env = _env(builder, name, settings)
            cid = builder.add(
                "services",
                name,
                "service",
                runtime="docker-compose",
                replicas=replicas,
                health_checks=_health(settings),
                secrets=secrets_handling(env),
            )
        for alias in _aliases(name, settings):
            builder.alias(alias, cid)
        entries.append((name, settings, cid))
    return entries


def _aliases(name: str, settings: dict[str, Any]) -> list[str]:
    names = [name]
    for key in ("container_name", "hostname"):
        if isinstance(settings.get(key), str):
            names.append(settings[key])
    networks = settings.get("networks")
    if isinstance(networks, dict):
        for net in networks.values():
            if isinstance(net, dict) and isinstance(net.get("aliases"), list):
                names.extend(a for a in net["aliases"] if isinstance(a, str))
    return names


def _replicas(builder: DesignBuilder, name: str, settings: dict[str, Any]) -> int | None:
    deploy = settings.get("deploy")
    node, key, value = settings, "scale", settings.get("scale")
    if isinstance(deploy, dict) and "replicas" in deploy:
        node, key, value = deploy, "replicas", deploy["replicas"]
    elif deploy is not None and not isinstance(deploy, dict):
        builder.skip(
            where(builder.file, settings, "deploy"),
            f"service {name!r}: deploy must be a mapping, got {kind_of(deploy)}",
        )
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    builder.skip(
        where(builder.file, node, key),
        f"service {name!r}: {key} must be a whole number, got {value!r}",
    )
    return None


def _health(settings: dict[str, Any]) -> bool | None:
    check = settings.get("healthcheck")
    if not isinstance(check, dict):
        return None  # the image may define one: unknown, not absent
    test = check.get("test")
    disabled = (
        check.get("disable") is True
        or test == "NONE"
        or (isinstance(test, list) and test[:1] == ["NONE"])
    )
    return not disabled


def _env(builder: DesignBuilder, name: str, settings: dict[str, Any]) -> list[EnvVar]:
    env = settings.get("environment")
    file = builder.file
    out: list[EnvVar] = []
    if isinstance(env, dict):
        for key, value in env.items():
            if isinstance(value, dict | list):
                continue
            out.append(EnvVar(str(key), value, where(file, env, key)))
    elif isinstance(env, list):
        for i, item in enumerate(env):
            if isinstance(item, str):
                key, sep, value = item.partition("=")
                out.append(EnvVar(key, value if sep else None, where(file, env, i)))
    elif env is not None:
        builder.skip(
            where(file, settings, "environment"),
            f"service {name!r}: environment must be a mapping or a list, got {kind_of(env)}",
        )
    if settings.get("env_file") is not None:
        # Values live in another file; credentials there are not in this one.
        out.append(EnvVar("ENV_FILE_SECRET", None, where(file, settings, "env_file"), True))
    return out


def _link(
    builder: DesignBuilder,
    names: frozenset[str],
    name: str,
    settings: dict[str, Any],
    cid: str,
) -> None:
    file = builder.file
    is_service = builder.section_of(cid) == "services"
    if is_service:
        link_env(builder, cid, _env_quiet(builder, settings))
    deps = settings.get("depends_on")
    targets: list[tuple[Any, str]] = []
    if isinstance(deps, list):
        for i, dep in enumerate(deps):
            if isinstance(dep, str):
                targets.append((dep, where(file, deps, i)))
            else:
                builder.skip(
                    where(file, deps, i),
                    f"service {name!r}: depends_on entry must be a service name, got {dep!r}",
                )
    elif isinstance(deps, dict):
        targets.extend((dep, where(file, deps, dep)) for dep in deps)
    elif deps is not None:
        builder.skip(
            where(file, settings, "depends_on"),
            f"service {name!r}: depends_on must be a list or a mapping, got {kind_of(deps)}",
        )
    links = settings.get("links")
    if isinstance(links, list):
        targets.extend(
            (str(link).split(":", 1)[0], where(file, links, i)) for i, link in enumerate(links)
        )
    for target, here in targets:
        other = builder.resolve(str(target)) if str(target) in names else None
        if other is None:
            builder.skip(
                here, f"service {name!r} depends on {target!r}, which is not a service in this file"
            )
            continue
        if other == cid:
            builder.skip(here, f"service {name!r} depends on itself; not a dependency")
            continue
        builder.depend(cid, other, here)


def _env_quiet(builder: DesignBuilder, settings: dict[str, Any]) -> list[EnvVar]:
    # Type problems were reported when the component was added; do not repeat them.
    scratch = DesignBuilder(builder.file, "compose")
    return _env(scratch, "", settings)


# A service's own datastore is where its database connection points: a DATABASE_URL to
# postgres wins over a REDIS_URL to a cache (issue 14, item 10). Variables named for a
# database rank first, then primary database kinds; caches and brokers are used, not owned.
_DB_NAME_WORDS = ("DATABASE", "DB", "POSTGRES", "PG", "MYSQL", "MARIADB", "MONGO", "SQL")
_SIDE_KINDS = frozenset(
    {"redis", "memcached", "kafka", "rabbitmq", "nats", "sqs", "sns", "pubsub", "elasticsearch"}
)


def _own_store(
    builder: DesignBuilder,
    settings: dict[str, Any],
    cid: str,
    services: dict[str, dict[str, Any]],
    kinds: dict[str, str],
) -> None:
    """`services`: the built services by id; `kinds`: each datastore's kind (built once)."""
    service = services.get(cid)
    if service is None or "datastore" in service:
        return
    ranked: dict[str, tuple[int, int]] = {}
    for var in _env_quiet(builder, settings):
        words = set(var.name.upper().replace("-", "_").split("_"))
        for ref in host_refs(var.name, var.value):
            store = _resolve_host(builder, ref.host)
            if store is None or store not in kinds:
                continue
            rank = (
                0 if words & set(_DB_NAME_WORDS) else 1,
                1 if kinds[store] in _SIDE_KINDS else 0,
            )
            ranked[store] = min(ranked.get(store, rank), rank)
    if not ranked:
        return
    best = min(ranked.values())
    top = [store for store, rank in ranked.items() if rank == best]
    # one clear winner that is a database by name or by kind; else leave it to inference
    if len(top) == 1 and best != (1, 1):
        service["datastore"] = top[0]
