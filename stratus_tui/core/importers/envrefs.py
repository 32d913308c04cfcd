"""What environment variables reveal: hardcoded credentials and calls to other components."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_CREDENTIAL_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "SECRET",
        "TOKEN",
        "KEY",
        "APIKEY",
        "CREDENTIALS",
        "CREDENTIAL",
        "PRIVATE",
    }
)
# A credential word followed by one of these names a setting about the secret, not the secret.
_SETTING_WORDS = frozenset(
    {
        "FILE",
        "PATH",
        "DIR",
        "TTL",
        "LENGTH",
        "LEN",
        "EXPIRY",
        "EXPIRES",
        "TIMEOUT",
        "ID",
        "NAME",
        "HEADER",
        "URL",
        "SIZE",
        "MIN",
        "MAX",
        "POLICY",
        "ALGORITHM",
        "ALG",
        "TYPE",
    }
)
_NOT_SECRET_VALUES = frozenset({"", "yes", "no", "true", "false", "on", "off", "0", "1", "none"})
_REFERENCE = re.compile(r"\$\{?[A-Za-z_]")
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/:@\s]+:([^@/\s]+)@", re.IGNORECASE)
_HOST_KEY = re.compile(
    r"(HOST|HOSTS|HOSTNAME|SERVER|SERVERS|ADDR|ADDRESS|URL|URI|DSN|ENDPOINT|BROKER|BROKERS|"
    r"BOOTSTRAP_SERVERS|SERVICE|UPSTREAM|TARGET)$"
)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^A-Za-z0-9]+", name.upper()) if w]


def is_reference(value: str) -> bool:
    """True for `${VAR}` / `$VAR` values: the secret comes from elsewhere."""
    return bool(_REFERENCE.search(value))


def is_hardcoded_credential(name: str, value: object) -> bool:
    """True when `name=value` puts a literal credential in the file.

    `POSTGRES_PASSWORD: s3cret` and `DATABASE_URL: postgres://app:s3cret@db/app` are;
    `${DB_PASSWORD}`, `POSTGRES_PASSWORD_FILE: /run/secrets/pg`, `ALLOW_EMPTY_PASSWORD: yes`
    and `TOKEN_TTL: 3600` are not.
    """
    if value is None or isinstance(value, bool):
        return False
    text = str(value).strip()
    if text.lower() in _NOT_SECRET_VALUES or is_reference(text):
        return False
    match = _URL_WITH_PASSWORD.match(text)
    if match:
        return not is_reference(match.group(1))
    words = _words(name)
    if "PUBLIC" in words:
        return False
    for i, word in enumerate(words):
        if word in _CREDENTIAL_WORDS:
            rest = words[i + 1 :]
            if any(w in _SETTING_WORDS for w in rest):
                return False
            # PWD alone is the shell's working directory.
            return not (word == "PWD" and len(words) == 1)
    return False


@dataclass(frozen=True)
class HostRef:
    """A host named in a value, with the URL scheme when there was one."""

    host: str
    scheme: str | None


def host_refs(name: str, value: object) -> list[HostRef]:
    """Hosts that the value of `name` points at: URLs, `host:port` lists, or a bare host."""
    if value is None or isinstance(value, bool | int | float):
        return []
    text = str(value).strip()
    if not text or is_reference(text) or len(text) > 2000:
        return []
    refs: list[HostRef] = []
    for part in re.split(r"[,\s]+", text):
        if not part:
            continue
        if "://" in part:
            part = part.removeprefix("jdbc:")
            try:
                split = urlsplit(part)
                host = split.hostname
            except ValueError:
                continue
            if host:
                refs.append(HostRef(host, split.scheme.lower() or None))
            continue
        # host:port, or a bare host when the variable's name says it holds one.
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_.-]*)(?::\d{1,5})?", part)
        if match and (":" in part or _HOST_KEY.search(name.upper())):
            refs.append(HostRef(match.group(1), None))
    return refs


_CLUSTER_SUFFIXES = (".svc", ".svc.cluster.local", ".cluster.local", ".local", ".internal")


def local_name(host: str) -> str:
    """The short name of a cluster-local host: `orders.shop.svc.cluster.local` → `orders`."""
    host = host.lower().rstrip(".")
    for suffix in _CLUSTER_SUFFIXES:
        if host.endswith(suffix):
            return host.split(".", 1)[0]
    return host


def is_public_host(host: str) -> bool:
    """A DNS name outside the cluster (has a dot, not an IP, not localhost or cluster-local)."""
    host = host.lower().rstrip(".")
    if "." not in host or host.endswith(_CLUSTER_SUFFIXES) or host == "localhost":
        return False
    return not re.fullmatch(r"[0-9.]+", host)


def protocol_of(scheme: str | None) -> str | None:
    """A dependency protocol from a URL scheme (postgres:// → sql, http:// → http)."""
    if scheme is None:
        return None
    scheme = scheme.split("+", 1)[0]
    return {
        "postgres": "sql",
        "postgresql": "sql",
        "mysql": "sql",
        "mariadb": "sql",
        "jdbc": "sql",
        "sqlserver": "sql",
        "mongodb": "mongodb",
        "redis": "redis",
        "rediss": "redis",
        "amqp": "amqp",
        "amqps": "amqp",
        "nats": "nats",
        "kafka": "kafka",
        "http": "http",
        "https": "https",
        "grpc": "grpc",
        "grpcs": "grpc",
    }.get(scheme, scheme)
