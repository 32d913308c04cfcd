"""YAML in and out, safely: decoding, guards, fast and round-trip parsing, positions.

Shared by design files (`core.store`), pattern files (`core.patterns`), price tables and
importers, so it sits below all of them and imports only `core.problems`.

Two parsers, chosen per path (measured by benchmarks/bench_load.py):

- read-only paths (validate, lint, export) use the fastest *safe* loader available: the
  C-based loader when the platform has one, else ruamel's pure-Python safe loader;
- editing paths use ruamel's round-trip loader, which keeps comments, key order and
  quoting, and is also how positions are found when something is wrong.

Neither ever constructs Python objects. Before either runs, a cheap event pass rejects
YAML alias bombs (aliases that expand past a node budget), recursive aliases and
non-standard tags such as ``!!python/object``, so time and memory stay bounded.
"""

from __future__ import annotations

import functools
import io
import os
import re
import stat
from typing import Any, ClassVar, NoReturn

from .problems import DesignError, Problem

ALIAS_NODE_BUDGET = 100_000
"""Most nodes that aliases (``*name``) may add to a document when expanded."""

MAX_FLOW_DEPTH = 100
"""Deepest `[`/`{` nesting accepted (a design needs about four)."""

MAX_DEPTH = 100
"""Deepest nesting of mappings and lists, block or flow (a design needs about five):
deeper documents made the validator's salvage and the position lookup recurse out."""

MAX_INT_DIGITS = 4300
"""Python refuses to read longer integers (CVE-2020-10735); so do we, with a location."""

_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary")
)


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MISSING = object()


def _lenient_timestamps(base: Any) -> Any:
    """`base` constructor class whose impossible dates (2026-13-45) stay text.

    The date then fails validation with its line and column, instead of a ValueError
    escaping from the parser as a traceback.
    """

    class Lenient(base):  # type: ignore[misc]
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except (ValueError, OverflowError):
                return str(node.value)

    Lenient.add_constructor(_TIMESTAMP, Lenient.construct_yaml_timestamp)
    return Lenient


@functools.cache
def _constructor(typ: str) -> Any:
    from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor

    return _lenient_timestamps(RoundTripConstructor if typ == "rt" else SafeConstructor)


def _yaml(typ: str) -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ=typ)
    if typ in ("rt", "safe"):
        y.Constructor = _constructor(typ)
    if typ == "rt":
        y.preserve_quotes = True
        y.width = 4096
        y.indent(mapping=2, sequence=4, offset=2)
    return y


MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest design file read (a 5,000-service design is about 4 MB)."""


class ReadRefused(Exception):
    """A path that is not a regular file, or too large, to read as a design or source."""


def read_bounded(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    A FIFO is opened without blocking and refused, as are devices (`/dev/zero` would be
    read until memory runs out), sockets and folders; a larger file is refused too.
    Raises ReadRefused (say why) or OSError (cannot open).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kinds = (
                (stat.S_ISDIR, "a folder"),
                (stat.S_ISFIFO, "a FIFO (named pipe)"),
                (stat.S_ISCHR, "a device"),
                (stat.S_ISBLK, "a device"),
                (stat.S_ISSOCK, "a socket"),
            )
            kind = next((name for test, name in kinds if test(mode)), "not a regular file")
            raise ReadRefused(f"is {kind}, not a file: give the file itself")
        # Chunks, not read(limit + 1): that allocates the whole limit up front.
        chunks: list[bytes] = []
        size = 0
        while size <= limit and (chunk := fh.read(1 << 20)):
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        raise ReadRefused(f"is larger than {limit:,} bytes: refusing to read it")
    return b"".join(chunks)


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text of a file's bytes, or a DesignError naming where it is not text."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(raw, nul)
        raise DesignError(
            [Problem("binary data (a NUL byte): a design file is YAML text", (), file, line, col)]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise DesignError(
            [
                Problem(
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): a design file is "
                    "UTF-8 YAML text",
                    (),
                    file,
                    line,
                    col,
                )
            ]
        ) from None
    return text


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", errors="replace")) + 1


def _mark_problem(exc: Any, file: str, prefix: str = "YAML syntax error") -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    if "duplicate key" in problem:
        m = re.search(r"duplicate key (\"[^\"]*\"|'[^']*'|\S+)", problem)
        key = m.group(1) if m else ""
        return Problem(f"duplicate key {key}: each key may appear once", (), file, line, col)
    if "could not determine a constructor for the tag" in problem:
        return _tag_problem(problem.rsplit("tag", 1)[-1].strip(" '\""), file, line, col)
    msg = "; ".join(x for x in (context, problem) if x) or str(exc).splitlines()[0]
    return Problem(f"{prefix}: {msg}", (), file, line, col)


def _tag_problem(tag: str, file: str, line: int | None, col: int | None) -> Problem:
    short = tag.replace("tag:yaml.org,2002:", "!!")
    if "python/" in tag:
        why = (
            f"Python object tag {short} is not allowed: a design file holds plain "
            "values and is never turned into Python objects"
        )
    else:
        why = f"unsupported tag {short}: a design file uses plain YAML values without tags"
    return Problem(why, (), file, line, col)


def guard(text: str, file: str) -> None:
    """Reject alias bombs, recursive aliases and non-standard tags before constructing.

    Walks parser events only (linear time, no objects built), counting how many nodes
    each anchor stands for, so an alias bomb is refused at the alias that crosses the
    budget with its line and column.
    """
    _check_flow_depth(text, file)
    if "&" not in text and "!" not in text:
        return  # no anchors and no tags: nothing to guard against
    from ruamel.yaml import events as ev
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, node count] per open collection
    added = 0
    try:
        for event in _yaml("safe").parse(text):
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and tag not in _CORE_TAGS:
                mark = event.start_mark
                raise DesignError([_tag_problem(tag, file, mark.line + 1, mark.column + 1)])
            if isinstance(event, ev.AliasEvent):
                if any(frame[0] == event.anchor for frame in stack):
                    _refuse(
                        event,
                        file,
                        f"recursive alias *{event.anchor}: it refers to a node that contains it",
                    )
                size = sizes.get(event.anchor, 1)
                added += size
                stack[-1][1] += size
                if added > ALIAS_NODE_BUDGET:
                    _refuse(
                        event,
                        file,
                        f"aliases expand to more than {ALIAS_NODE_BUDGET:,} "
                        "nodes (alias bomb?); write the values out instead",
                    )
            elif isinstance(event, ev.ScalarEvent):
                stack[-1][1] += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, ev.CollectionStartEvent):
                stack.append([event.anchor, 1])
            elif isinstance(event, ev.CollectionEndEvent):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                stack[-1][1] += size
    except MarkedYAMLError as exc:
        raise DesignError([_mark_problem(exc, file)]) from None
    except YAMLError as exc:
        raise DesignError([Problem(f"YAML error: {exc}", (), file, 1, 1)]) from None


_FLOW_MARKS = re.compile(r"[\[\]{}'\"#]")
"""What the nesting check stops at: brackets, quotes and comment marks."""


def _check_flow_depth(text: str, file: str) -> None:
    """Refuse absurd `[[[[...` nesting up front: the parser is quadratic in it."""
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return
    # Jump from mark to mark, and over a quoted string or a comment whole (a walk over
    # every character, then over every line end, was ~15 % then ~6 % of loading a
    # 1,000-service design written with flow lists); the line is counted only for a
    # refusal. Same answers and positions (tests/core/test_flow_depth_scan.py).
    depth, at, search = 0, 0, _FLOW_MARKS.search
    while (m := search(text, at)) is not None:
        at = m.start()
        ch = text[at]
        if ch in "'\"#":
            at = text.find("\n" if ch == "#" else ch, at + 1)
            if at < 0:
                return  # the rest is quoted or a comment
        elif ch in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                why = f"nested more than {MAX_FLOW_DEPTH} levels deep"
                line = text.count("\n", 0, at) + 1
                col = at - (text.rfind("\n", 0, at) + 1) + 1
                raise DesignError([Problem(why, (), file, line, col)])
        else:
            depth = max(0, depth - 1)
        at += 1


def _refuse(event: Any, file: str, message: str) -> NoReturn:
    mark = event.start_mark
    raise DesignError([Problem(message, (), file, mark.line + 1, mark.column + 1)])


def _pyyaml() -> Any:
    """The PyYAML module if it is installed with libyaml, else None (typed loosely)."""
    import importlib

    try:
        module = importlib.import_module("yaml")
    except ImportError:
        return None
    return module if getattr(module, "__with_libyaml__", False) else None


def parse_text(text: str, file: str, *, round_trip: bool = False) -> Any:
    """Parse YAML text (guarded); raise DesignError with the position on failure."""
    marked: tuple[type[Exception], ...] = ()
    other: tuple[type[Exception], ...] = ()
    if round_trip or _C_LOADER is None:  # only ruamel's loaders raise ruamel's errors
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        marked, other = (MarkedYAMLError,), (YAMLError,)
    guard(text, file)
    try:
        data = _yaml("rt").load(text) if round_trip else fast_load(text)
    except _C_ERRORS as exc:
        if getattr(exc, "problem_mark", None) is None:
            raise DesignError(
                [Problem(f"YAML error: {exc}".splitlines()[0], (), file, 1, 1)]
            ) from None
        raise DesignError([_mark_problem(exc, file)]) from None
    except marked as exc:
        raise DesignError([_mark_problem(exc, file)]) from None
    except other as exc:
        raise DesignError([Problem(f"YAML error: {exc}".splitlines()[0], (), file, 1, 1)]) from None
    except RecursionError:
        raise DesignError([depth_problem(text, file)]) from None
    except ValueError as exc:  # an integer past Python's digit limit, and the like
        raise DesignError([value_problem(exc, text, file)]) from None
    if _maybe_deep(text):
        check_depth(data, text, file)
    return data


# A line indented this far is the only way block YAML gets near MAX_DEPTH levels
# (flow nesting is bounded by MAX_FLOW_DEPTH); below it, the walk is skipped.
_DEEP_INDENT = re.compile(rf"^[ \t-]{{{MAX_DEPTH // 3}}}", re.MULTILINE)


def _maybe_deep(text: str) -> bool:
    return _DEEP_INDENT.search(text) is not None


def too_deep(data: Any) -> bool:
    """Whether mappings and lists nest more than MAX_DEPTH levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > MAX_DEPTH:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def check_depth(data: Any, text: str, file: str) -> None:
    """DesignError at the first collection nested deeper than MAX_DEPTH."""
    if isinstance(data, dict | list) and too_deep(data):
        raise DesignError([depth_problem(text, file)])


