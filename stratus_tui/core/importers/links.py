"""Dependencies and secrets read from a workload's environment variables (compose and k8s)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import SecretsHandling
from .builder import DesignBuilder
from .envrefs import (
    host_refs,
    is_hardcoded_credential,
    is_public_host,
    is_reference,
    local_name,
    protocol_of,
)


@dataclass(frozen=True)
class EnvVar:
    """One environment variable with a literal value (None when it has none) and its place."""

    name: str
    value: object
    where: str
    secret_ref: bool = False  # the value comes from a secret store (k8s secretKeyRef ...)


def secrets_handling(env: Iterable[EnvVar]) -> SecretsHandling | None:
    """hardcoded when any credential is a literal; env when credentials are references."""
    handling: SecretsHandling | None = None
    for var in env:
        if var.secret_ref:
            handling = handling or "env"
        elif is_hardcoded_credential(var.name, var.value):
            return "hardcoded"
        elif (
            isinstance(var.value, str)
            and is_reference(var.value)
            and (is_hardcoded_credential(var.name, "literal"))
        ):
            handling = "env"
    return handling


def link_env(
    builder: DesignBuilder,
    service_id: str,
    env: Iterable[EnvVar],
) -> None:
    """Dependencies from values such as `http://orders:8080` or `DB_HOST: db`.

    Hosts are resolved through `builder.resolve`. Public http(s) hosts that match
    nothing become externals (`https://api.stripe.com` → external api.stripe.com).
    """
    for var in env:
        for ref in host_refs(var.name, var.value):
            target = _resolve_host(builder, ref.host)
            if target is None and ref.scheme in ("http", "https") and is_public_host(ref.host):
                host = ref.host.lower().rstrip(".")
                target = builder.add("externals", host, "external")
                builder.alias(host, target)
            if target is None or target == service_id:
                continue
            builder.depend(service_id, target, var.where, protocol=protocol_of(ref.scheme))


def _resolve_host(builder: DesignBuilder, host: str) -> str | None:
    """`orders`, `orders.shop.svc.cluster.local`, `kafka-0.kafka-headless` (a pod of a
    StatefulSet behind a headless Service) all resolve by dropping labels from the left."""
    found = builder.resolve(host) or builder.resolve(local_name(host))
    labels = host.rstrip(".").split(".")
    for i in range(1, len(labels)):
        if found is not None:
            break
        found = builder.resolve(".".join(labels[i:]))
    return found
