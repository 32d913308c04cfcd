"""Which container images are well-known datastores, and which of those are brokers.

Matching is exact on the image name without registry, tag or digest (`bitnami/redis:7`
→ `bitnami/redis`, then `redis`), never by prefix: `redis-commander`, `mongo-express`,
`kafka-ui` and `postgres-exporter` are tools next to a store, not stores.
"""

from __future__ import annotations

# image name (last path part, or the whole repository path) -> datastore kind
_KINDS: dict[str, str] = {
    # relational
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "postgis/postgis": "postgresql",
    "timescaledb": "postgresql",
    "timescaledb-ha": "postgresql",
    "supabase/postgres": "postgresql",
    "mysql": "mysql",
    "mysql-server": "mysql",
    "percona": "mysql",
    "percona-server": "mysql",
    "mariadb": "mariadb",
    "mssql/server": "sqlserver",
    "azure-sql-edge": "sqlserver",
    "oracle-xe": "oracle",
    "oracle-free": "oracle",
    "cockroach": "cockroachdb",
    "yugabyte": "yugabytedb",
    # documents, wide columns, graphs, time series
    "mongo": "mongodb",
    "mongodb": "mongodb",
    "mongodb-community-server": "mongodb",
    "couchdb": "couchdb",
    "couchbase": "couchbase",
    "cassandra": "cassandra",
    "scylla": "scylladb",
    "neo4j": "neo4j",
    "arangodb": "arangodb",
    "influxdb": "influxdb",
    "questdb": "questdb",
    "clickhouse": "clickhouse",
    "clickhouse-server": "clickhouse",
    "dynamodb-local": "dynamodb",
    "rethinkdb": "rethinkdb",
    # caches and key-value
    "redis": "redis",
    "redis-stack": "redis",
    "redis-stack-server": "redis",
    "valkey": "valkey",
    "keydb": "keydb",
    "dragonfly": "dragonfly",
    "memcached": "memcached",
    "etcd": "etcd",
    "zookeeper": "zookeeper",
    "cp-zookeeper": "zookeeper",
    # brokers and streams
    "kafka": "kafka",
    "cp-kafka": "kafka",
    "cp-server": "kafka",
    "redpanda": "redpanda",
    "rabbitmq": "rabbitmq",
    "nats": "nats",
    "nats-streaming": "nats",
    "activemq": "activemq",
    "activemq-artemis": "activemq",
    "artemis": "activemq",
    "pulsar": "pulsar",
    "eclipse-mosquitto": "mqtt",
    "emqx": "mqtt",
    "elasticmq": "sqs",
    # search and objects
    "elasticsearch": "elasticsearch",
    "opensearch": "opensearch",
    "solr": "solr",
    "meilisearch": "meilisearch",
    "typesense": "typesense",
    "minio": "s3",
}

BROKER_KINDS = frozenset(
    {"kafka", "redpanda", "rabbitmq", "nats", "activemq", "pulsar", "mqtt", "sqs", "sns"}
)
"""Kinds reached by messages: dependencies towards them are asynchronous."""


def image_name(image: str) -> str:
    """`registry:5000/team/app:1.2@sha256:...` → `team/app` (lower case)."""
    name = image.strip().split("@", 1)[0]
    parts = name.split("/")
    # A first part with a dot or a port, or `localhost`, is a registry host.
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    last = parts[-1].split(":", 1)[0]
    parts[-1] = last
    path = "/".join(parts).lower()
    return path.removeprefix("library/")


def store_kind(image: str) -> str | None:
    """The datastore kind of a container image, or None when it is not a known store."""
    path = image_name(image)
    if not path:
        return None
    return _KINDS.get(path) or _KINDS.get(path.rsplit("/", 1)[-1])


def is_broker(kind: str | None) -> bool:
    """True when dependencies towards a store of this kind are messages."""
    return kind is not None and kind.lower() in BROKER_KINDS
