"""Imports parse with libyaml and still place every key (issue 21: ruamel's pure-Python
round-trip parser was 90 % of an import)."""

from __future__ import annotations

from stratus_tui.core.importers import located_yaml
from stratus_tui.core.importers.yaml_docs import load_documents, position, where

TEXT = """\
services:
  web:
    image: nginx
    ports: ["80:80"]
    depends_on:
      - db
      - cache
  db: {image: postgres, enabled: yes, mode: 010}
"""


def test_libyaml_is_what_imports_parse_with() -> None:
    assert located_yaml.LOADER is not None  # PyYAML with libyaml is a dependency


def test_keys_and_items_keep_their_positions() -> None:
    (doc,) = load_documents(TEXT, "c.yml")
    assert isinstance(doc, located_yaml.LocatedMap)
    web = doc["services"]["web"]
    assert position(doc["services"], "web") == (2, 3)
    assert position(web, "depends_on") == (5, 5)
    assert position(web["depends_on"], 1) == (7, 9)
    assert position(doc["services"]["db"], "enabled") == (8, 25)
    assert where("c.yml", web, "image") == "c.yml:3:5"


def test_yaml_1_2_as_the_round_trip_parser_read_it() -> None:
    (doc,) = load_documents(TEXT, "c.yml")
    db = doc["services"]["db"]
    assert db["enabled"] == "yes"  # YAML 1.1's boolean is text in 1.2
    assert db["mode"] == 10  # no octal
    assert doc["services"]["web"]["ports"] == ["80:80"]
