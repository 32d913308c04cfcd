"""Load and save design files.

Read-only paths (validate, lint, export) use ruamel's C-based safe loader; positions for
error messages come from a round-trip parse done only when something is wrong. Editing
paths keep the round-trip document so that a person's comments and key order survive.
Saves are atomic: temp file in the same folder, fsync, rename, previous version kept as
`FILE.bak`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .model import Design
from .problems import DesignError, Problem
from .validation import check_references


@dataclass(frozen=True)
class Document:
    """A design opened for editing: the model, the round-trip tree and what was on disk."""

    path: Path
    design: Design
    tree: Any
    digest: str | None


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _yaml(typ: str) -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ=typ)
    if typ == "rt":
        y.preserve_quotes = True
        y.width = 4096
        y.indent(mapping=2, sequence=4, offset=2)
    return y


def parse_text(text: str, file: str, *, round_trip: bool = False) -> Any:
    """Parse YAML (or JSON, a subset) text; raise DesignError with the position on failure."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return _yaml("rt" if round_trip else "safe").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        msg = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise DesignError([Problem(f"YAML syntax error: {msg}", (), file, line, col)]) from None
    except YAMLError as exc:
        raise DesignError([Problem(f"YAML error: {exc}", (), file)]) from None


def position_of(tree: Any, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """1-based (line, column) of `loc` in a round-trip tree: the deepest part found."""
    node = tree
    line: int | None = None
    col: int | None = None
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(part, int) and isinstance(node, list):
                if lc is not None:
                    line, col = lc.item(part)
                    line, col = line + 1, col + 1
                node = node[part]
            elif isinstance(node, dict) and part in node:
                if lc is not None:
                    line, col = lc.key(part)
                    line, col = line + 1, col + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    if line is None and getattr(tree, "lc", None) is not None:
        line, col = 1, 1
    return line, col


def _validation_problems(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = err["msg"]
        field = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            msg = f"unknown key {loc[-1]!r}"
        problems.append(Problem(f"{field}: {msg}" if field else msg, loc))
    return problems


def design_from_data(data: Any, file: str, text: str | None = None) -> Design:
    """Validate plain data into a Design; problems carry positions when `text` is given."""
    if data is None:
        raise DesignError([Problem("the file is empty; a design needs at least "
                                   "'stratus: 1' and 'name:'", (), file, 1, 1)])
    if not isinstance(data, dict):
        raise DesignError([Problem(f"a design must be a mapping of keys, not a "
                                   f"{type(data).__name__}", (), file, 1, 1)])
    try:
        design = Design.model_validate(data)
        problems = check_references(design)
    except ValidationError as exc:
        problems = _validation_problems(exc)
    if not problems:
        return design
    tree = parse_text(text, file, round_trip=True) if text is not None else None
    located = []
    for p in problems:
        line, col = position_of(tree, p.loc) if tree is not None else (None, None)
        located.append(Problem(p.message, p.loc, file, line, col))
    raise DesignError(located)


def load_design(path: str | Path) -> Design:
    """Read-only load of a design file (YAML, or JSON by extension)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DesignError([Problem(f"cannot read: {exc.strerror}", (), str(p))]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError([Problem(f"not UTF-8 text (byte {exc.start})", (), str(p))]) from None
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DesignError([Problem(f"JSON syntax error: {exc.msg}", (), str(p),
                                       exc.lineno, exc.colno)]) from None
    else:
        data = parse_text(text, str(p))
    return design_from_data(data, str(p), text)


def open_document(path: str | Path) -> Document:
    """Open a design for editing, keeping the round-trip tree for comment-preserving saves."""
    p = Path(path)
    raw = p.read_bytes()
    text = raw.decode("utf-8")
    tree = parse_text(text, str(p), round_trip=True)
    design = design_from_data(_plain(tree), str(p), text)
    return Document(p, design, tree, digest_bytes(raw))


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _merge(tree: Any, data: Any) -> Any:
    """Apply plain `data` onto round-trip `tree`, keeping comments where keys survive."""
    if isinstance(tree, dict) and isinstance(data, dict):
        for key in [k for k in tree if k not in data]:
            del tree[key]
        for key, value in data.items():
            tree[key] = _merge(tree[key], value) if key in tree else value
        return tree
    if isinstance(tree, list) and isinstance(data, list):
        for i, value in enumerate(data):
            if i < len(tree):
                tree[i] = _merge(tree[i], value)
            else:
                tree.append(value)
        del tree[len(data):]
        return tree
    if tree == data and type(tree) is type(data):
        return tree
    return data


class ExternalChangeError(Exception):
    """The file changed on disk since it was loaded; saving would lose someone's edit."""


def render_yaml(tree: Any) -> str:
    buf = io.StringIO()
    _yaml("rt").dump(tree, buf)
    return buf.getvalue()


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
            if backup:
                bak = path.with_name(path.name + ".bak")
                with open(path, "rb") as src:
                    old = src.read()
                _write_plain(bak, old)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _write_plain(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_document(doc: Document, design: Design, *, force: bool = False) -> Document:
    """Save `design` over `doc.path`, keeping comments; refuse if the file changed on disk."""
    if not force and doc.path.exists() and doc.digest is not None:
        if digest_bytes(doc.path.read_bytes()) != doc.digest:
            raise ExternalChangeError(f"{doc.path} changed on disk since it was loaded")
    tree = _merge(doc.tree, design.to_data()) if doc.tree is not None else design.to_data()
    text = render_yaml(tree)
    data = text.encode("utf-8")
    atomic_write(doc.path, data)
    return Document(doc.path, design, tree, digest_bytes(data))


def new_document(path: str | Path, design: Design) -> Document:
    """A document for a file that does not exist yet (first save creates it)."""
    return Document(Path(path), design, None, None)
