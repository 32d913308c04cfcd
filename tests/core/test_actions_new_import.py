"""core/actions: `create_design` (stratus new, the welcome screen's samples) and
`import_design` (stratus import, the welcome screen's import), on real files."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratus_tui.core.actions import ActionError
from stratus_tui.core.actions.importing import free_name, import_design, import_summary_lines
from stratus_tui.core.actions.new import create_design
from stratus_tui.core.problems import DesignError
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design

COMPOSE = (
    "services:\n"
    "  web:\n    image: nginx\n    depends_on: [api]\n"
    "  api:\n    image: python:3.11\n    depends_on: [db]\n    replicas: 3\n"
    "  db:\n    image: postgres:16\n"
)
HEADER = "# Imported by `stratus import` from shop.yml (compose).\n"


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ---------------------------------------------------------------------------- new


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json", ".toml"])
def test_new_minimal_design_in_the_format_of_its_extension(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"my-shop{suffix}"
    assert create_design(target) == target
    assert load_design(target).name == "My shop"
    text = target.read_text(encoding="utf-8")
    if suffix == ".json":
        assert json.loads(text) == {"stratus": 1, "name": "My shop"}
    elif suffix == ".toml":
        assert tomllib.loads(text) == {"stratus": 1, "name": "My shop"}
    else:
        assert [line for line in text.splitlines() if not line.startswith("#")] == [
            "stratus: 1",
            "name: My shop",
        ]


@pytest.mark.parametrize("sample", sample_names())
@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_new_from_a_sample_holds_the_samples_data(tmp_path: Path, sample: str, suffix: str) -> None:
    target = create_design(tmp_path / f"copy{suffix}", sample)
    assert load_design(target) == load_design(sample_path(sample))
    if suffix == ".yaml":  # comments and layout kept: the very bytes
        assert target.read_bytes() == sample_path(sample).read_bytes()
    elif suffix == ".json":
        json.loads(target.read_text(encoding="utf-8"))
    else:
        tomllib.loads(target.read_text(encoding="utf-8"))


def test_new_never_overwrites_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "d.yaml"
    target.write_bytes(b"precious \x00 bytes")
    for sample in (None, "checkout"):
        with pytest.raises(ActionError) as caught:
            create_design(target, sample, shown="d.yaml")
        assert str(caught.value) == (
            "d.yaml: already exists; choose another name (nothing was written)"
        )
        assert not caught.value.usage
    assert target.read_bytes() == b"precious \x00 bytes"
    assert _files(tmp_path) == {"d.yaml"}  # no backup, no temp file


def test_new_creates_folders_and_names_a_file_in_the_way(tmp_path: Path) -> None:
    nested = create_design(tmp_path / "a" / "b" / "shop.yaml")
    assert load_design(nested).name == "Shop"
    (tmp_path / "plain").write_text("x")
    with pytest.raises(ActionError) as caught:
        create_design(tmp_path / "plain" / "x.yaml", shown="plain/x.yaml")
    assert str(caught.value) == (
        f"plain/x.yaml: cannot write: {tmp_path / 'plain'} is a file, not a folder"
    )
    assert (tmp_path / "plain").read_text() == "x"


def test_new_from_an_unknown_sample_lists_the_samples(tmp_path: Path) -> None:
    with pytest.raises(ActionError) as caught:
        create_design(tmp_path / "x.yaml", "no-such-sample")
    assert caught.value.usage
    assert all(name in str(caught.value) for name in sample_names())
    assert _files(tmp_path) == set()


# Any name the file system takes: unicode, quotes, colons, `#`, leading dashes, YAML
# words (null, yes), control characters, line breaks (\n, NEL, U+2028). No "/" or NUL
# (not in a file name), no lone surrogates (not UTF-8); short enough for the temp name.
_STEMS = st.one_of(
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["null", "yes", "-x", "--", "a: b", "#1", "'q'", '"q"', "1e3", " ~ ", "[x]"]),
).filter(lambda stem: stem not in (".", "..") and len(stem.encode("utf-8")) <= 150)


def _expected_title(stem: str) -> str:
    words = stem.replace("_", " ").replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "New design"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=_STEMS, suffix=st.sampled_from([".yaml", ".json", ".toml"]))
def test_any_file_name_gives_a_new_design_that_loads_with_its_title(stem: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{stem}{suffix}"
        create_design(target)
        assert load_design(target).name == _expected_title(Path(f"{stem}{suffix}").stem)


# ------------------------------------------------------------------------- import


def _compose(folder: Path, name: str = "shop.yml") -> Path:
    source = folder / name
    source.write_text(COMPOSE)
    return source


def test_import_to_a_named_yaml_file_has_the_header_and_loads(tmp_path: Path) -> None:
    source = _compose(tmp_path)
    target = tmp_path / "out" / "design.yaml"
    outcome = import_design(source, target)
    assert outcome.target == target and outcome.kind == "compose"
    assert {"web", "api", "db"} <= outcome.design.component_ids()
    assert any("replicas" in line for line in outcome.skipped)
    text = target.read_text(encoding="utf-8")
    assert text.startswith(HEADER + "# Review it: ")
    assert load_design(target) == outcome.design


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_import_to_json_or_toml_has_no_comment(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"design{suffix}"
    outcome = import_design(_compose(tmp_path), target, name="  Shop  ")
    text = target.read_text(encoding="utf-8")
    data = json.loads(text) if suffix == ".json" else tomllib.loads(text)
    assert data["name"] == "Shop" == outcome.design.name
    assert load_design(target) == outcome.design


def test_import_without_a_target_takes_the_first_free_name(tmp_path: Path) -> None:
    source = _compose(tmp_path)
    (tmp_path / "shop.stratus.yaml").write_text("keep me\n")
    (tmp_path / "shop-2.stratus.yaml").symlink_to(tmp_path / "nowhere")  # dangling: taken
    assert free_name(source) == tmp_path / "shop-3.stratus.yaml"
    first = import_design(source)
    second = import_design(source)
    assert (first.target.name, second.target.name) == ("shop-3.stratus.yaml", "shop-4.stratus.yaml")
    assert (tmp_path / "shop.stratus.yaml").read_text() == "keep me\n"
    assert not (tmp_path / "nowhere").exists()
    for outcome in (first, second):
        assert outcome.target.read_text(encoding="utf-8").startswith(HEADER)
        assert load_design(outcome.target) == outcome.design


def test_import_free_name_of_a_source_without_extension(tmp_path: Path) -> None:
    assert free_name(tmp_path / "compose") == tmp_path / "compose.stratus.yaml"
    assert free_name(tmp_path / "a.b.yml") == tmp_path / "a.b.stratus.yaml"


def test_import_refuses_to_overwrite_its_source(tmp_path: Path) -> None:
    source = _compose(tmp_path)
    (tmp_path / "sub").mkdir()
    for target in (source, tmp_path / "sub" / ".." / "shop.yml"):
        with pytest.raises(ActionError) as caught:
            import_design(source, target, force=True, shown="shop.yml")
        assert caught.value.usage
        assert str(caught.value) == (
            "shop.yml: refusing to overwrite the source with the design imported from it"
        )
    assert source.read_text() == COMPOSE
    assert _files(tmp_path) == {"shop.yml", "sub"}


def test_import_refuses_an_existing_file_unless_forced_and_keeps_a_backup(tmp_path: Path) -> None:
    source = _compose(tmp_path)
    target = tmp_path / "taken.yaml"
    target.write_bytes(b"old \xff bytes")
    with pytest.raises(ActionError) as caught:
        import_design(source, target, shown="taken.yaml")
    assert str(caught.value) == (
        "taken.yaml: already exists; use --force to overwrite it (nothing was written)"
    )
    assert not caught.value.usage
    assert target.read_bytes() == b"old \xff bytes"
    assert not (tmp_path / "taken.yaml.bak").exists()
    outcome = import_design(source, target, force=True)
    assert load_design(target) == outcome.design
    assert (tmp_path / "taken.yaml.bak").read_bytes() == b"old \xff bytes"


def test_import_of_a_broken_source_raises_its_problems_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "shop.yml"
    source.write_text("services:\n  web: [unclosed\n")
    with pytest.raises(DesignError) as caught:
        import_design(source)
    assert f"{source}:" in str(caught.value)
    with pytest.raises(DesignError):
        import_design(source, tmp_path / "out.yaml")
    assert _files(tmp_path) == {"shop.yml"}


def test_import_header_survives_a_source_name_with_line_breaks(tmp_path: Path) -> None:
    source = _compose(tmp_path, "odd\nname\u2028here.yml")
    outcome = import_design(source)
    assert load_design(outcome.target) == outcome.design
    first = outcome.target.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# Imported by `stratus import` from odd name here.yml (compose)."


def test_import_summary_lines(tmp_path: Path) -> None:
    outcome = import_design(_compose(tmp_path), tmp_path / "d.yaml")
    lines = import_summary_lines(outcome, "shop.yml", "d.yaml")
    assert lines[0] == (
        "imported shop.yml (compose): 2 services, 1 datastores, 0 externals, "
        "2 dependencies -> d.yaml"
    )
    assert "  service   web" in lines and "  datastore db [postgresql]" in lines
    assert lines[-1] == "next: stratus lint d.yaml, or stratus d.yaml"
    skipped_at = lines.index(f"skipped {len(outcome.skipped)}:")
    assert lines[skipped_at + 1 :][: len(outcome.skipped)] == [f"  {s}" for s in outcome.skipped]
    short = import_summary_lines(outcome, "shop.yml", "d.yaml", detail=False)
    assert short[0] == lines[0]
    assert not any(line.startswith(("  service", "  datastore", "next:")) for line in short)
    assert f"skipped {len(outcome.skipped)}:" in short


def test_import_leaves_no_temp_files(tmp_path: Path) -> None:
    import_design(_compose(tmp_path))
    assert not [name for name in os.listdir(tmp_path) if name.endswith((".tmp", ".lock"))]
