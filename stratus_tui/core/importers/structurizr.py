"""Structurizr DSL workspaces: elements and relationships (a documented subset).

Read, line by line with Structurizr's own tokenizer rules (`\\"` and `\\n` are the only
escapes; `//`, `#` and `/* */` comments; `\\` continues a line):

* `softwareSystem` with containers: its containers are imported, in the bounded context
  of their `group`, else (when the workspace has several such systems) of the system;
* `softwareSystem` without containers: an external;
* `container`: a datastore when tagged Database/Datastore/Queue/Topic/Cache or its
  technology names a store (postgresql, kafka, redis ...), else a service; `description`,
  `technology` and the property `stratus.id` (our export's ids) are read;
* relationships `a -> b "description" "technology" "tags"` (and `-> b` inside an
  element) between imported elements: dependencies (tag `Async`: asynchronous), a
  relationship tagged `Owns` a service's own datastore; `!identifiers hierarchical`
  references (`system.container`) work.

Everything else (people, components, deployment, `!include`, `!script`, views, styles,
properties other than `stratus.id`) is skipped and reported as FILE:LINE:COL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .builder import DesignBuilder
from .source import fail

_STORE_TAGS = {"database", "datastore", "queue", "topic", "cache", "storage", "bucket"}
_STORE_WORDS = re.compile(
    r"postgres|mysql|maria|sql|mongo|dynamo|cassandra|redis|memcache|kafka|rabbit|sqs|"
    r"kinesis|pubsub|nats|s3|bucket|elastic|opensearch|database|\bdb\b",
    re.IGNORECASE,
)
_ELEMENTS = ("softwaresystem", "container", "person", "component", "element")
_IGNORED_BLOCKS = {
    "views": "views are not imported",
    "styles": "styles are not imported",
    "configuration": "configuration is not imported",
    "branding": "branding is not imported",
    "terminology": "terminology is not imported",
    "deploymentenvironment": "deployment environments are not imported",
    "archetypes": "archetypes are not imported",
}


@dataclass
class _Element:
    keyword: str
    name: str
    ident: str | None
    where: str
    parent: _Element | None
    group: str | None
    description: str | None = None
    technology: str | None = None
    tags: set[str] = field(default_factory=set)
    stratus_id: str | None = None
    children: list[_Element] = field(default_factory=list)


@dataclass
class _Relation:
    source: str | _Element
    target: str
    description: str | None
    technology: str | None
    tags: set[str]
    where: str


def looks_like_structurizr(text: str) -> bool:
    """A `workspace` block at the start (after comments)."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("//", "#", "/*", "*")):
            continue
        return line.lower().startswith("workspace")
    return False


