"""core/actions: `exporting` (stratus export, the EXPORT screen) and `deciding` (stratus
decide, the Decide pane), on real files: the CLI, the action and the screen's write path
give the same bytes, and nothing is written over the design file."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stratus_tui.cli import cli
from stratus_tui.core.actions import ActionError
from stratus_tui.core.actions.deciding import decide_pattern, decide_summary
from stratus_tui.core.actions.exporting import (
    SUBFOLDERS,
    check_folder,
    export_formats,
    file_name,
    file_state,
    folder_plan,
    format_names,
    render_format,
    write_file,
    write_folder,
)
from stratus_tui.core.decide import decision_from_verdict, record_decision
from stratus_tui.core.export import EXPORTERS, FOLDER_FORMATS
from stratus_tui.core.export.dot import dot_available
from stratus_tui.core.patterns import recommend
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from stratus_tui.ui.screens.export import format_names as screen_format_names
from stratus_tui.ui.screens.export import write_exports

SINGLE = [f for f in EXPORTERS if f != "svg" or dot_available()]
TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def design_file(tmp_path: Path) -> Path:
    target = tmp_path / "shop.yaml"
    shutil.copy(sample_path("checkout"), target)
    return target


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative POSIX path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# ---------------------------------------------------------------------------- names


def test_the_cli_accepts_the_actions_formats_in_order() -> None:
    assert format_names() == (
        "mermaid", "mermaid-c4", "storm-mermaid", "sequence", "markdown", "dot", "svg",
        "json", "toml", "yaml", "likec4", "structurizr", "backstage",
        "adr", "observe", "k8s", "all",
    )  # fmt: skip
    help_text = run("export", "--help").output
    assert "[" + "|".join(format_names()) + "]" in help_text.replace("\n", "").replace(" ", "")
    assert screen_format_names() == ["all", *format_names()[:-1]]


def test_file_names() -> None:
    assert file_name("mermaid", "shop") == "shop.mmd"
    assert file_name("mermaid-c4", "shop") == "shop.mermaid-c4.mmd"
    assert file_name("storm-mermaid", "shop") == "shop.storm-mermaid.mmd"
    assert file_name("markdown", "shop") == "shop.markdown.md"
    assert file_name("backstage", "shop") == "shop.backstage.yaml"
    with pytest.raises(ActionError):
        file_name("all", "shop")


# ---------------------------------------------------------------------------- same bytes


@pytest.mark.parametrize("fmt", SINGLE)
def test_single_format_same_bytes_cli_action_screen(
    design_file: Path, tmp_path: Path, fmt: str
) -> None:
    cli_out = tmp_path / "cli" / "out.txt"
    result = run("export", str(design_file), "--format", fmt, "-o", str(cli_out))
    assert result.exit_code == 0, result.output
    design = load_design(design_file)
    text, _notes = render_format(design, fmt)
    action_out = tmp_path / "action" / "out.txt"
    write_file(text, action_out, design_path=design_file, what=f"{fmt} export", shown="x")
    listed = write_exports(design, tmp_path / "screen", [fmt], "shop", design_file)
    rel = file_name(fmt, "shop")
    assert listed == [f"{rel} (written)"]  # the screen names the file as the action does
    screen_out = tmp_path / "screen" / rel
    assert cli_out.read_bytes() == action_out.read_bytes() == screen_out.read_bytes()
    # and the check agrees with what was written
    assert file_state(cli_out, text) == "up to date"
    assert (
        run("export", str(design_file), "--format", fmt, "-o", str(cli_out), "--check").exit_code
        == 0
    )


@pytest.mark.parametrize("fmt", FOLDER_FORMATS)
def test_folder_format_same_bytes_cli_action_screen(
    design_file: Path, tmp_path: Path, fmt: str
) -> None:
    result = run("export", str(design_file), "--format", fmt, "-o", str(tmp_path / "cli"))
    assert result.exit_code == 0, result.output
    design = load_design(design_file)
    plan = folder_plan(design, fmt)
    done = write_folder(plan, tmp_path / "action", design_path=design_file)
    assert sorted(done.written) == sorted(plan.files) and not done.unchanged
    write_exports(design, tmp_path / "screen", [fmt], "shop", design_file)
    sub = SUBFOLDERS.get(fmt, "")
    screen = tmp_path / "screen" / sub if sub else tmp_path / "screen"
    assert tree(tmp_path / "cli") == tree(tmp_path / "action") == tree(screen)
    assert tree(screen) == plan.files
    again = write_folder(plan, tmp_path / "action", design_path=design_file)
    assert not again.written and sorted(again.unchanged) == sorted(plan.files)


# ---------------------------------------------------------------------------- refusals


def test_a_single_export_never_replaces_the_design_file(design_file: Path) -> None:
    data = design_file.read_bytes()
    design = load_design(design_file)
    with pytest.raises(ActionError) as caught:
        write_file("x", design_file, design_path=design_file, what="yaml export", shown="d")
    assert caught.value.usage
    assert str(caught.value) == "d: refusing to overwrite the design file with its yaml export"
    result = run("export", str(design_file), "--format", "yaml", "-o", str(design_file))
    assert result.exit_code == 2
    assert design_file.read_bytes() == data
    assert load_design(design_file) == design


def test_a_folder_export_never_replaces_the_design_file(tmp_path: Path) -> None:
    # the design is DIR/design.json, written compactly: `all` would rewrite it
    folder = tmp_path / "docs"
    folder.mkdir()
    target = folder / "design.json"
    data = json.dumps(json.loads(load_design(sample_path("checkout")).model_dump_json())).encode()
    target.write_bytes(data)
    design = load_design(target)
    with pytest.raises(ActionError) as caught:
        write_exports(design, folder, ["all"], "design", target)
    assert caught.value.usage and "refusing to overwrite the design file" in str(caught.value)
    assert [p.name for p in folder.iterdir()] == ["design.json"]  # nothing else written
    assert target.read_bytes() == data
    result = run("export", str(target), "--format", "all", "-o", str(folder))
    assert result.exit_code == 2
    assert target.read_bytes() == data


def test_the_screen_stays_inside_its_root(design_file: Path, tmp_path: Path) -> None:
    design = load_design(design_file)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    with pytest.raises(ActionError, match="exports stay inside the design's folder"):
        export_formats(design, outside, ["mermaid"], "shop", confine_to=design_file.parent)
    assert not outside.exists()


# ---------------------------------------------------------------------------- checks


def test_a_stale_file_and_folder_are_detected(design_file: Path, tmp_path: Path) -> None:
    design = load_design(design_file)
    out = tmp_path / "docs"
    plan = folder_plan(design, "all")
    write_folder(plan, out, design_path=design_file)
    assert check_folder(plan, out).up_to_date
    (out / "report.md").write_text("edited by hand\n")
    result = check_folder(plan, out)
    assert result.stale == ["report.md"] and not result.up_to_date
    assert (
        run("export", str(design_file), "--format", "all", "-o", str(out), "--check").exit_code == 1
    )
    text, _ = render_format(design, "mermaid")
    single = tmp_path / "shop.mmd"
    assert file_state(single, text) == "missing"
    single.write_text(text + "%% more\n")
    assert file_state(single, text) == "stale"
    checked = run("export", str(design_file), "--format", "mermaid", "-o", str(single), "--check")
    assert checked.exit_code == 1 and f"stale: {single}" in checked.output


# ---------------------------------------------------------------------------- decide


def test_decide_records_the_panes_decision(design_file: Path) -> None:
    before = load_design(design_file)
    outcome = decide_pattern(design_file, "circuit-breaker", today=TODAY)
    verdict = next(v for v in recommend(before) if v.pattern == "circuit-breaker")
    expected = decision_from_verdict(before, verdict, True, today=TODAY)
    assert outcome.decision == expected and outcome.previous is None
    assert load_design(design_file) == record_decision(before, expected)
    assert decide_summary(outcome, "shop.yaml") == (
        f"recorded decision {expected.id}: Adopt Circuit breaker (accepted) in shop.yaml"
    )
    assert (
        design_file.with_name("shop.yaml.bak").read_bytes() == sample_path("checkout").read_bytes()
    )


def test_decide_refuses_a_repeat_and_writes_nothing(design_file: Path) -> None:
    decide_pattern(design_file, "circuit-breaker", today=TODAY)
    data = design_file.read_bytes()
    backup = design_file.with_name("shop.yaml.bak").read_bytes()
    with pytest.raises(ActionError, match=r"already records circuit-breaker as accepted"):
        decide_pattern(design_file, "circuit-breaker", today=TODAY)
    assert design_file.read_bytes() == data
    assert design_file.with_name("shop.yaml.bak").read_bytes() == backup  # no second save


def test_decide_unknown_pattern_suggests_and_writes_nothing(design_file: Path) -> None:
    data = design_file.read_bytes()
    with pytest.raises(ActionError, match=r"did you mean 'circuit-breaker'\?") as caught:
        decide_pattern(design_file, "circut-breaker", today=TODAY)
    assert not caught.value.usage
    assert design_file.read_bytes() == data


def test_decide_off_the_request_path_uses_that_rating(design_file: Path) -> None:
    design = load_design(design_file)
    scoped = next((v for v in recommend(design) if v.scoped), None)
    if scoped is None:
        pytest.skip("no pattern rates differently off the request path for this design")
    outcome = decide_pattern(
        design_file, scoped.pattern, accept=False, scope="off-request-path", today=TODAY
    )
    assert outcome.decision.status == "rejected"
    with pytest.raises(ActionError) as caught:
        decide_pattern(design_file, scoped.pattern, scope="sideways")
    assert caught.value.usage


def test_a_folder_export_never_replaces_the_design_file_through_a_link(tmp_path: Path) -> None:
    """DIR/design.json a symlink to the design kept elsewhere: still the design file."""
    data = json.dumps(json.loads(load_design(sample_path("checkout")).model_dump_json())).encode()
    kept = tmp_path / "kept.json"
    kept.write_bytes(data)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "design.json").symlink_to(kept)
    with pytest.raises(ActionError) as caught:
        write_exports(load_design(kept), folder, ["all"], "design", kept)
    assert caught.value.usage and "refusing to overwrite the design file" in str(caught.value)
    assert kept.read_bytes() == data
    assert [p.name for p in folder.iterdir()] == ["design.json"]
