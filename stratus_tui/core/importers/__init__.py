"""Bootstrap a design from what exists: docker-compose files, Kubernetes manifests, Mermaid,
LikeC4 models and Structurizr DSL workspaces (`likec4`, `structurizr`).

`import_source(path)` detects the kind from the content (and the extension), reads the
file within fixed bounds, and returns an `ImportResult`: a `Design` that passes
`check_references`, the list of what was not imported (each `FILE:LINE[:COL]: what`) and
the kind. Broken or unknown input raises `DesignError` naming the file and, where known,
the line and column. DISCOVER answers that follow from the import (current topology and
service count) are filled and listed in `design.imported.answers`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..gc_pause import gc_paused
from ..model import ImportKind
from ..problems import DesignError
from .builder import DesignBuilder, ImportResult
from .compose import import_compose, looks_like_compose
from .kubernetes import import_kubernetes, looks_like_kubernetes
from .mermaid import import_mermaid, looks_like_mermaid, markdown_block
from .source import MAX_BYTES, MAX_COMPONENTS, fail, kind_of, read_text
from .yaml_docs import load_documents

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "MAX_COMPONENTS",
    "ImportKind",
    "ImportResult",
    "import_source",
]

KINDS: tuple[ImportKind, ...] = ("compose", "kubernetes", "mermaid", "likec4", "structurizr")
_LIKEC4_SUFFIXES = frozenset({".c4", ".likec4"})
_MERMAID_SUFFIXES = frozenset({".mmd", ".mermaid"})
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
# File names that say nothing about the system: the folder's name is used instead.
_GENERIC_STEMS = frozenset(
    {
        "docker-compose",
        "compose",
        "docker-compose.override",
        "compose.override",
        "docker-compose.prod",
        "docker-compose.dev",
        "k8s",
        "kube",
        "kubernetes",
        "manifest",
        "manifests",
        "deployment",
        "deployments",
        "all",
        "diagram",
        "topology",
        "architecture",
        "readme",
        "design",
        "flowchart",
        "system",
    }
)


def import_source(path: str | Path, kind: ImportKind | None = None) -> ImportResult:
    """Import the compose file, Kubernetes manifests or Mermaid flowchart at `path`.

    `kind` forces the reader; by default it is detected. Raises DesignError with
    `FILE[:LINE:COL]: message` problems when the file cannot be imported at all.
    """
    p = Path(path)
    file = str(p)
    if kind is not None and kind not in KINDS:
        raise fail(file, f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    text = read_text(p)  # the file itself (missing, a folder, too large): no line to give
    with gc_paused():
        return _import(text, p, kind)


def _import(text: str, p: Path, kind: ImportKind | None) -> ImportResult:
    file = str(p)
    suffix = p.suffix.lower()
    try:
        interop = _interop(text, file, suffix, kind)
        if interop is not None:
            builder, title = interop
            return builder.build(title or default_name(p), source=file)
        if kind == "mermaid" or (kind is None and _is_mermaid(text, suffix)):
            builder, title = _mermaid(text, file, suffix)
        else:
            docs = load_documents(text, file)
            builder, title = _yaml(docs, file, kind)
        return builder.build(title or default_name(p), source=file)
    except DesignError as exc:
        # Every problem with the content has a place: the whole file is line 1.
        raise DesignError(
            [p if p.line is not None else replace(p, line=1, column=1) for p in exc.problems]
        ) from None


def _interop(
    text: str, file: str, suffix: str, kind: ImportKind | None
) -> tuple[DesignBuilder, str | None] | None:
    """LikeC4 (`.c4`, or the JSON of `likec4 export json`) or a Structurizr workspace."""
    from .likec4 import import_likec4, looks_like_likec4_json, run_cli
    from .structurizr import import_structurizr, looks_like_structurizr

    if kind == "structurizr" or (
        kind is None and (suffix == ".dsl" or looks_like_structurizr(text))
    ):
        return import_structurizr(text, file)
    if kind == "likec4" or (kind is None and suffix in _LIKEC4_SUFFIXES):
        if suffix == ".json" or text.lstrip().startswith(("{", "[")):
            data = _json(text, file)
            if looks_like_likec4_json(data):
                return import_likec4(data, file, None)
            raise fail(file, "is JSON but not the output of `likec4 export json`", 1, 1)
        return import_likec4(run_cli(text, file), file, text)
    if kind is None and suffix == ".json":
        data = _json(text, file)
        if looks_like_likec4_json(data):
            return import_likec4(data, file, None)
    return None


def _json(text: str, file: str) -> Any:
    # The design loader's JSON reader: located errors for syntax, duplicate keys, nesting
    # past the limit, integers past Python's digit limit and lone surrogates.
    from ..store.formats import parse_json

    return parse_json(text, file)


def _is_mermaid(text: str, suffix: str) -> bool:
    if suffix in _MERMAID_SUFFIXES or looks_like_mermaid(text):
        return True
    return suffix in _MARKDOWN_SUFFIXES or markdown_block(text) is not None


def _mermaid(text: str, file: str, suffix: str) -> tuple[DesignBuilder, str | None]:
    if not looks_like_mermaid(text) and (suffix in _MARKDOWN_SUFFIXES or "```" in text):
        block = markdown_block(text)
        if block is None:
            raise fail(file, "has no ```mermaid block with a flowchart to import")
        return import_mermaid(block[0], file, block[1])
    return import_mermaid(text, file)


def _yaml(docs: list[Any], file: str, kind: ImportKind | None) -> tuple[DesignBuilder, str | None]:
    first = docs[0]
    if isinstance(first, dict) and "stratus" in first and "name" in first:
        raise fail(file, "is already a STRATUS design: open it with 'stratus FILE'", 1, 1)
    if kind == "kubernetes" or (kind is None and looks_like_kubernetes(docs)):
        if not looks_like_kubernetes(docs):
            raise fail(file, "has no Kubernetes objects (documents with apiVersion and kind)", 1, 1)
        return import_kubernetes(docs, file), None
    if kind == "compose" or (kind is None and len(docs) == 1 and looks_like_compose(first)):
        if not (isinstance(first, dict) and looks_like_compose(first)):
            raise fail(file, "is not a docker-compose file: it has no 'services:' mapping", 1, 1)
        return import_compose(docs, file)
    keys = ", ".join(repr(str(k)) for k in list(first)[:5]) if isinstance(first, dict) else ""
    detail = f" (top-level keys: {keys})" if keys else f" (it holds {kind_of(first)})"
    raise fail(
        file,
        "is neither a docker-compose file (no 'services:'), nor Kubernetes manifests (no "
        "'apiVersion'/'kind'), nor a Mermaid flowchart" + detail,
        1,
        1,
    )


def default_name(path: Path) -> str:
    """A design name from the file: its stem, or its folder's name when the stem is generic."""
    stem = path.stem
    if stem.lower() in _GENERIC_STEMS:
        folder = path.resolve().parent.name
        if folder:
            return folder
    return stem or "Imported design"
