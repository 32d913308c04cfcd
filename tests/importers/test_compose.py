"""docker-compose files: realistic v3 and v2 fixtures, then hostile ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from stratus_tui.core.importers import import_source
from stratus_tui.core.model import Datastore, Service
from stratus_tui.core.problems import DesignError

from .helpers import by_id, deps, fixture, import_and_reload


def test_v3_shop_components_and_kinds(tmp_path: Path) -> None:
    result, design = import_and_reload(fixture("compose-v3-shop.yml"), tmp_path)
    assert result.kind == "compose"
    assert design.name == "webshop"  # the compose project name
    services = {s.id for s in design.services}
    assert services == {"gateway", "storefront", "orders", "payments", "notifications", "cache-ui"}
    kinds = {d.id: d.kind for d in design.datastores}
    assert kinds == {
        "orders-db": "postgresql",
        "payments-db": "mysql",
        "cache": "redis",
        "kafka": "kafka",
        "zookeeper": "zookeeper",
        "rabbitmq": "rabbitmq",
    }
    # A tool next to a store is not the store (no prefix matching).
    assert isinstance(by_id(design)["cache-ui"], Service)


def test_v3_shop_replicas_health_and_secrets(tmp_path: Path) -> None:
    _, design = import_and_reload(fixture("compose-v3-shop.yml"), tmp_path)
    svc = {s.id: s for s in design.services}
    assert svc["orders"].replicas == 3
    assert svc["storefront"].replicas == 2
    assert svc["gateway"].replicas is None  # not stated: unknown, not invented
    store = by_id(design)["kafka"]
    assert isinstance(store, Datastore) and store.replicas == 3
    assert svc["orders"].health_checks is True
    assert svc["notifications"].health_checks is False  # healthcheck: disable: true
    assert svc["gateway"].health_checks is None  # the image may have one
    # Literal credentials: a password inside DATABASE_URL, an API key in list form.
    assert svc["orders"].secrets == "hardcoded"
    assert svc["payments"].secrets == "hardcoded"
    # Only ${VAR} references: env, not hardcoded.
    assert svc["storefront"].secrets == "env"
    assert svc["notifications"].secrets == "env"
    assert svc["gateway"].secrets is None


def test_v3_shop_dependencies(tmp_path: Path) -> None:
    _, design = import_and_reload(fixture("compose-v3-shop.yml"), tmp_path)
    edges = deps(design)
    # depends_on in list form and in map form
    assert ("gateway", "storefront", "sync") in edges
    assert ("orders", "orders-db", "sync") in edges
    assert ("payments", "payments-db", "sync") in edges
    # towards message brokers: async
    assert ("orders", "kafka", "async") in edges
    assert ("payments", "rabbitmq", "async") in edges
    assert ("notifications", "rabbitmq", "async") in edges
    # found in environment values
    assert ("storefront", "orders", "sync") in edges
    assert ("storefront", "cache", "sync") in edges
    assert ("orders", "payments", "sync") in edges
    assert ("payments", "api.stripe.com", "sync") in edges
    assert {e.id for e in design.externals} == {"api.stripe.com"}
    protocols = {(d.from_, d.to): d.protocol for d in design.dependencies}
    assert protocols[("orders", "orders-db")] == "sql"
    # no dependency from a datastore (kafka depends_on zookeeper is noted instead)
    assert all(d.from_ in {s.id for s in design.services} for d in design.dependencies)


def test_v3_shop_skipped_and_discovery(tmp_path: Path) -> None:
    result, design = import_and_reload(fixture("compose-v3-shop.yml"), tmp_path)
    text = "\n".join(result.skipped)
    assert "unknown key 'replicas'" in text and ":67:5:" in text
    assert "kafka -> zookeeper" in text
    assert design.discovery.current.topology == "microservices"
    assert design.discovery.current.services == len(design.services) == 6
    assert design.imported is not None
    assert design.imported.kind == "compose"
    assert design.imported.answers == ("current.topology", "current.services")


def test_v2_legacy(tmp_path: Path) -> None:
    result, design = import_and_reload(fixture("compose-v2-legacy.yml"), tmp_path)
    svc = {s.id: s for s in design.services}
    assert svc["web"].replicas == 2  # scale:
    assert svc["api"].secrets == "hardcoded"  # JWT_SECRET literal; TOKEN_TTL is not one
    assert svc["worker"].health_checks is False  # test: ["NONE"]
    assert {d.id: d.kind for d in design.datastores} == {
        "mysql": "mysql",
        "mongo": "mongodb",
        "memcached": "memcached",
    }
    assert deps(design) >= {
        ("web", "api", "sync"),
        ("api", "mysql", "sync"),
        ("api", "mongo", "sync"),
        ("worker", "memcached", "sync"),
    }
    assert result.skipped == []


def write(tmp_path: Path, text: str, name: str = "docker-compose.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_service_is_a_monolith(tmp_path: Path) -> None:
    path = write(tmp_path, "services:\n  app:\n    build: .\n  db:\n    image: postgres\n")
    _, design = import_and_reload(path, tmp_path)
    assert design.discovery.current.topology == "monolith"
    assert design.discovery.current.services == 1
    assert design.name == tmp_path.name  # generic file name: the folder names the system


def test_services_as_a_list_is_an_error_with_position(tmp_path: Path) -> None:
    path = write(tmp_path, "version: '3'\nservices:\n  - web\n  - db\n")
    with pytest.raises(DesignError) as err:
        import_source(path)
    problem = err.value.problems[0]
    assert problem.file == str(path) and (problem.line, problem.column) == (3, 3)
    assert "must be a mapping" in problem.message and "list" in problem.message


def test_wrong_types_are_skipped_with_notes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
services:
  web:
    image: nginx
    deploy:
      replicas: three
    depends_on: 42
    environment: "FOO=bar"
  api:
    image: [not, a, string]
    deploy: {replicas: "4"}
  broken: just-a-string
""",
    )
    result, design = import_and_reload(path, tmp_path)
    text = "\n".join(result.skipped)
    assert ":5:7:" in text and "replicas must be a whole number" in text
    assert "depends_on must be a list or a mapping" in text
    assert "environment must be a mapping or a list" in text
    assert "image must be a string" in text
    assert "'broken'" in text and "not imported" in text
    svc = {s.id: s for s in design.services}
    assert svc["web"].replicas is None
    assert svc["api"].replicas == 4  # "4" is a number written as a string
    assert "broken" not in svc