def depth_problem(text: str, file: str) -> Problem:
    """'nested too deeply', at the first collection past MAX_DEPTH levels when the
    text's YAML events (flat, no recursion; JSON is YAML too) can say where."""
    message = f"nested more than {MAX_DEPTH} levels deep (a design needs about five)"
    from ruamel.yaml import events as ev
    from ruamel.yaml.error import YAMLError

    depth = 0
    try:
        for event in _yaml("safe").parse(text):
            if isinstance(event, ev.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Problem(message, (), file, mark.line + 1, mark.column + 1)
            elif isinstance(event, ev.CollectionEndEvent):
                depth -= 1
    except (YAMLError, RecursionError, ValueError):
        pass
    return Problem(message, (), file, 1, 1)


_LONG_DIGITS = re.compile(rf"\d{{{MAX_INT_DIGITS + 1},}}")


def value_problem(exc: ValueError, text: str, file: str) -> Problem:
    """A parser's ValueError as a located problem (the over-long integer, found in the
    text, or line 1)."""
    found = _LONG_DIGITS.search(text)
    if found is not None and "digits" in str(exc):
        start = found.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        return Problem(
            f"a number with {len(found.group()):,} digits; numbers in a design have at most "
            f"{MAX_INT_DIGITS:,}",
            (),
            file,
            line,
            col,
        )
    return Problem(f"unreadable value: {str(exc).splitlines()[0][:200]}", (), file, 1, 1)


YAML12_RESOLVERS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (
        "tag:yaml.org,2002:bool",
        r"^(?:true|True|TRUE|false|False|FALSE)$",
        re.X,
        ("t", "T", "f", "F"),
    ),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
        ("-", "+", *"0123456789", "."),
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
        ("-", "+", *"0123456789"),
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", 0, ("<",)),
    (
        "tag:yaml.org,2002:null",
        r"""^(?: ~
        |null|Null|NULL
        | )$""",
        re.X,
        ("~", "n", "N", ""),
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        re.X,
        tuple("0123456789"),
    ),
)
"""ruamel's YAML 1.2 core-schema resolvers (tag, pattern, flags, first characters, ""
for the empty scalar), written out so loading never imports ruamel (~20 ms of every
command); tests/core/test_yaml12_resolvers.py checks they are ruamel's."""


