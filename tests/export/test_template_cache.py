"""The shipped design-document template is kept compiled in the user's cache folder
(`document._compiled_cache`): used when it matches, never the reason an export fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from stratus_tui.core.export import document
from stratus_tui.core.export.document import to_markdown
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("STRATUS_CACHE_DIR", str(folder))
    document._builtin_template.cache_clear()
    yield folder / "templates"
    document._builtin_template.cache_clear()


def export() -> str:
    document._builtin_template.cache_clear()  # as a new process would
    return to_markdown(load_design(sample_path("checkout")))


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the cache holds the template")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_the_second_export_uses_the_compiled_template(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export()
    assert [p.suffix for p in cache.iterdir()] == [".cache"]  # no temp file left
    no_compiling(monkeypatch)
    assert export() == first


def test_a_damaged_entry_is_compiled_again_and_replaced(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export()
    (entry,) = cache.iterdir()
    good = entry.read_bytes()
    for damage in (b"", good[:40], good[: len(good) // 2], b"\x00" * 300, b"j2" + good[2:60]):
        entry.write_bytes(damage)
        assert export() == first
        assert entry.read_bytes() == good  # rewritten whole
    no_compiling(monkeypatch)
    assert export() == first


def test_an_unusable_cache_folder_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("STRATUS_CACHE_DIR", str(blocker))
    first = export()
    monkeypatch.setenv("STRATUS_CACHE_DIR", str(tmp_path / "fresh"))
    assert export() == first
    assert blocker.read_text() == "not a folder"


def test_an_entry_serves_only_the_same_template_and_settings(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    template = folder / "design.md.j2"

    def render() -> str:
        env = document.environment(folder, sandboxed=False, cache=document._compiled_cache())
        return str(env.get_template("design.md.j2").render(name="x"))

    template.write_text("one {{ name }}\n")
    assert render() == "one x\n"
    template.write_text("two {{ name }}\n")  # same name, same key: new text
    assert render() == "two x\n"
    template.write_text("{% if true %}\n  three\n{% endif %}\n")
    assert render() == "  three\n"  # trim_blocks: no newline after the tags
    settings = {**document._ENV_SETTINGS, "lstrip_blocks": False, "trim_blocks": False}
    monkeypatch.setattr(document, "_ENV_SETTINGS", settings)
    assert render() == "\n  three\n\n"  # other settings: not the entry compiled above
