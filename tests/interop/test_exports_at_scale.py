"""The peer and DEPLOY exporters index the design once (they scanned it per component:
LikeC4 x30, Structurizr x13, k8s x8 from 1,000 to 5,000 services). What each indexed
lookup gives, checked against the design itself on a generated 150-service design with
contexts, owners and cross-context calls, and on the samples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from benchmarks.graphs import write_design
from stratus_tui.core.export.deploy import k8s_files
from stratus_tui.core.export.interop.likec4 import to_likec4
from stratus_tui.core.export.interop.structurizr import to_structurizr
from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design
from stratus_tui.core.topology import topology_of


@pytest.fixture(scope="module")
def designs(tmp_path_factory: pytest.TempPathFactory) -> list[Design]:
    folder: Path = tmp_path_factory.mktemp("scale")
    generated = load_design(write_design(150, folder / "d150.yaml"))
    return [generated, *(load_design(sample_path(n)) for n in sample_names())]


def test_k8s_env_names_each_synchronous_callee_on_the_cluster_once(
    designs: list[Design],
) -> None:
    checked = 0
    for design in designs:
        files, _ = k8s_files(design)
        deployments = {
            doc["metadata"]["annotations"]["stratus.dev/id"]: doc
            for text in files.values()
            for doc in yaml.safe_load_all(text)
            if isinstance(doc, dict) and doc.get("kind") == "Deployment"
        }
        for sid, doc in deployments.items():
            hosts: list[str] = []
            for dep in design.dependencies:
                if dep.from_ == sid and dep.mode == "sync" and dep.to in deployments:
                    host = deployments[dep.to]["metadata"]["name"]
                    if host not in hosts and dep.to != sid:
                        hosts.append(host)
            (container,) = doc["spec"]["template"]["spec"]["containers"]
            env = [e["value"] for e in container.get("env", [])]
            assert env == [f"http://{h}" for h in hosts], sid
            checked += bool(hosts)
    assert checked > 20  # most generated services call others on the cluster


def test_likec4_metadata_carries_each_services_own_owner(designs: list[Design]) -> None:
    owners = 0
    for design in designs:
        text = to_likec4(design)
        for s in design.services:
            block = text.split(f'stratus_id "{s.id}"', 1)[1].split("}", 1)[0]
            if s.owner:
                owners += 1
                assert f'owner "{s.owner}"' in block, s.id
            else:
                assert "owner " not in block, s.id
    assert owners > 100


def test_structurizr_puts_each_component_once_in_its_contexts_group(
    designs: list[Design],
) -> None:
    for design in designs:
        text = to_structurizr(design)
        ids = re.findall(r'"stratus\.id" "([^"]+)"', text)
        components = [c.id for group in (design.services, design.datastores) for c in group]
        assert sorted(ids) == sorted([*components, *(e.id for e in design.externals)])
        topo = topology_of(design)
        titles = {c.id: c.title for c in topo.contexts}
        grouped = 0
        for node in topo.of_kind("service"):
            context = (node.context or "").strip()
            if not context:
                continue
            before = text.split(f'"stratus.id" "{node.id}"')[0]
            opened = before.rsplit("group ", 1)
            assert len(opened) == 2, node.id
            closed_since = opened[1].count("\n            }\n")  # a group's own close
            title = opened[1].split("{", 1)[0].strip()
            assert closed_since == 0 and title == f'"{titles[context]}"', node.id
            grouped += 1
        assert grouped >= len(design.services) // 2