def tokenize(line: str) -> list[str]:
    """Structurizr's tokenizer: whitespace-separated, `"..."` strings with `\\"` and
    `\\n` as the only escapes (any other backslash is kept)."""
    tokens: list[str] = []
    i, n = 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        if line[i] == '"':
            out: list[str] = []
            i += 1
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '"n':
                    out.append('"' if line[i + 1] == '"' else "\n")
                    i += 2
                    continue
                out.append(line[i])
                i += 1
            i += 1
            tokens.append("".join(out))
            continue
        j = i
        while j < n and not line[j].isspace():
            j += 1
        tokens.append(line[i:j])
        i = j
    return tokens


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(line, column, statement) without comments, continued lines joined."""
    out: list[tuple[int, int, str]] = []
    in_comment = False
    pending: tuple[int, int, str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if in_comment:
            if "*/" in line:
                in_comment = False
            continue
        if line.startswith("/*"):
            in_comment = "*/" not in line[2:]
            continue
        if pending is None and (not line or line.startswith(("//", "#"))):
            continue
        column = len(raw) - len(raw.lstrip()) + 1
        if pending is not None:
            number, column, line = pending[0], pending[1], pending[2] + " " + line
            pending = None
        if line.endswith("\\"):
            pending = (number, column, line[:-1])
            continue
        out.append((number, column, line))
    if pending is not None:
        out.append(pending)
    return out


def import_structurizr(text: str, file: str) -> tuple[DesignBuilder, str | None]:
    """Parse the workspace's model and build the design; returns (builder, name)."""
    builder = DesignBuilder(file, "structurizr")
    roots: list[_Element] = []
    relations: list[_Relation] = []
    idents: dict[str, _Element] = {}
    left_out: dict[str, str] = {}  # identifiers of people and components: not imported
    hierarchical = False
    stack: list[str | _Element] = []  # block kinds, or the element whose block is open
    group: list[str] = []
    title: str | None = None
    seen_model = False
    for number, column, line in _lines(text):
        where = f"{file}:{number}:{column}"
        tokens = tokenize(line)
        if not tokens:
            continue
        opens = tokens[-1] == "{"
        if opens:
            tokens = tokens[:-1]
        if tokens == ["}"] or (not tokens and not opens):
            if stack:
                top = stack.pop()
                if top == "group" and group:
                    group.pop()
            continue
        if not tokens:
            stack.append("block")
            continue
        head = tokens[0].lower()
        ignoring = any(
            isinstance(s, str) and s in (*_IGNORED_BLOCKS, "ignored", "person", "component")
            for s in stack
        )
        if ignoring:
            if opens:
                stack.append("ignored")
            continue
        if head == "workspace" and not stack:
            title = tokens[1] if len(tokens) > 1 and tokens[1] != "extends" else None
            if len(tokens) > 1 and tokens[1].lower() == "extends":
                builder.skip(where, "workspace extends another: only this file is imported")
            if opens:
                stack.append("workspace")
            continue
        if head == "model":
            seen_model = True
            if opens:
                stack.append("model")
            continue
        if head in _IGNORED_BLOCKS:
            builder.skip(where, _IGNORED_BLOCKS[head])
            if opens:
                stack.append(head)
            continue
        if head.startswith("!"):
            if head == "!identifiers":
                hierarchical = len(tokens) > 1 and tokens[1].lower() == "hierarchical"
            elif head not in ("!impliedrelationships",):
                builder.skip(where, f"{tokens[0]} is not followed by the import")
            if opens:
                stack.append("ignored")
            continue
        if head == "group":
            group.append(tokens[1] if len(tokens) > 1 else "")
            if opens:
                stack.append("group")
            continue
        parent = next((s for s in reversed(stack) if isinstance(s, _Element)), None)
        ident: str | None = None
        body = tokens
        if len(tokens) >= 3 and tokens[1] == "=":
            ident, body = tokens[0], tokens[2:]
        keyword = body[0].lower()
        if keyword in _ELEMENTS:
            element = _Element(
                keyword,
                body[1] if len(body) > 1 else "",
                ident,
                where,
                parent,
                group[-1] if group else None,
            )
            if keyword == "container":
                element.description = body[2] if len(body) > 2 and body[2] else None
                element.technology = body[3] if len(body) > 3 and body[3] else None
                element.tags = _tags(body[4] if len(body) > 4 else "")
            elif keyword == "softwaresystem":
                element.description = body[2] if len(body) > 2 and body[2] else None
                element.tags = _tags(body[3] if len(body) > 3 else "")
            if keyword in ("person", "component", "element"):
                what = {"person": "people", "component": "components", "element": "elements"}
                if ident is not None:
                    left_out[ident] = f"{keyword} {element.name!r}"
                    if parent is not None and parent.ident is not None:
                        left_out[f"{parent.ident}.{ident}"] = left_out[ident]
                builder.skip(where, f"{keyword} {element.name!r}: {what[keyword]} are not imported")
                if opens:
                    stack.append(keyword if keyword != "element" else "ignored")
                continue
            (parent.children if parent is not None else roots).append(element)
            if ident is not None:
                idents[ident] = element
                if parent is not None and parent.ident is not None:
                    idents[f"{parent.ident}.{ident}"] = element
            if opens:
                stack.append(element)
            continue
        arrow = next((i for i, t in enumerate(tokens) if re.fullmatch(r"-(\[.*\])?->|->", t)), None)
        if arrow is not None and arrow <= 1:
            source: str | _Element | None = tokens[0] if arrow == 1 else parent
            rest = tokens[arrow + 1 :]
            if source is None or not rest:
                builder.skip(where, "a relationship without its source or destination")
            else:
                relations.append(
                    _Relation(
                        source,
                        rest[0],
                        rest[1] if len(rest) > 1 and rest[1] else None,
                        rest[2] if len(rest) > 2 and rest[2] else None,
                        _tags(rest[3] if len(rest) > 3 else ""),
                        where,
                    )
                )
            if opens:
                stack.append("relationship")
            continue
        if parent is not None and head in ("description", "technology", "tags", "tag"):
            value = " ".join(tokens[1:])
            if head == "description":
                parent.description = value or None
            elif head == "technology":
                parent.technology = value or None
            else:
                parent.tags |= _tags(",".join(tokens[1:]))
            continue
        if stack and stack[-1] == "relationship" and head in ("tags", "tag"):
            if relations:
                relations[-1].tags |= _tags(",".join(tokens[1:]))
            continue
        if stack and stack[-1] == "relationship" and head == "technology":
            if relations:
                relations[-1].technology = " ".join(tokens[1:]) or None
            continue
        if head == "properties":
            stack.append("properties")
            continue
        if stack and stack[-1] == "properties":
            owner = next((s for s in reversed(stack) if isinstance(s, _Element)), None)
            if owner is not None and len(tokens) >= 2 and tokens[0] == "stratus.id":
                owner.stratus_id = tokens[1]
            continue
        if head in ("url", "perspectives", "properties", "instances", "!docs", "!adrs"):
            if opens:
                stack.append("ignored")
            continue
        builder.skip(where, f"not understood: {' '.join(tokens)[:80]}")
        if opens:
            stack.append("ignored")
    if not seen_model:
        raise fail(file, "has no `model { ... }` block to import", 1, 1)
    del hierarchical  # both forms of reference are registered either way
    _build(builder, roots, relations, idents, left_out)
    return builder, title


