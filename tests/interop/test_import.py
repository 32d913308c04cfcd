"""`stratus import` of LikeC4 models (through the real LikeC4 CLI) and Structurizr DSL
workspaces: our own exports come back, foreign parts are skipped with their place."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stratus_tui.core.export.interop.escape_dsl import unique_names
from stratus_tui.core.export.interop.likec4 import to_likec4
from stratus_tui.core.export.interop.structurizr import to_structurizr
from stratus_tui.core.importers import import_source
from stratus_tui.core.model import Design
from stratus_tui.core.problems import DesignError
from stratus_tui.core.store.design_file import load_design

from .designs import hostile, samples
from .test_structurizr import lossy
from .tools import likec4_command

LOCATED = re.compile(r"^.+:\d+:\d+: ")


def _shape(design: Design, text: object = lambda t: t) -> dict[str, object]:
    fix = text if callable(text) else (lambda t: t)
    return {
        "services": sorted(
            (s.id, fix(s.name or s.id), (s.context or "").strip() or None, s.datastore)
            for s in design.services
        ),
        "datastores": sorted((d.id, fix(d.name or d.id), d.kind) for d in design.datastores),
        "externals": sorted((e.id, fix(e.name or e.id)) for e in design.externals),
        "dependencies": sorted(
            (d.from_, d.to, d.mode, d.protocol or None) for d in design.dependencies
        ),
    }


@pytest.mark.parametrize("name", list(samples()))
def test_structurizr_export_comes_back(tmp_path: Path, name: str) -> None:
    design = samples()[name]
    path = tmp_path / "workspace.dsl"
    path.write_text(to_structurizr(design), encoding="utf-8")
    result = import_source(path)
    assert result.kind == "structurizr"
    got, want = _shape(result.design), _shape(design)
    # Contexts come back as the group titles (the board's names when it has them).
    titles = {c.id: c.name or c.id for c in design.event_storming.contexts}
    want["services"] = sorted(
        (i, n, titles.get(c, c) if c else None, ds)
        for i, n, c, ds in want["services"]  # type: ignore[attr-defined]
    )
    assert got == want
    assert all(LOCATED.match(note) for note in result.skipped)


def test_structurizr_hostile_names_come_back_as_the_grammar_keeps_them(tmp_path: Path) -> None:
    design = hostile()
    path = tmp_path / "workspace.dsl"
    path.write_text(to_structurizr(design), encoding="utf-8")
    got = import_source(path).design
    names = {s.id: s.name or s.id for s in got.services}
    labels = {c.id: c.label for c in design.services} | {c.id: c.label for c in design.datastores}
    unique = unique_names(labels)
    for s in design.services:  # a repeated name carries its id (Structurizr needs unique)
        assert names[s.id] == lossy(unique[s.id])
    assert {(d.from_, d.to, d.mode) for d in got.dependencies} == {
        (d.from_, d.to, d.mode) for d in design.dependencies if d.to != "db.1"
    } | {("svc-0", "db.1", "sync")}


FOREIGN_DSL = """\
workspace "Big Bank" {
    !identifiers hierarchical
    model {
        customer = person "Customer"
        bank = softwareSystem "Internet Banking" {
            web = container "Web App" "Serves pages" "Java and Spring MVC"
            api = container "API" {
                technology "Java"
                signin = component "Sign in controller"
            }
            db = container "Database" "" "Oracle" "Database"
        }
        mail = softwareSystem "E-mail System" "Sends mail" "External"
        customer -> bank.web "Visits"
        bank.web -> bank.api "Calls" "JSON/HTTPS"
        bank.api -> bank.db "Reads" "SQL"
        bank.api -> mail "Sends e-mail using" "SMTP" "Async"
        !include more.dsl
        deploymentEnvironment "Live" {
            deploymentNode "Big Bank" {
                containerInstance bank.api
            }
        }
    }
    views {
        systemContext bank {
            include *
        }
    }
}
"""


def test_structurizr_foreign_workspace_maps_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "bank.dsl"
    path.write_text(FOREIGN_DSL, encoding="utf-8")
    result = import_source(path)
    d = result.design
    assert d.name == "Big Bank"
    assert [(s.id, s.runtime) for s in d.services] == [
        ("Web-App", "Java and Spring MVC"),
        ("API", "Java"),
    ]
    assert [(s.id, s.kind) for s in d.datastores] == [("Database", "Oracle")]
    assert [e.id for e in d.externals] == ["E-mail-System"]
    assert [(x.from_, x.to, x.mode, x.protocol, x.label) for x in d.dependencies] == [
        ("Web-App", "API", "sync", "JSON/HTTPS", "Calls"),
        ("API", "Database", "sync", "SQL", "Reads"),
        ("API", "E-mail-System", "async", "SMTP", "Sends e-mail using"),
    ]
    notes = "\n".join(result.skipped)
    for where, what in [
        (":4:9: ", "people are not imported"),
        (":9:17: ", "components are not imported"),
        (":14:9: ", "person 'Customer', which is not imported"),
        (":18:9: ", "!include"),
        (":19:9: ", "deployment environments"),
        (":25:5: ", "views are not imported"),
    ]:
        assert any(where in n and what in n for n in result.skipped), (where, what, notes)


def test_structurizr_without_model_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.dsl"
    path.write_text('workspace "x" {\n}\n', encoding="utf-8")
    with pytest.raises(DesignError) as info:
        import_source(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (1, 1)
    assert "model" in problem.message


def _cli(*args: str, likec4: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "STRATUS_LIKEC4"}
    env["PATH"] = "/usr/bin:/bin"  # no likec4 on PATH: only STRATUS_LIKEC4 finds it
    if likec4 is not None:
        env["STRATUS_LIKEC4"] = likec4
    return subprocess.run(
        [sys.executable, "-m", "stratus_tui", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )


FOREIGN_C4 = """
model {
  shopper = actor 'Shopper'
  shopper -> s_svc_0 'browses'
}
deployment {
  environment prod {
    node k8s
  }
}
"""


def test_likec4_import_through_the_real_cli(tmp_path: Path) -> None:
    """One CLI import: our hostile export (names exactly) plus foreign parts (skipped)."""
    command = " ".join(likec4_command())
    design = hostile()
    extra = "  element actor\n  deploymentNode environment\n  deploymentNode node"
    text = to_likec4(design).replace("specification {", "specification {\n" + extra, 1)
    source = tmp_path / "model.c4"
    source.write_text(text + FOREIGN_C4, encoding="utf-8")
    out = tmp_path / "design.yaml"
    proc = _cli("import", str(source), "-o", str(out), likec4=command)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = load_design(out)
    assert got.imported is not None and got.imported.kind == "likec4"
    assert _shape(got) == _shape(design)
    for s in design.services:  # every text exactly, padded and hostile ones included
        twin = next(t for t in got.services if t.id == s.id)
        assert (twin.name or twin.id, twin.description, twin.runtime, twin.owner, twin.api) == (
            s.label,
            s.description,
            s.runtime,
            s.owner,
            s.api,
        )
    lines = text.count("\n")
    assert re.search(rf"model\.c4:{lines + 3}:3: shopper \(actor\): people", proc.stdout)
    assert re.search(r"model\.c4:\d+:\d+: relationship shopper -> ", proc.stdout)
    assert "views are not imported" in proc.stdout


def test_likec4_invalid_model_is_located(tmp_path: Path) -> None:
    command = " ".join(likec4_command())
    source = tmp_path / "bad.c4"
    source.write_text("model {\n  a = nosuchkind 'A'\n}\n", encoding="utf-8")
    proc = _cli("import", str(source), "-o", str(tmp_path / "d.yaml"), likec4=command)
    assert proc.returncode != 0
    assert re.search(r"bad\.c4:\d+:\d+: ", proc.stderr + proc.stdout), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "d.yaml").exists()


def test_likec4_without_the_cli_says_what_to_do(tmp_path: Path) -> None:
    source = tmp_path / "m.c4"
    source.write_text("model {\n}\n", encoding="utf-8")
    proc = _cli("import", str(source), "-o", str(tmp_path / "d.yaml"), likec4=None)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "LikeC4 CLI" in proc.stderr and "likec4 export json" in proc.stderr
