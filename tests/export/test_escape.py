"""The escaping module on its own: ids, slugs, Markdown, YAML, DOT labels."""

from __future__ import annotations

import io
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from ruamel.yaml import YAML

from stratus_tui.core import escape
from tests.export.strategies import HOSTILE, IDS, hostile_text

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _inline_tokens(source: str) -> list[object]:
    return [t for block in MD.parse(source) if block.children for t in block.children]


def test_safe_ids_are_prefixed_plain_and_unique() -> None:
    ids = escape.safe_ids(IDS, "n_")
    assert set(ids) == set(IDS)
    assert len(set(ids.values())) == len(IDS)
    for value in ids.values():
        assert re.fullmatch(r"n_[A-Za-z0-9_]+", value)
    assert ids["end"] == "n_end"  # readable when nothing collides


def test_colliding_names_get_stable_hashed_ids() -> None:
    ids = escape.safe_ids(["a-b", "a.b", "a_b", "c"], "n_")
    assert len(set(ids.values())) == 4
    assert ids["c"] == "n_c"
    # Order and unrelated names do not change an id.
    again = escape.safe_ids(["c", "a_b", "a.b", "a-b", "zzz"], "n_")
    assert {k: again[k] for k in ids} == ids


def test_a_typed_hash_cannot_collide_with_a_generated_one() -> None:
    first = escape.safe_ids(["a-b", "a.b"], "n_")
    typed = first["a-b"][2:]  # someone names a context exactly like the hashed form
    ids = escape.safe_ids(["a-b", "a.b", typed], "n_")
    assert len(set(ids.values())) == 3


@given(st.lists(hostile_text, max_size=8))
def test_safe_ids_are_injective_for_any_text(names: list[str]) -> None:
    ids = escape.safe_ids(names, "c_")
    assert len(set(ids.values())) == len(set(names))


@given(hostile_text)
def test_slugs_never_leave_their_folder(title: str) -> None:
    slug = escape.slug(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= escape.SLUG_MAX
    name = escape.adr_filename(7, title)
    assert (Path("/x/decisions") / name).resolve().parent == Path("/x/decisions")


def test_slug_examples() -> None:
    assert escape.slug("../../etc/passwd") == "etc-passwd"
    assert escape.slug("..") == "decision"
    assert escape.slug("Ünïcödé Straße") == "unicode-strae"
    assert escape.slug("中文") == "decision"
    assert escape.adr_filename(1, "Use a saga for checkout") == "0001-use-a-saga-for-checkout.md"
    long = escape.slug("word " * 40)
    assert len(long) <= escape.SLUG_MAX and not long.endswith("-")


def test_mermaid_text_codes_every_special_character() -> None:
    text = escape.mermaid_text('a"#<>&`%;:b\nc')
    assert text == "a#34;#35;#60;#62;#38;#96;#37;#59;#58;b<br>c"
    assert escape.mermaid_text("  x ") == "#32;#32;x#32;"
    assert "%%" not in escape.mermaid_text("%%{init: {}}%%")
    # `$$...$$` is KaTeX math to Mermaid 12: invalid TeX stops the whole render.
    assert escape.mermaid_text("$$\\frac{ $$x$$") == "#36;#36;\\frac{ #36;#36;x#36;#36;"


@settings(max_examples=200)
@given(hostile_text)
def test_md_inline_reads_back_as_plain_text(text: str) -> None:
    rendered = escape.md_inline(text)
    tokens = _inline_tokens(f"- {rendered}\n")
    kinds = {t.type for t in tokens}  # type: ignore[attr-defined]
    assert kinds <= {"text", "html_inline"}
    html = [t.content for t in tokens if t.type == "html_inline"]  # type: ignore[attr-defined]
    assert set(html) <= {"<br>"}  # only the line breaks we put there
    plain = "".join(t.content for t in tokens)  # type: ignore[attr-defined]
    want = "<br>".join(line.strip() for line in escape.clean_text(text).strip().split("\n"))
    assert plain == want


@settings(max_examples=200)
@given(st.lists(hostile_text, min_size=1, max_size=4))
def test_md_cells_keep_the_table_shape(cells: list[str]) -> None:
    header = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
    sep = "|" + "---|" * len(cells)
    row = "| " + " | ".join(escape.md_cell(c) for c in cells) + " |"
    tokens = MD.parse("\n".join([header, sep, row]) + "\n")
    assert sum(t.type == "td_open" for t in tokens) == len(cells)
    assert sum(t.type == "tr_open" for t in tokens) == 2


@given(hostile_text)
def test_md_block_makes_only_paragraphs(text: str) -> None:
    tokens = MD.parse(escape.md_block(text) + "\n")
    assert {t.type for t in tokens} <= {"paragraph_open", "paragraph_close", "inline"}


@given(hostile_text)
def test_yaml_string_reads_back(text: str) -> None:
    scalar = escape.yaml_string(text)
    assert not set("<>&") & set(scalar)  # front matter viewers may render HTML
    doc = YAML(typ="safe").load(io.StringIO(f"key: {scalar}\n"))
    assert doc["key"] == escape.clean_text(text)


def test_md_url_only_links_http() -> None:
    assert escape.md_url("https://example.org/a") == "<https://example.org/a>"
    assert escape.md_url("javascript:alert(1)") == "javascript:alert(1)"
    assert escape.md_url("<x>") == "\\<x\\>"


def test_clean_text_normalises_newlines_and_controls() -> None:
    assert escape.clean_text("a\r\nb\rc\x00d\ud800") == "a\nb\nc\ufffdd\ufffd"


def test_hostile_list_is_exercised() -> None:
    # Every hostile sample escapes without raising, for every target.
    for text in HOSTILE:
        assert escape.mermaid_string(text).startswith('"')
        assert escape.md_inline(text)
        assert str(escape.dot_text(text)) or text == ""


def test_escaped_text_is_remembered_without_its_empty_word() -> None:
    """md_inline remembers each text's escaping; what a blank text becomes is still
    the caller's `empty`, and a remembered text escapes as the first time."""
    from stratus_tui.core.escape import md_cell, md_inline

    assert md_inline("  \n ") == ""
    assert md_cell("  \n ") == "—"
    assert md_inline("  \n ", "none") == "none"
    first = md_inline("a|b *c*\n> d")
    assert first == md_inline("a|b *c*\n> d") == "a\\|b \\*c\\*<br>\\> d"