def _c_safe_loader() -> Any:
    """PyYAML's libyaml-based safe loader, taught YAML 1.2 like ruamel's, if installed.

    ruamel.yaml 0.19 ships no C loader here, and its pure-Python one takes ~3 s for a
    1,000-service design. When PyYAML with libyaml is importable we parse with it, using
    ruamel's YAML 1.2 core-schema resolvers (so `yes`/`on` stay strings, `010` is ten)
    and refusing duplicate keys as ruamel does. Otherwise: None.
    """
    yaml = _pyyaml()
    if yaml is None:
        return None
    constructor_error = yaml.constructor.ConstructorError

    class Loader(yaml.CSafeLoader):  # type: ignore[misc, name-defined]
        yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            # Cheap test on the raw key text first; build keys only when two look alike.
            raw = [k.value for k, _v in node.value if isinstance(k.value, str)]
            if len(set(raw)) != len(raw):
                seen: set[Any] = set()
                for key_node, _value in node.value:
                    key = self.construct_object(key_node, deep=True)
                    if isinstance(key, str | int | float | bool) and key in seen:
                        raise constructor_error(
                            None, None, f'found duplicate key "{key}"', key_node.start_mark
                        )
                    if isinstance(key, str | int | float | bool):
                        seen.add(key)
            return super().construct_mapping(node, deep=deep)

    for tag, pattern, flags, first in YAML12_RESOLVERS:
        Loader.add_implicit_resolver(tag, re.compile(pattern, flags), list(first))
    if None not in Loader.yaml_implicit_resolvers and not Loader.yaml_path_resolvers:
        _fast_resolution(Loader, yaml)
    Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    Loader.add_constructor(_TIMESTAMP, _construct_timestamp)
    Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    return Loader


def _fast_resolution(loader_class: Any, yaml: Any) -> None:
    """Teach `loader_class` PyYAML's tag resolution without its generic machinery.

    libyaml's composer calls back into Python for every node: `resolve` for its tag and
    `descend_resolver`/`ascend_resolver` around it (~75,000 nodes at 1,000 services,
    ~10 % of loading). With no path resolvers and no wildcard implicit resolver (checked
    by the caller), the two walk hooks do nothing and a plain scalar's tag depends on its
    text alone: the implicit resolvers for its first character are tried once per
    distinct text within one document. Same tags as `BaseResolver.resolve` (property
    test in tests/core/test_plain_construct.py).
    """
    by_first = {k: tuple(v) for k, v in loader_class.yaml_implicit_resolvers.items()}
    scalar_node = yaml.nodes.ScalarNode
    plain_tag = loader_class.DEFAULT_SCALAR_TAG
    generic = yaml.resolver.BaseResolver.resolve
    base_init = loader_class.__init__

    def __init__(self: Any, stream: Any) -> None:
        base_init(self, stream)
        self.plain_tags = {}

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is scalar_node and implicit[0]:
            tag = self.plain_tags.get(value)
            if tag is None:
                tag = plain_tag
                for candidate, regexp in by_first.get(value[:1], ()):  # "" for ""
                    if regexp.match(value):
                        tag = candidate
                        break
                self.plain_tags[value] = tag
            return tag
        return generic(self, kind, value, implicit)

    def no_path(self: Any, *_args: Any) -> None:
        return None

    loader_class.__init__ = __init__
    loader_class.resolve = resolve
    loader_class.descend_resolver = no_path
    loader_class.ascend_resolver = no_path


def _construct_int(loader: Any, node: Any) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").lower()
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)  # YAML 1.2: a leading zero is not octal


def _construct_timestamp(loader: Any, node: Any) -> Any:
    """A date or datetime; an impossible one (2026-13-45) stays text for validation."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return str(node.value)


def _construct_float(loader: Any, node: Any) -> float:
    text = str(loader.construct_scalar(node)).replace("_", "").lower()
    if text.lstrip("+-") == ".inf":
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


_C_LOADER = _c_safe_loader()


def c_safe_loader_class() -> Any:
    """The YAML 1.2 libyaml loader class (duplicate keys refused), or None without libyaml."""
    return _C_LOADER


_C_ERRORS: tuple[type[BaseException], ...] = (_pyyaml().YAMLError,) if _C_LOADER is not None else ()
C_LOADER: str | None = "PyYAML CSafeLoader (libyaml)" if _C_LOADER is not None else None
"""Name of the C-based safe loader in use, or None for ruamel's pure-Python one."""