def _tags(text: str) -> set[str]:
    return {t.strip().lower() for t in text.split(",") if t.strip()}


def _build(
    builder: DesignBuilder,
    roots: list[_Element],
    relations: list[_Relation],
    idents: dict[str, _Element],
    left_out: dict[str, str],
) -> None:
    systems = [r for r in roots if r.keyword == "softwaresystem" and r.children]
    cid_of: dict[int, str] = {}
    for root in roots:
        if root.keyword != "softwaresystem":
            continue
        if not root.children:
            fields = {"name": root.name, "description": root.description}
            cid_of[id(root)] = builder.add(
                "externals", root.stratus_id or root.name, "external", **fields
            )
            continue
        for c in root.children:
            context = c.group or (root.name if len(systems) > 1 else None)
            store = bool(c.tags & _STORE_TAGS) or bool(
                c.technology and _STORE_WORDS.search(c.technology)
            )
            raw = c.stratus_id or c.name
            if store:
                cid_of[id(c)] = builder.add(
                    "datastores", raw, "datastore", name=c.name, kind=c.technology
                )
            else:
                cid_of[id(c)] = builder.add(
                    "services",
                    raw,
                    "service",
                    name=c.name,
                    description=c.description,
                    runtime=c.technology,
                    context=context,
                )
    for rel in relations:
        src = rel.source if isinstance(rel.source, _Element) else idents.get(rel.source)
        dst = idents.get(rel.target)
        if src is None or dst is None:
            missing = rel.target if dst is None else str(rel.source)
            what = left_out.get(missing)
            builder.skip(
                rel.where,
                f"relationship with {what}, which is not imported"
                if what
                else f"{missing} is not an element the import knows",
            )
            continue
        frm, to = cid_of.get(id(src)), cid_of.get(id(dst))
        if frm is None or to is None:
            end = src if frm is None else dst
            builder.skip(
                rel.where,
                f"relationship to or from {end.name!r} ({end.keyword}): only containers "
                "and external systems are imported",
            )
            continue
        if "owns" in rel.tags and builder.section_of(to) == "datastores":
            service = builder.component(frm)
            if builder.section_of(frm) == "services" and service is not None:
                service.setdefault("datastore", to)
                if service["datastore"] == to:
                    continue
        mode: Literal["sync", "async"] = "async" if "async" in rel.tags else "sync"
        builder.depend(frm, to, rel.where, mode, protocol=rel.technology, label=rel.description)
