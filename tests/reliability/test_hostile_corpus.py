"""A generated corpus of hostile inputs through every command, as real subprocesses.

What the hostile review of issue 12 did, at a size CI affords: broken design files (empty,
binary, BOM, huge, deep, huge numbers, lone surrogates, TOML datetimes, special files ...),
valid designs whose every text is hostile (quotes, brackets, `-->`, `end`, `%%`, HTML,
newlines, `$$\\frac{`, bidi controls) in YAML, JSON and TOML, and hostile import sources.
Every command (validate, lint, recommend, report, export in each format, import of each
kind, schema) must end within a timeout, without a traceback, with either a located
error (`FILE:LINE:COL: message`, exit 1) or a correct accept; exported Mermaid must pass
the real parser. Run alone with `pytest -m reliability tests/reliability`.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.mermaid import mermaid_missing, parse_mermaid

pytestmark = pytest.mark.reliability

TIMEOUT = 60.0
"""A command still running after this long is a hang (the slowest here takes ~2 s)."""
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): \S")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
TEXT_FORMATS = (
    "mermaid",
    "mermaid-c4",
    "storm-mermaid",
    "markdown",
    "dot",
    "svg",
    "json",
    "toml",
    "yaml",
)
MERMAID_FORMATS = ("mermaid", "mermaid-c4", "storm-mermaid")


def stratus(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m stratus_tui ARGS` in `cwd`, stdin closed, bounded in time."""
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"},
        check=False,
    )
    shown = " ".join(args)
    assert "Traceback" not in proc.stderr + proc.stdout, (shown, proc.stderr[-2000:])
    assert proc.returncode in (0, 1), (shown, proc.returncode, proc.stderr[-1000:])
    assert not BIDI.search(proc.stderr), (shown, "a raw bidi control in a message")
    return proc


def assert_located(proc: subprocess.CompletedProcess[str], file: str) -> None:
    """Exit 1 with every stderr line `FILE:LINE:COL: message` for the file given."""
    assert proc.returncode == 1, (proc.args, proc.stdout[-500:])
    lines = proc.stderr.strip().splitlines()
    assert lines, proc.args
    for line in lines:
        found = LOCATED.match(line)
        assert found is not None, (proc.args, line)
        assert found["file"] == file, (proc.args, line)


# ----------------------------------------------------------------------------- broken files

HEAD = b"stratus: 1\nname: X\n"


def _block_nesting(levels: int) -> bytes:
    keys = b"".join(b" " * (i + 1) + b"k%d:\n" % i for i in range(levels))
    return HEAD + b"context:\n" + keys + b" " * (levels + 1) + b"v\n"


BROKEN: dict[str, bytes] = {
    "empty.yaml": b"",
    "blank.yaml": b"\n  \n\t\n",
    "bom-only.yaml": b"\xef\xbb\xbf",
    "comments.yaml": b"# a\n# b\n",
    "binary.yaml": bytes(range(256)) * 4,
    "png.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "latin1.yaml": b"stratus: 1\nname: caf\xe9\n",
    "utf16.yaml": "stratus: 1\nname: X\n".encode("utf-16"),
    "scalar.yaml": b"just words\n",
    "list.yaml": b"- a\n- b\n",
    "tabs.yaml": b"stratus: 1\nname: X\nservices:\n\t- id: a\n",
    "unclosed.yaml": b'stratus: 1\nname: "unclosed\n',
    "huge-int.yaml": HEAD + b"services:\n  - {id: a, replicas: " + b"7" * 5000 + b"}\n",
    "huge-int.json": b'{"stratus": 1, "name": "X", "services": [{"id": "a", "replicas": '
    + b"7" * 5000
    + b"}]}",
    "huge-int.toml": b'stratus = 1\nname = "X"\n[[services]]\nid = "a"\nreplicas = '
    + b"7" * 5000
    + b"\n",
    "big-retries.yaml": HEAD + b"services: [{id: a}, {id: b}]\ndependencies:\n"
    b"  - {from: a, to: b, timeout_ms: 10, retries: " + b"9" * 300 + b"}\n",
    "inf-cost.yaml": HEAD + b"services:\n  - {id: a, monthly_cost_usd: 1.7e308}\n"
    b"  - {id: b, monthly_cost_usd: 1.7e308}\n",
    "nan.yaml": HEAD + b"discovery: {workload: {peak_rps: .nan}}\n",
    "block-500.yaml": _block_nesting(500),
    "block-1200.yaml": _block_nesting(1200),
    "flow-deep.yaml": HEAD + b"context: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "seq-deep.yaml": HEAD + b"context:\n" + b"".join(b"  " * i + b"-\n" for i in range(400)),
    "deep.toml": b'stratus = 1\nname = "X"\ncontext = ' + b"[" * 3000 + b"]" * 3000 + b"\n",
    "deep-inline.toml": b'stratus = 1\nname = "X"\ncontext = '
    + b"{a = " * 2000
    + b"1"
    + b"}" * 2000
    + b"\n",
    "deep.json": b'{"stratus": 1, "name": "X", "context": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "surrogate.json": b'{"stratus": 1,\n "name": "a\\udc00b"}',
    "surrogate-pair-half.json": b'{"stratus": 1,\n "name": "a\\ud83d"}',
    "datetime-name.toml": b"stratus = 1\nname = 1979-05-27T07:32:00Z\n",
    "time-title.toml": b'stratus = 1\nname = "X"\n[[decisions]]\nid = "d"\ntitle = 07:32:00\n',
    "alias-bomb.yaml": b"stratus: 1\nname: &a [x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        b"%c: &%c [%s]\n" % (k, k, b", ".join([b"*%c" % p] * 9))
        for p, k in zip(b"abcdef", b"bcdefg", strict=True)
    ),
    "python-tag.yaml": b"stratus: 1\nname: !!python/object/apply:os.system [id]\n",
    "dup-key.yaml": b"stratus: 1\nname: X\nname: Y\n",
    "dup-key.json": b'{"stratus": 1,\n "name": "X",\n "name": "Y"}',
    "truncated.json": b'{"stratus": 1, "name": "X", "services": [{"id": ',
    "wrong-types.yaml": HEAD + b"services:\n  - {id: a, replicas: true, metrics: yes}\n",
    "bad-id.yaml": HEAD + b'services:\n  - id: "a b\\u202e"\n',
    "newer.yaml": b"stratus: 99\nname: X\n",
}


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes


def _cases() -> list[Case]:
    return [Case(name, data) for name, data in BROKEN.items()]


# Every reader loads through one function: the whole list runs on a few inputs, and the
# cheap list (reader, folder writer, importer) on every input.
EVERY_READER = {"empty.yaml", "huge-int.json", "block-1200.yaml", "surrogate.json", "deep.toml"}


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_broken_file_is_a_located_error_for_every_reader(tmp_path: Path, case: Case) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.data)
    readers = [["validate", case.name], ["export", case.name, "--format", "all", "-o", "docs"]]
    if case.name in EVERY_READER:
        readers += [
            ["lint", case.name],
            ["recommend", case.name],
            ["report", case.name],
            ["export", case.name, "--format", "mermaid"],
        ]
    for args in readers:
        assert_located(stratus(tmp_path, *args), case.name)
    assert path.read_bytes() == case.data
    assert not (tmp_path / "docs").exists()
    # The same bytes as an import source: a located error or an import, never a crash.
    proc = stratus(tmp_path, "import", case.name, "-o", "imported.yaml")
    if proc.returncode == 1:
        assert_located(proc, case.name)


def test_huge_and_special_files_are_refused_quickly(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as fh:  # just past the 64 MB limit, mostly one comment
        fh.write(b"stratus: 1\nname: X\n# ")
        fh.truncate(64 * 1024 * 1024 + 100)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for name in ("huge.yaml", "fifo.yaml", "/dev/zero", "/dev/null"):
        for args in (["validate", name], ["import", name, "-o", "x.yaml"]):
            proc = stratus(tmp_path, *args)
            assert proc.returncode == 1
            assert proc.stderr.startswith(f"{name}: "), proc.stderr
    assert not (tmp_path / "x.yaml").exists()


# ----------------------------------------------------------------------------- hostile, valid

HOSTILE_TEXT = (
    'Say "hi"',
    "it's",
    "a [b] {c} (d)",
    "a --> b -.-> c ==> d",
    "end",
    "subgraph x",
    "%%{init: {'theme':'dark'}}%%",
    "%% comment",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a &amp; b #quot; c",
    "C# / F#; x:y",
    "`code` *em* _u_",
    "line1\nline2\r\nline3",
    "$$\\frac{$$",
    "$$x$$ costs $5",
    "\u202eevil\u202c and \u2066iso\u2069",
    "\x1b[31mred\x1b[0m",
    "tab\there",
    "émoji 🚀 中文",
    "   padded   ",
    "|pipe|",
    "\\N \\G \\\\",
    "click a call f()",
    "---",
    "# heading",
)
TRAP_IDS = ("end", "click", "graph", "subgraph", "style", "classDef", "o1", "x1", "a.b-c_d")


def hostile_design(seed: int, services: int) -> dict[str, Any]:
    """A valid design whose every text is drawn from HOSTILE_TEXT and ids are traps."""
    rnd = random.Random(seed)

    def text() -> str:
        return " ".join(rnd.sample(HOSTILE_TEXT, rnd.randint(1, 3)))

    ids = [*TRAP_IDS, *(f"s{i}" for i in range(services))][:services]
    comps = [
        {
            "id": sid,
            "name": text(),
            "description": text(),
            "context": text(),
            "owns": [text()],
            "owner": text(),
            "replicas": rnd.randint(0, 3),
            "monthly_cost_usd": rnd.choice([0, 1e12, 12.5]),
            "slo": {"availability": rnd.choice([0, 99.9, 100]), "latency_p99_ms": 1e12},
        }
        for sid in ids
    ]
    deps = [
        {
            "from": ids[i],
            "to": ids[(i + 1) % len(ids)],
            "mode": rnd.choice(["sync", "async"]),
            "label": text(),
            "protocol": text(),
            "timeout_ms": rnd.choice([1, 1e12]),
            "retries": rnd.choice([0, 1_000_000]),
        }
        for i in range(len(ids) - 1)
    ]
    kinds = ["event", "command", "actor", "aggregate", "policy", "read_model", "external"]
    return {
        "stratus": 1,
        "name": text(),
        "scope": text(),
        "context": text(),
        "discovery": {
            "workload": {"peak_rps": 1e12, "growth_18m": 1e12},
            "budget": {"monthly_usd": 0},
            "current": {"pain_points": [text()]},
        },
        "services": comps,
        "datastores": [{"id": "db", "name": text(), "kind": text()}],
        "externals": [{"id": "ext", "name": text(), "description": text()}],
        "dependencies": deps,
        "failure_modes": [
            {"id": "fm", "component": ids[0], "failure": text(), "mitigation": text()}
        ],
        "decisions": [
            {
                "id": f"d{i}",
                "title": text(),
                "status": "accepted",
                "context": text(),
                "rationale": text(),
                "alternatives": [text()],
                "deciders": [text()],
            }
            for i in range(3)
        ],
        "migration": [{"id": "m", "title": text(), "steps": [text()]}],
        "event_storming": {
            "contexts": [{"id": "bc", "name": text()}],
            "items": [
                {"id": f"e{i}", "kind": kinds[i % 7], "text": text(), "order": -1e12 + i}
                | ({"context": "bc"} if i % 2 else {})
                for i in range(10)
            ],
        },
        "accepted_risks": [{"rule": "spof", "reason": text()}],
    }


def _toml(data: dict[str, Any]) -> str:
    from stratus_tui.core.model import Design
    from stratus_tui.core.store.serialise import to_toml

    return to_toml(Design.model_validate(data))


HOSTILE_FILES = [("hostile-bom.yaml", 1, 9), ("hostile.json", 2, 12), ("hostile.toml", 3, 5)]


def _write_hostile(folder: Path, name: str, seed: int, services: int) -> Path:
    data = hostile_design(seed, services)
    path = folder / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif name.endswith(".toml"):
        path.write_text(_toml(data), encoding="utf-8")
    else:
        from stratus_tui.core.model import Design
        from stratus_tui.core.store.serialise import to_yaml

        text = to_yaml(Design.model_validate(data))
        bom = "\ufeff" if "bom" in name else ""
        path.write_text(bom + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "seed", "services"), HOSTILE_FILES, ids=lambda v: str(v))