def test_depends_on_cycles_are_imported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
services:
  a: {image: app-a, depends_on: [b]}
  b: {image: app-b, depends_on: {c: {condition: service_started}}}
  c: {image: app-c, depends_on: [a, missing, c]}
""",
    )
    result, design = import_and_reload(path, tmp_path)
    assert deps(design) == {("a", "b", "sync"), ("b", "c", "sync"), ("c", "a", "sync")}
    assert any("'missing'" in s and ":4:" in s for s in result.skipped)
    assert any("'c' depends on itself" in s for s in result.skipped)


def test_unknown_top_level_keys_are_noted(tmp_path: Path) -> None:
    path = write(tmp_path, "services:\n  web: {image: nginx}\nservises: {}\nx-extra: 1\n")
    result, _ = import_and_reload(path, tmp_path)
    assert result.skipped == [f"{path}:3:1: unknown top-level key 'servises'"]


def test_names_that_are_not_ids_become_valid_unique_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
services:
  "Bestell Dienst":
    image: shop/orders
    depends_on: ["-db-"]
  "-db-":
    image: postgres
  "Bestell-Dienst":
    image: shop/orders2
""",
    )
    _, design = import_and_reload(path, tmp_path)
    names = {s.name: s.id for s in design.services}
    assert names["Bestell Dienst"] == "Bestell-Dienst"
    assert names["Bestell-Dienst"] != "Bestell-Dienst"  # taken: made unique
    store = design.datastores[0]
    assert store.id == "db" and store.name == "-db-"
    assert ("Bestell-Dienst", "db", "sync") in deps(design)


def test_v1_file_without_services_key(tmp_path: Path) -> None:
    path = write(tmp_path, "web:\n  build: .\n  links: [redis]\nredis:\n  image: redis\n")
    _, design = import_and_reload(path, tmp_path)
    assert deps(design) == {("web", "redis", "sync")}


def test_too_many_services_is_refused(tmp_path: Path) -> None:
    body = "".join(f"  s{i}: {{image: app}}\n" for i in range(5001))
    path = write(tmp_path, "services:\n" + body)
    with pytest.raises(DesignError) as err:
        import_source(path)
    assert "more than 5,000 components" in str(err.value)


def _two_stores(tmp_path: Path, env: str) -> Path:
    path = tmp_path / "docker-compose.yml"
    path.write_text(
        "services:\n"
        "  cache:\n    image: redis:7\n"
        "  db:\n    image: postgres:16\n"
        "  listings:\n    image: shop/listings:1\n    environment:\n" + env,
        encoding="utf-8",
    )
    return path


def test_the_service_datastore_is_where_its_database_url_points(tmp_path: Path) -> None:
    """listings uses a redis cache and a postgres database: it used both, so no store was
    its own (or the cache, read first); DATABASE_URL points at postgres, which it owns
    (issue 14, item 10). The order of the variables does not matter."""
    env = "      REDIS_URL: redis://cache:6379\n      DATABASE_URL: postgres://db:5432/shop\n"
    _, design = import_and_reload(_two_stores(tmp_path, env), tmp_path)
    listings = by_id(design)["listings"]
    assert isinstance(listings, Service) and listings.datastore == "db"
    assert {d.to for d in design.dependencies if d.from_ == "listings"} >= {"cache"}


def test_a_url_to_postgres_wins_over_a_cache_by_kind(tmp_path: Path) -> None:
    """No variable is named for a database: the postgres store (a primary database kind)
    still wins over the redis cache."""
    env = "      REDIS_URL: redis://cache:6379\n      STORE_URL: postgres://db:5432/shop\n"
    _, design = import_and_reload(_two_stores(tmp_path, env), tmp_path)
    listings = by_id(design)["listings"]
    assert isinstance(listings, Service) and listings.datastore == "db"
