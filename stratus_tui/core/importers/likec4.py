"""LikeC4 models, read through the LikeC4 CLI's JSON (`likec4 export json`).

A `.c4` file is handed to the CLI (`STRATUS_LIKEC4`, a command such as
`node /path/likec4.mjs`, else `likec4` on PATH): `validate` first (its errors come back
as FILE:LINE:COL), then `export json --skip-layout`. A `.json` file from
`likec4 export json` is read directly. Mapping:

* an element with children is a boundary: its services get its title as bounded
  context (our export's `stratus_context` metadata when present); it is not a component;
* a leaf element is a datastore when its kind or shape says so (`datastore`, `database`,
  `storage`/`cylinder`/`queue` shapes ...), an external when its kind or tags say
  `external` (or a leaf system at the top level), an actor/person is skipped, anything
  else a service; title, description and technology are read, and our export's
  metadata (`stratus_id`, exact texts as JSON literals, `owner`, `api`);
* relationships between components are dependencies (kind or tag `async`, or a dashed
  line: asynchronous); kind `owns` is a service's own datastore.

Views, deployment models and relationships with a boundary at either end are skipped
and reported, located in the `.c4` source where the name can be found.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Literal

from ..problems import DesignError, Problem
from .builder import DesignBuilder, Section
from .source import fail

_STORE_KINDS = re.compile(r"data|store|db|database|queue|topic|cache|bucket|storage|stream")
_STORE_SHAPES = {"storage", "cylinder", "queue", "bucket"}
_PEOPLE = re.compile(r"actor|person|user|customer|people")
TIMEOUT_S = 120


def looks_like_likec4_json(data: Any) -> bool:
    """The shape of `likec4 export json`: a model (or a list of them, one per project)."""
    models = data if isinstance(data, list) else [data]
    return bool(models) and all(
        isinstance(m, dict) and isinstance(m.get("elements"), dict) and "relations" in m
        for m in models
    )


def likec4_command() -> list[str] | None:
    """The LikeC4 CLI as a command, or None when it is not installed."""
    configured = os.environ.get("STRATUS_LIKEC4", "").strip()
    if configured:
        return shlex.split(configured)
    found = shutil.which("likec4")
    return [found] if found else None


def run_cli(text: str, file: str) -> Any:
    """Validate and export the model in `text` with the LikeC4 CLI; the JSON model."""
    command = likec4_command()
    if command is None:
        raise fail(
            file,
            "needs the LikeC4 CLI to be read: install it (npm install -g likec4, Node 22+) or "
            "set STRATUS_LIKEC4 to its command; or import the JSON of `likec4 export json`",
        )
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    with tempfile.TemporaryDirectory(prefix="stratus-likec4-") as tmp:
        work = Path(tmp) / "model"
        work.mkdir()
        (work / "model.c4").write_text(text, encoding="utf-8")
        check = _run([*command, "validate", "--json", "--no-layout", str(work)], file, env)
        report = _json_in(check.stdout)
        if isinstance(report, dict) and report.get("errors"):
            raise DesignError(
                [
                    Problem(
                        str(e.get("message", "invalid")).splitlines()[0],
                        (),
                        file,
                        (e.get("line") or 0) + 1 if e.get("range") or e.get("line") else 1,
                        ((e.get("range") or {}).get("start") or {}).get("character", 0) + 1,
                    )
                    for e in report["errors"][:20]
                ]
            )
        out = Path(tmp) / "model.json"
        done = _run(
            [*command, "export", "json", "--skip-layout", "-o", str(out), str(work)], file, env
        )
        if done.returncode != 0 or not out.is_file():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise fail(file, f"the LikeC4 CLI could not read it: {tail[0][:200]}", 1, 1)
        return json.loads(out.read_text(encoding="utf-8"))


def _run(cmd: list[str], file: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False, env=env
        )
    except FileNotFoundError:
        raise fail(file, f"the LikeC4 CLI {cmd[0]!r} was not found (STRATUS_LIKEC4)") from None
    except subprocess.TimeoutExpired:
        raise fail(
            file, f"the LikeC4 CLI took longer than {TIMEOUT_S} s; nothing imported"
        ) from None


def _json_in(text: str) -> Any:
    start = text.find("{")
    try:
        return json.loads(text[start:]) if start >= 0 else None
    except json.JSONDecodeError:
        return None


def _exact(element: dict[str, Any], key: str, value: Any) -> Any:
    """Our export's exact text (a JSON literal in metadata) when LikeC4 trimmed it."""
    kept = (element.get("metadata") or {}).get(f"stratus_{key}")
    if isinstance(kept, str):
        try:
            decoded = json.loads(kept)
        except json.JSONDecodeError:
            return value
        return decoded if isinstance(decoded, str) else value
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("txt") or value.get("md")
    return value if isinstance(value, str) and value.strip() else None