def fast_load(text: str) -> Any:
    """Plain data from YAML text with the fastest safe loader (YAML 1.2 core schema)."""
    if _C_LOADER is not None:
        loader = _C_LOADER(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            try:
                return _plain_data(loader, node)
            except _Unusual:
                return loader.construct_document(node)  # PyYAML's own construction
        finally:
            loader.dispose()
    return _yaml("safe").load(text)


class _Unusual(Exception):
    """A node `_plain_data` leaves to PyYAML's constructor (for the whole document)."""


_Y = "tag:yaml.org,2002:"
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_KEY_TAGS = frozenset(_Y + t for t in ("str", "int", "float", "bool", "null"))
_DEEPEST_PLAIN = 50
"""Deeper documents are PyYAML's (its recursion and depth errors stay as they were)."""


def _plain_data(loader: Any, root: Any) -> Any:
    """The composed document as PyYAML's constructor gives it, built in one direct walk
    for what design files hold: str, int, float, bool and null scalars (timestamps and
    other scalar tags through the loader's own constructors), lists, and mappings with
    scalar keys (an alias is the same object, as PyYAML makes it). PyYAML's generic
    construction was ~40 % of loading a design; merge keys, duplicate keys, collection
    tags and deep nesting raise `_Unusual`: those documents are PyYAML's whole."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    done: dict[int, Any] = {}
    str_tag, int_tag, null_tag = _Y + "str", _Y + "int", _Y + "null"
    bool_tag, float_tag = _Y + "bool", _Y + "float"

    def scalar(node: Any) -> Any:
        # Not remembered by node: an alias of a scalar gives an equal immutable value
        # (other tags: the loader's constructors remember their own objects).
        tag = node.tag
        if tag == str_tag:
            return node.value
        if tag == int_tag:
            text = node.value
            if text.isdigit() and text.isascii():  # plain decimal: most ints in a design
                return int(text)  # a leading zero is not octal in YAML 1.2
            return _construct_int(loader, node)
        if tag == null_tag:
            return None
        if tag == bool_tag and node.value in _BOOLS:
            return _BOOLS[node.value]
        if tag == float_tag:
            return _construct_float(loader, node)
        return loader.construct_object(node, deep=True)

    def build(node: Any, depth: int) -> Any:
        if type(node) is ScalarNode:
            return node.value if node.tag == str_tag else scalar(node)
        known = done.get(id(node), done)
        if known is not done:
            return known
        tag = node.tag
        if depth >= _DEEPEST_PLAIN:
            raise _Unusual
        if type(node) is SequenceNode and tag == _Y + "seq":
            items: list[Any] = []
            done[id(node)] = items
            items.extend(build(child, depth + 1) for child in node.value)
            return items
        if type(node) is MappingNode and tag == _Y + "map":
            keys = node.value
            if any(type(k) is not ScalarNode or k.tag not in _KEY_TAGS for k, _v in keys):
                raise _Unusual  # merge keys (<<), complex keys, odd tags
            if len({k.value for k, _v in keys}) != len(keys):
                raise _Unusual  # PyYAML refuses a duplicate key with its position
            mapping: dict[Any, Any] = {}
            done[id(node)] = mapping
            for k, v in keys:
                key = k.value if k.tag == str_tag else scalar(k)
                if type(v) is ScalarNode:
                    mapping[key] = v.value if v.tag == str_tag else scalar(v)
                else:
                    mapping[key] = build(v, depth + 1)
            return mapping
        raise _Unusual

    return build(root, 0)


def position_of(tree: Any, loc: tuple[str | int, ...], *, value: bool = False) -> tuple[int, int]:
    """1-based (line, column) of `loc` in a round-trip tree: the deepest part found.

    With `value`, a final mapping key points at its value rather than at the key.
    """
    node = tree
    line, col = 0, 0
    for i, part in enumerate(loc):
        lc = getattr(node, "lc", None)
        last = i == len(loc) - 1
        try:
            if isinstance(part, int) and isinstance(node, list):
                if lc is not None and part < len(node):
                    line, col = lc.item(part)
                node = node[part]
            elif isinstance(node, dict) and part not in node and isinstance(part, str):
                # a key written as a number or null, named by its text in `loc`
                key = next((k for k in node if str(k) == part), _MISSING)
                if key is _MISSING:
                    break
                if lc is not None:
                    line, col = lc.value(key) if value and last else lc.key(key)
                node = node[key]
            elif isinstance(node, dict) and part in node:
                if lc is not None:
                    line, col = lc.value(part) if value and last else lc.key(part)
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line + 1, col + 1


def render_yaml(tree: Any) -> str:
    """Text of a round-trip tree (or plain data) in the house layout."""
    buf = io.StringIO()
    _yaml("rt").dump(tree, buf)
    return buf.getvalue()


def plain(node: Any) -> Any:
    """A round-trip tree as plain dicts and lists (keys as strings) for validation."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node