def test_hostile_valid_design_through_every_command(
    tmp_path: Path, name: str, seed: int, services: int
) -> None:
    path = _write_hostile(tmp_path, name, seed, services)
    before = path.read_bytes()
    assert stratus(tmp_path, "validate", name).returncode == 0
    stratus(tmp_path, "lint", name)  # 0 or 1: findings are the point
    stratus(tmp_path, "lint", name, "--format", "json")
    for args in (["recommend", name], ["recommend", name, "--facts"], ["report", name]):
        proc = stratus(tmp_path, *args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "inf" not in re.findall(r"\b(?:inf|nan)\b", proc.stdout), args
        assert "nan" not in re.findall(r"\b(?:inf|nan)\b", proc.stdout), args
    mermaid: list[str] = []
    for fmt in TEXT_FORMATS:
        out = f"out.{fmt}"
        proc = stratus(tmp_path, "export", name, "--format", fmt, "-o", out)
        assert proc.returncode == 0, (fmt, proc.stderr)
        text = (tmp_path / out).read_text(encoding="utf-8")
        assert not re.search(r"\$(?:inf|nan)\b|\bnan %", text), fmt
        if fmt in MERMAID_FORMATS:
            mermaid.append(text)
            assert "$" not in text and "%%{" not in text and "<script" not in text, fmt
    for fmt in ("adr", "all"):
        proc = stratus(tmp_path, "export", name, "--format", fmt, "-o", f"docs-{fmt}")
        assert proc.returncode == 0, (fmt, proc.stderr)
    check = stratus(tmp_path, "export", name, "--format", "all", "-o", "docs-all", "--check")
    assert check.returncode == 0, check.stdout
    for record in (tmp_path / "docs-all" / "decisions").glob("*.md"):
        front = record.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert "<" not in front and "&" not in front, record.name
    # Data exports read back as the same design; the Mermaid export imports back.
    for fmt in ("json", "toml", "yaml"):
        (tmp_path / f"back.{fmt}").write_bytes((tmp_path / f"out.{fmt}").read_bytes())
        assert stratus(tmp_path, "validate", f"back.{fmt}").returncode == 0, fmt
    (tmp_path / "back.mmd").write_bytes((tmp_path / "out.mermaid").read_bytes())
    proc = stratus(tmp_path, "import", "back.mmd", "-o", "imported.yaml")
    assert proc.returncode == 0, proc.stderr
    assert stratus(tmp_path, "validate", "imported.yaml").returncode == 0
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.rglob("*.tmp")]
    if mermaid_missing() is None:
        for fmt, result in zip(MERMAID_FORMATS, parse_mermaid(mermaid), strict=True):
            assert result["ok"], (fmt, result.get("error"))