class _Locator:
    """Where a name stands in the `.c4` source (first declaration), for skip notes."""

    def __init__(self, file: str, source: str | None) -> None:
        self.file = file
        self.source = source

    def at(self, name: str) -> str:
        if self.source:
            m = re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", self.source)
            if m:
                line = self.source.count("\n", 0, m.start()) + 1
                col = m.start() - (self.source.rfind("\n", 0, m.start()) + 1) + 1
                return f"{self.file}:{line}:{col}"
        return f"{self.file}:1:1"


def import_likec4(data: Any, file: str, source: str | None) -> tuple[DesignBuilder, str | None]:
    """Build the design from the CLI's JSON (`source`: the `.c4` text, for locations)."""
    models = data if isinstance(data, list) else [data]
    builder = DesignBuilder(file, "likec4")
    where = _Locator(file, source)
    title: str | None = None
    for model in models:
        elements: dict[str, dict[str, Any]] = model.get("elements") or {}
        spec = (model.get("specification") or {}).get("elements") or {}
        if title is None:
            project = model.get("project") or {}
            title = project.get("title") if project.get("id") not in (None, "default") else None
        parents = {fqn.rpartition(".")[0] for fqn in elements if "." in fqn}
        cid_of: dict[str, str] = {}
        for fqn, el in elements.items():
            local = fqn.rpartition(".")[2]
            if fqn in parents:
                continue  # a boundary: its title is its members' context
            kind = str(el.get("kind", ""))
            shape = (el.get("style") or {}).get("shape") or (
                spec.get(kind, {}).get("style") or {}
            ).get("shape")
            tags = {str(t).lower() for t in el.get("tags") or ()}
            if _PEOPLE.search(kind.lower()) or shape == "person":
                builder.skip(where.at(local), f"{fqn} ({kind}): people are not imported")
                continue
            meta = el.get("metadata") or {}
            name = _exact(el, "name", el.get("title")) or local
            sid = meta.get("stratus_id") if isinstance(meta.get("stratus_id"), str) else None
            section: Section
            if kind == "datastore" or shape in _STORE_SHAPES or _STORE_KINDS.search(kind.lower()):
                section = "datastores"
            elif (
                "external" in kind.lower()
                or "external" in tags
                or ("." not in fqn and kind == "system")
            ):
                section = "externals"
            else:
                section = "services"
            technology = _exact(el, "technology", el.get("technology"))
            description = _exact(el, "description", _text(el.get("description")))
            fields: dict[str, Any] = {"name": name}
            if section == "services":
                parent = elements.get(fqn.rpartition(".")[0]) if "." in fqn else None
                context = None
                if parent is not None:
                    pmeta = parent.get("metadata") or {}
                    context = pmeta.get("stratus_context") or parent.get("title")
                fields |= {
                    "description": description,
                    "runtime": technology,
                    "context": context if isinstance(context, str) else None,
                    "owner": _exact(el, "owner", _text(meta.get("owner"))),
                    "api": _exact(el, "api", _text(meta.get("api"))),
                }
            elif section == "datastores":
                fields["kind"] = technology
            else:
                fields["description"] = description
            cid_of[fqn] = builder.add(section, sid or local, section.rstrip("s"), **fields)
        for rel in (model.get("relations") or {}).values():
            src = (rel.get("source") or {}).get("model")
            dst = (rel.get("target") or {}).get("model")
            frm, to = cid_of.get(str(src)), cid_of.get(str(dst))
            if frm is None or to is None:
                end = src if frm is None else dst
                builder.skip(
                    where.at(str(end).rpartition(".")[2]),
                    f"relationship {src} -> {dst}: {end} is a boundary or not imported",
                )
                continue
            kind = str(rel.get("kind") or "")
            tags = {str(t).lower() for t in rel.get("tags") or ()}
            if kind == "owns" and builder.section_of(to) == "datastores":
                service = builder.component(frm)
                own = service is not None and builder.section_of(frm) == "services"
                if own and service is not None and service.setdefault("datastore", to) == to:
                    continue
            mode: Literal["sync", "async"] = (
                "async" if "async" in (kind, *tags) or rel.get("line") == "dashed" else "sync"
            )
            builder.depend(
                frm,
                to,
                where.at(str(src).rpartition(".")[2]),
                mode,
                protocol=_exact(rel, "technology", rel.get("technology")),
                label=_exact(rel, "name", _text(rel.get("title"))),
            )
        views = model.get("views") or {}
        if views:
            builder.skip(where.at("views"), f"{len(views)} views are not imported (the model is)")
        if (model.get("deployments") or {}).get("elements"):
            builder.skip(where.at("deployment"), "the deployment model is not imported")
    return builder, title
