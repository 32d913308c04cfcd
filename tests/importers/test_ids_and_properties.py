"""Properties: ids are always valid and unique; any compose-shaped input gives a valid design."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.importers import import_source
from stratus_tui.core.importers.envrefs import host_refs, is_hardcoded_credential
from stratus_tui.core.importers.ids import IdAllocator, sanitise
from stratus_tui.core.importers.stores import image_name, store_kind
from stratus_tui.core.model import ID_PATTERN
from stratus_tui.core.store.design_file import load_design

from .helpers import assert_ids_valid

names = st.text(max_size=80)


@given(st.lists(names, max_size=30))
def test_allocated_ids_are_valid_and_unique(raw: list[str]) -> None:
    alloc = IdAllocator()
    ids = [alloc.allocate(r) for r in raw]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(ID_PATTERN, i) for i in ids)


def test_a_trailing_newline_is_not_a_valid_id() -> None:
    # Python's `$` matches before a final newline; the model (pydantic) does not.
    alloc = IdAllocator()
    assert [alloc.allocate(r) for r in ["0\n", "0\n", "web\n"]] == ["0", "0-2", "web"]


@given(st.from_regex(ID_PATTERN, fullmatch=True))
def test_valid_ids_are_kept(raw: str) -> None:
    assert sanitise(raw) == raw
    assert IdAllocator().allocate(raw) == raw


def test_sanitise_examples() -> None:
    assert sanitise("Zahlungsdienst für Ä") == "Zahlungsdienst-fur-A"
    assert sanitise("--") == "item"
    assert sanitise("订单服务", "service") == "service"
    assert len(sanitise("x" * 200)) == 64


def test_image_names_and_store_kinds() -> None:
    assert image_name("registry.example.com:5000/team/app:1.2@sha256:abc") == "team/app"
    assert image_name("docker.io/library/postgres:16") == "postgres"
    assert store_kind("mcr.microsoft.com/mssql/server:2022-latest") == "sqlserver"
    assert store_kind("bitnami/postgresql:16") == "postgresql"
    for tool in (
        "redis-commander",
        "mongo-express",
        "provectuslabs/kafka-ui",
        "prometheuscommunity/postgres-exporter",
        "dpage/pgadmin4",
    ):
        assert store_kind(tool) is None


def test_credentials() -> None:
    assert is_hardcoded_credential("POSTGRES_PASSWORD", "s3cret")
    assert is_hardcoded_credential("DATABASE_URL", "postgres://app:s3cret@db/app")
    assert is_hardcoded_credential("SECRET_KEY_BASE", "abc")
    assert not is_hardcoded_credential("DATABASE_URL", "postgres://app:${PW}@db/app")
    assert not is_hardcoded_credential("POSTGRES_PASSWORD", "${PG_PASSWORD}")
    assert not is_hardcoded_credential("POSTGRES_PASSWORD_FILE", "/run/secrets/pg")
    assert not is_hardcoded_credential("ALLOW_EMPTY_PASSWORD", "yes")
    assert not is_hardcoded_credential("AWS_ACCESS_KEY_ID", "AKIA123")
    assert not is_hardcoded_credential("JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----")
    assert not is_hardcoded_credential("PWD", "/app")
    assert not is_hardcoded_credential("KEYCLOAK_REALM", "shop")


def test_host_refs() -> None:
    assert [r.host for r in host_refs("X", "http://orders:8080/api")] == ["orders"]
    assert [r.host for r in host_refs("BROKERS", "k-0.k:9092,k-1.k:9092")] == ["k-0.k", "k-1.k"]
    assert [r.host for r in host_refs("DB_HOST", "db")] == ["db"]
    assert host_refs("LOG_LEVEL", "info") == []
    assert [r.scheme for r in host_refs("U", "jdbc:postgresql://db:5432/x")] == ["postgresql"]


service_names = st.text(min_size=1, max_size=20)
settings_values = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=10),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)


@st.composite
def compose_files(draw: Any) -> dict[str, Any]:
    names_ = draw(st.lists(service_names, min_size=1, max_size=8, unique=True))
    images = st.sampled_from(
        ["postgres:16", "redis", "bitnami/kafka", "rabbitmq", "acme/app", "nginx", "mongo"]
    )
    services: dict[str, Any] = {}
    for name in names_:
        svc: dict[str, Any] = {"image": draw(images)}
        if draw(st.booleans()):
            targets = draw(st.lists(st.sampled_from(names_), max_size=4))
            svc["depends_on"] = (
                targets
                if draw(st.booleans())
                else {t: {"condition": "service_started"} for t in targets}
            )
        if draw(st.booleans()):
            svc["deploy"] = {"replicas": draw(st.one_of(st.integers(-2, 9), st.text(max_size=3)))}
        if draw(st.booleans()):
            svc["environment"] = {
                "PASSWORD": draw(st.text(max_size=8)),
                "URL": "http://" + draw(st.sampled_from(names_)) + ":80",
            }
        if draw(st.booleans()):
            svc[draw(st.text(min_size=1, max_size=8))] = draw(settings_values)
        services[name] = svc
    return {"services": services}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(compose_files())
def test_any_compose_shape_gives_a_loadable_design(data: dict[str, Any]) -> None:
    import json

    from stratus_tui.core.store.serialise import to_yaml

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "docker-compose.json"  # JSON is YAML: exact keys, any text
        source.write_text(json.dumps(data), encoding="utf-8")
        result = import_source(source, kind="compose")
        design = result.design
        assert_ids_valid(design)
        assert len(design.services) + len(design.datastores) == len(data["services"])
        out = Path(folder) / "design.yaml"
        out.write_text(to_yaml(design), encoding="utf-8")
        assert load_design(out) == design