# ----------------------------------------------------------------------------- import sources


def _compose(names: list[str]) -> str:
    services = {
        n: {"image": "x", "environment": [f"URL=http://{names[(i + 1) % len(names)]}:80"]}
        for i, n in enumerate(names)
    }
    return json.dumps({"services": services}, ensure_ascii=False)  # JSON is YAML


def _kubernetes(names: list[str]) -> str:
    docs = [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": n, "annotations": {"note": HOSTILE_TEXT[i % len(HOSTILE_TEXT)]}},
            "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}},
        }
        for i, n in enumerate(names)
    ]
    return "\n---\n".join(json.dumps(d, ensure_ascii=False) for d in docs)


def _mermaid_source() -> str:
    lines = ["flowchart LR"]
    for i, text in enumerate(HOSTILE_TEXT):
        label = text.replace('"', "#quot;").replace("\n", "<br>")
        lines.append(f'  n{i}["{label}"] -->|"{label}"| n{(i + 1) % len(HOSTILE_TEXT)}')
    lines.append("  end")  # a stray keyword: skipped or a located error, never a crash
    return "\n".join(lines) + "\n"


IMPORTS: dict[str, tuple[str, str]] = {
    "compose.yaml": ("compose", _compose(["web", "api", "db-main", "x_1", "a.b"])),
    "compose-hostile.yaml": ("compose", _compose(["end", "o1", "sub graph", "$$x$$", "ü"])),
    "k8s.yaml": ("kubernetes", _kubernetes(["web", "api", "end", "click"])),
    "diagram.mmd": ("mermaid", _mermaid_source()),
    "doc.md": ("mermaid", "# Title\n\n```mermaid\n" + _mermaid_source() + "```\n"),
    "deep.yaml": (
        "compose",
        "services:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(600)),
    ),
    "bomb.yaml": ("compose", BROKEN["alias-bomb.yaml"].decode()),
    "not-mermaid.mmd": ("mermaid", "sequenceDiagram\n  A->>B: hi\n"),
    "garbage.mmd": ("mermaid", 'flowchart LR\n  a["unclosed --> b\n  ]]]] {{{{\n'),
}


@pytest.mark.parametrize("name", list(IMPORTS))
def test_hostile_import_sources(tmp_path: Path, name: str) -> None:
    kind, text = IMPORTS[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    for args in (
        ["import", name, "-o", "a.yaml"],
        ["import", name, "-o", "b.json", "--kind", kind],
    ):
        proc = stratus(tmp_path, *args)
        if proc.returncode == 1:
            assert_located(proc, name)
            assert not (tmp_path / args[3]).exists()
        else:
            assert stratus(tmp_path, "validate", args[3]).returncode == 0, args


def test_schema_documents_the_bounds(tmp_path: Path) -> None:
    proc = stratus(tmp_path, "schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    retries = schema["$defs"]["Dependency"]["properties"]["retries"]["anyOf"][0]
    cost = schema["$defs"]["Service"]["properties"]["monthly_cost_usd"]["anyOf"][0]
    assert retries["maximum"] == 1_000_000 and cost["maximum"] == 1e12
