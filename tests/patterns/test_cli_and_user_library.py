"""`stratus recommend` and user pattern libraries (--patterns DIR, the config folder)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import platformdirs
import pytest
from click.testing import CliRunner

from stratus_tui.cli import cli
from stratus_tui.core.patterns import FACTS, load_library, recommend, user_patterns_dir
from stratus_tui.core.problems import DesignError
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design

ALWAYS_MICRO = """\
id: microservices
name: Microservices (house rules)
summary: Our house rules say yes whenever we know the team size.
use_when:
  - text: We always split by team
    weight: 5
    when: {fact: team.engineers, op: is_set}
"""

OWN = """\
id: cell-architecture
name: Cell-based architecture
summary: Independent cells each serving a slice of customers.
use_when:
  - text: Four nines or more
    weight: 3
    when: {fact: requirements.availability, op: gte, value: 99.99}
related:
  - {id: multi-region, why: Cells often span regions}
"""


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _small_team(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(
        "stratus: 1\nname: Small\ndiscovery:\n  team:\n    engineers: 5\n"
        "    independent_deploys: false\n",
        encoding="utf-8",
    )
    return path


def test_json_contract(tmp_path: Path) -> None:
    code, out, _err = _run("recommend", str(sample_path("checkout")), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {d["pattern"] for d in data} == set(load_library().patterns)
    for d in data:
        assert {"pattern", "name", "verdict", "score", "reasons"} <= set(d)
        assert d["verdict"] in {"recommend", "consider", "avoid", "not-applicable"}
        assert isinstance(d["score"], int | float)
        for r in d["reasons"]:
            assert r["text"] and r["answers"]
            assert all(a in FACTS for a in r["answers"])
    micro = next(d for d in data if d["pattern"] == "microservices")
    assert "team.independent_deploys" in {a for r in micro["reasons"] for a in r["answers"]}


def test_text_table_shows_verdict_score_reasons_and_changes(tmp_path: Path) -> None:
    code, out, _err = _run("recommend", str(_small_team(tmp_path)))
    assert code == 0
    micro = next(line for line in out.splitlines() if "(microservices)" in line)
    assert micro.startswith("avoid") and "-6.0" in micro
    assert "team.engineers=5" in out
    assert "? unanswered:" in out and "\u2192" in out


def test_facts_lists_every_fact_with_its_value(tmp_path: Path) -> None:
    code, out, _err = _run("recommend", str(_small_team(tmp_path)), "--facts")
    assert code == 0
    for name in FACTS:
        assert name in out
    assert any(line.startswith("team.engineers") and " 5 " in line for line in out.splitlines())
    code, out, _err = _run("recommend", str(_small_team(tmp_path)), "--facts", "--format", "json")
    facts = {f["fact"]: f for f in json.loads(out)}
    assert facts["team.engineers"]["value"] == 5
    assert facts["team.teams"]["value"] is None
    assert all(f["description"] for f in facts.values())


def test_patterns_option_overrides_and_adds(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "micro.yaml").write_text(ALWAYS_MICRO, encoding="utf-8")
    (lib / "cell.yaml").write_text(OWN, encoding="utf-8")
    design = _small_team(tmp_path)
    code, out, _err = _run("recommend", str(design), "--format", "json", "--patterns", str(lib))
    assert code == 0
    data = {d["pattern"]: d for d in json.loads(out)}
    assert data["microservices"]["verdict"] == "recommend"
    assert data["microservices"]["name"] == "Microservices (house rules)"
    assert "cell-architecture" in data
    # without the option the built-in verdict stands
    default = {v.pattern: v for v in recommend(load_design(design))}
    assert default["microservices"].verdict == "avoid"


def test_bad_user_library_exits_1_with_file_and_line(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "cell.yaml").write_text(OWN.replace("op: gte", "op: gtee"), encoding="utf-8")
    code, _out, err = _run("recommend", str(_small_team(tmp_path)), "--patterns", str(lib))
    assert code == 1
    assert f"{lib / 'cell.yaml'}:7:" in err
    assert "Traceback" not in err


def test_config_folder_library_via_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    folder = user_patterns_dir()
    assert folder == tmp_path / "cfg" / "stratus" / "patterns"
    folder.mkdir(parents=True)
    (folder / "cell.yaml").write_text(OWN, encoding="utf-8")
    ids = {v.pattern for v in recommend(load_design(_small_team(tmp_path)))}
    assert "cell-architecture" in ids


def test_config_folder_library_via_platformdirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platformdirs, "user_config_path", lambda name: tmp_path / "conf" / name)
    folder = tmp_path / "conf" / "stratus" / "patterns"
    folder.mkdir(parents=True)
    (folder / "micro.yaml").write_text(ALWAYS_MICRO, encoding="utf-8")
    verdicts = {v.pattern: v for v in recommend(load_design(_small_team(tmp_path)))}
    assert verdicts["microservices"].verdict == "recommend"
    # --patterns comes after the config folder, so it wins
    lib = tmp_path / "lib"
    shutil.copytree(Path(load_library().sources["modular-monolith"]).parent, lib)
    verdicts = {v.pattern: v for v in recommend(load_design(_small_team(tmp_path)), [lib])}
    assert verdicts["microservices"].verdict == "avoid"


def test_decision_naming_an_unknown_pattern_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "stratus: 1\nname: D\ndecisions:\n  - id: adr-1\n    title: Use sagas\n"
        "    pattern: sagaa\n",
        encoding="utf-8",
    )
    with pytest.raises(DesignError) as info:
        load_design(path)
    (problem,) = info.value.problems
    assert "no pattern 'sagaa'" in problem.message and "did you mean 'saga'" in problem.message
    assert problem.line == 6
    code, _out, err = _run("validate", str(path))
    assert code == 1 and f"{path}:6:" in err


def test_decision_may_name_a_pattern_from_patterns_dir(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "cell.yaml").write_text(OWN, encoding="utf-8")
    path = tmp_path / "d.yaml"
    path.write_text(
        "stratus: 1\nname: D\ndecisions:\n  - id: adr-1\n    title: Cells\n"
        "    pattern: cell-architecture\n",
        encoding="utf-8",
    )
    assert _run("recommend", str(path))[0] == 1
    code, out, _err = _run("recommend", str(path), "--patterns", str(lib))
    assert code == 0 and "(cell-architecture)" in out
