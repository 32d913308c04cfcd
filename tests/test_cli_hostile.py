"""The CLI used by a hostile, careful user: the real `python -m stratus_tui` in subprocesses.

Contract (spec/cli.md): a bad file gives one `FILE:LINE:COL: message` line per problem on
stderr and exit 1; a usage error exits 2; never a Python traceback; a failed command never
modifies the user's file and never leaves a half-written output behind. Every command
is run on every class of bad input, on a hostile but valid design (every text field full
of Mermaid, Markdown, HTML and shell metacharacters; ids like `end` and `click`), on
missing files, folders given as FILE, outputs under a file and outputs equal to the input.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.mermaid import mermaid_missing, parse_mermaid

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "sample_designs").glob("*.yaml"))
STRATUS = [sys.executable, "-m", "stratus_tui"]
TEXT_FORMATS = ("mermaid", "mermaid-c4", "storm-mermaid", "markdown", "dot", "svg", "json")
"""Formats that go to stdout (or to -o PATH); yaml and toml are the data formats."""
DATA_FORMATS = ("json", "toml", "yaml")
ESC = "\x1b"


def run(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `python -m stratus_tui ARGS` in `cwd`; stdin closed so nothing can wait on it."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run(
        [*STRATUS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        env=env,
        check=False,
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


def raw_html(markdown: str) -> list[str]:
    """The raw HTML a CommonMark renderer would pass through (markdown-it-py)."""
    from markdown_it import MarkdownIt

    found: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for t in [token, *(token.children or [])]:
            if t.type in ("html_inline", "html_block"):
                found.append(t.content)
    return found


def snapshot(path: Path) -> tuple[bytes, int]:
    """A file's bytes and mtime: both must survive a failed command."""
    return path.read_bytes(), path.stat().st_mtime_ns


# ----------------------------------------------------------------------------- bad input

ALIAS_BOMB = "stratus: 1\nname: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefg", "bcdefgh", strict=True)
)


@dataclass(frozen=True)
class Bad:
    """One class of bad input: file name, bytes, where the first problem is, what it says."""

    name: str
    data: bytes
    line: int | None
    fragment: str


BAD_INPUTS = [
    Bad("syntax.yaml", b"stratus: 1\nname: [unclosed\n", 3, "YAML syntax error"),
    Bad("unknown.yaml", b"stratus: 1\nname: X\nservcies: []\n", 3, "did you mean 'services'"),
    Bad(
        "wrong-type.yaml",
        b"stratus: 1\nname: X\nservices:\n  - id: a\n    replicas: many\n",
        5,
        "replicas",
    ),
    Bad(
        "bad-enum.yaml",
        b"stratus: 1\nname: X\nservices:\n  - id: a\n    secrets: sometimes\n",
        5,
        "'vault'",
    ),
    Bad(
        "duplicate.yaml",
        b"stratus: 1\nname: X\nservices:\n  - id: a\n  - id: a\n",
        5,
        "duplicate id 'a'",
    ),
    Bad(
        "dangling.yaml",
        b"stratus: 1\nname: X\nservices:\n  - id: a\ndependencies:\n  - {from: a, to: zz}\n",
        6,
        "'zz'",
    ),
    Bad(
        "malformed-id.yaml",
        b'stratus: 1\nname: X\nservices:\n  - id: "-bad id"\n',
        4,
        "not a valid id",
    ),
    Bad("newer.yaml", b"stratus: 99\nname: X\n", 1, "version 99"),
    Bad("list.yaml", b"- stratus: 1\n- name: X\n", 1, "mapping"),
    Bad("scalar.yaml", b"just words\n", 1, "mapping"),
    Bad("empty.yaml", b"", 1, "empty"),
    Bad("comments.yaml", b"# nothing here\n# at all\n", 1, "comments"),
    Bad("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", 3, "binary"),
    Bad("latin1.yaml", b"stratus: 1\nname: caf\xe9\n", 2, "UTF-8"),
    Bad("bomb.yaml", ALIAS_BOMB.encode(), None, "alias"),
    Bad(
        "python-tag.yaml",
        b'stratus: 1\nname: !!python/object/apply:os.system ["touch PWNED"]\n',
        2,
        "not allowed",
    ),
    Bad(
        "deep.yaml",
        b"stratus: 1\nname: X\ncontext: " + b"[" * 3000 + b"]" * 3000 + b"\n",
        3,
        "nested",
    ),
    Bad(  # once a ValueError traceback from the YAML parser
        "impossible-date.yaml",
        b"stratus: 1\nname: X\ndecisions:\n  - {id: a, title: t, date: 2026-02-30}\n",
        4,
        "expected a date",
    ),
    Bad(  # once crashed lint, report and the design document (OverflowError)
        "infinite.yaml",
        b"stratus: 1\nname: X\ndiscovery:\n  workload: {peak_rps: .inf}\n"
        b"services:\n  - {id: a, monthly_cost_usd: .nan}\n",
        4,
        "finite number",
    ),
    Bad(
        "duplicate-key.json", b'{"stratus": 1,\n "name": "X",\n "name": "Y"}\n', 3, "duplicate key"
    ),
    Bad("unknown.json", b'{"stratus": 1,\n "name": "X",\n "servcies": []}\n', 3, "did you mean"),
    Bad("syntax.json", b'{"stratus": 1,\n "name": "X",,\n}\n', 2, "JSON"),
    Bad("bad.toml", b'stratus = 1\nname = "X"\n[discovery.team]\nengineers = "many"\n', 4, ""),
    # Issue 12, item 12: each was a traceback (ValueError, RecursionError, OverflowError).
    Bad(
        "huge-int.yaml",
        b"stratus: 1\nname: X\nservices:\n  - {id: a, replicas: " + b"9" * 5000 + b"}\n",
        4,
        "5,000 digits",
    ),
    Bad(
        "huge-int.json",
        b'{"stratus": 1,\n "name": "X",\n "services": [{"id": "a", "replicas": '
        + b"9" * 5000
        + b"}]}\n",
        3,
        "5,000 digits",
    ),
    Bad(
        "huge-int.toml",
        b'stratus = 1\nname = "X"\n[[services]]\nid = "a"\nreplicas = ' + b"9" * 5000 + b"\n",
        5,
        "5,000 digits",
    ),
    Bad(
        "huge-retries.yaml",
        b"stratus: 1\nname: X\nservices:\n  - {id: a}\n  - {id: b}\ndependencies:\n"
        b"  - {from: a, to: b, timeout_ms: 100, retries: " + b"9" * 400 + b"}\n",
        7,
        "at most 1000000",
    ),
    Bad(
        "block-nesting.yaml",
        b"stratus: 1\nname: X\ncontext:\n"
        + b"".join(b" " * (i + 1) + b"k%d:\n" % i for i in range(600))
        + b" " * 601
        + b"v\n",
        103,
        "nested more than 100 levels",
    ),
    Bad(
        "deep.toml",
        b'stratus = 1\nname = "X"\ncontext = ' + b"[" * 2000 + b"]" * 2000 + b"\n",
        3,
        "nested",
    ),
    Bad(
        "deep-tables.toml",
        b'stratus = 1\nname = "X"\ncontext = ' + b"{a=" * 1500 + b"1" + b"}" * 1500 + b"\n",
        3,
        "nested",
    ),
    Bad(  # accepted, then crashed every JSON/TOML export
        "lone-surrogate.json", b'{"stratus": 1,\n "name": "X\\ud800Y"}\n', 2, "lone surrogate"
    ),
    Bad(  # silently became the text "1979-05-27T07:32:00+00:00"
        "datetime-name.toml", b"stratus = 1\nname = 1979-05-27T07:32:00Z\n", 2, "expected text"
    ),
    Bad(  # printed `$inf/month` and `nan %`
        "huge-costs.yaml",
        b"stratus: 1\nname: X\nservices:\n  - {id: a, monthly_cost_usd: 1.7e308}\n"
        b"  - {id: b, monthly_cost_usd: 1.7e308}\n",
        4,
        "at most",
    ),
]

# Every command that reads FILE, with the outputs it would write. All of them load through
# one function, so the full list runs on a few classes and the short one on every class.
READERS: list[tuple[list[str], list[str]]] = [
    (["validate", "{f}"], []),
    (["report", "{f}", "-o", "out/report.md"], ["out/report.md"]),
    (["export", "{f}", "--format", "all", "-o", "docs"], ["docs"]),
]
MORE_READERS: list[tuple[list[str], list[str]]] = [
    (["lint", "{f}", "--format", "json"], []),
    (["recommend", "{f}", "--format", "json"], []),
    (["export", "{f}", "--format", "json"], []),
    (["export", "{f}", "--format", "mermaid", "-o", "out/topology.mmd"], ["out/topology.mmd"]),
    (["export", "{f}", "--format", "adr", "-o", "adr"], ["adr"]),
    (["export", "{f}", "--format", "all", "-o", "out", "--check"], []),
]
FULL_MATRIX = {"syntax.yaml", "unknown.yaml", "dangling.yaml", "bomb.yaml", "infinite.yaml"}
PROBLEM_LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): \S")


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.name for b in BAD_INPUTS])
def test_every_reader_rejects_bad_input_cleanly(tmp_path: Path, bad: Bad) -> None:
    design = tmp_path / bad.name
    design.write_bytes(bad.data)
    before = snapshot(design)
    # Outputs from an earlier, good run must survive a failed one untouched.
    (tmp_path / "out").mkdir()
    sentinel = b"an earlier export: must survive\n"
    for rel in ("out/report.md", "out/topology.mmd"):
        (tmp_path / rel).write_bytes(sentinel)
    readers = READERS + (MORE_READERS if bad.name in FULL_MATRIX else [])
    for template, outputs in readers:
        args = [a.replace("{f}", bad.name) for a in template]
        proc = run(tmp_path, *args)
        shown = " ".join(args)
        no_traceback(proc)
        assert proc.returncode == 1, (shown, proc.returncode, proc.stderr)
        assert proc.stdout == "", (shown, proc.stdout[:300])
        lines = proc.stderr.splitlines()
        assert lines, shown
        for line in lines:
            found = PROBLEM_LINE.match(line)
            assert found is not None, (shown, line)
            assert found["file"] == bad.name, (shown, line)
        first = PROBLEM_LINE.match(lines[0])
        assert first is not None
        if bad.line is not None:
            assert int(first["line"]) == bad.line, (shown, lines[0])
        assert bad.fragment in proc.stderr, (shown, proc.stderr)
        assert snapshot(design) == before, shown
        for rel in outputs:
            target = tmp_path / rel
            if rel.startswith("out/"):
                assert target.read_bytes() == sentinel, shown
            else:
                assert not target.exists(), shown
    assert not (tmp_path / "PWNED").exists()
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith((".tmp", ".bak"))]
    assert leftovers == []


def test_bad_input_to_the_workbench_exits_1_with_the_location(tmp_path: Path) -> None:
    """`stratus FILE` / `stratus open FILE` on a broken design: FILE:LINE:COL, exit 1."""
    design = tmp_path / "broken.yaml"
    design.write_bytes(BAD_INPUTS[1].data)
    before = snapshot(design)
    for args in (["broken.yaml"], ["open", "broken.yaml"]):
        proc = run(tmp_path, *args, timeout=30)
        no_traceback(proc)
        assert proc.returncode == 1, (args, proc.stderr[-500:])
        # The message is the last line, after the terminal is restored.
        last = proc.stderr.rstrip().rsplit("\n", 1)[-1]
        assert re.search(r"broken\.yaml:3:1: .*did you mean 'services'", last), last
    assert snapshot(design) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml"]


# ----------------------------------------------------------------------- missing / folders

COMMANDS_ON_FILE: list[list[str]] = [
    ["validate"],
    ["lint"],
    ["recommend"],
    ["report"],
    ["export", "--format", "json"],
    ["export", "--format", "all", "-o", "docs"],
    ["serve", "--port", "1"],
]


def test_missing_file_and_folder_as_file(tmp_path: Path) -> None:
    (tmp_path / "a-folder").mkdir()
    for cmd in COMMANDS_ON_FILE:
        if cmd[0] != "serve":  # serve on a missing file serves a new design
            proc = run(tmp_path, cmd[0], "missing.yaml", *cmd[1:])
            no_traceback(proc)
            assert proc.returncode == 1, (cmd, proc.stderr)
            assert proc.stderr.startswith("missing.yaml: cannot read"), (cmd, proc.stderr)
            assert proc.stdout == ""
        proc = run(tmp_path, cmd[0], "a-folder", *cmd[1:])
        no_traceback(proc)
        assert proc.returncode == 2, (cmd, proc.stderr)
        assert "is a directory" in proc.stderr, (cmd, proc.stderr)
    for args in (["import", "a-folder", "-o", "x.yaml"], ["open", "a-folder"], ["a-folder"]):
        proc = run(tmp_path, *args)
        no_traceback(proc)
        assert proc.returncode == 2, (args, proc.stderr)
    proc = run(tmp_path, "import", "missing.yml", "-o", "x.yaml")
    assert proc.returncode == 1 and "missing.yml: cannot read" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder"]


# --------------------------------------------------------------------------- usage errors

USAGE_ERRORS: list[list[str]] = [
    ["export", "d.yaml"],  # --format is required
    ["export", "d.yaml", "--format", "png"],
    ["export", "d.yaml", "--format", "adr"],  # needs -o DIR
    ["export", "d.yaml", "--format", "all"],
    ["export", "d.yaml", "--format", "all", "-o", "-"],
    ["export", "d.yaml", "--format", "json", "--check"],
    ["export", "d.yaml", "--format", "dot", "--c4"],
    ["export", "d.yaml", "--format", "json", "--template", "t.j2"],
    ["lint", "d.yaml", "--format", "xml"],
    ["recommend", "d.yaml", "--format", "yaml"],
    ["recommend", "d.yaml", "--patterns", "no-such-dir"],
    ["new", "x.yaml", "--sample", "no-such-sample"],
    ["import", "d.yaml"],  # -o is required
    ["import", "d.yaml", "-o", "x.yaml", "--kind", "helm"],
    ["serve", "d.yaml", "--port", "0"],
    ["serve", "d.yaml", "--port", "http"],
    ["validate"],
    ["validate", "d.yaml", "extra.yaml"],
    ["validate", "d.yaml", "--frobnicate"],
    ["--frobnicate"],
]


def test_usage_errors_exit_2_and_change_nothing(tmp_path: Path) -> None:
    design = tmp_path / "d.yaml"
    shutil.copyfile(SAMPLES[0], design)
    before = snapshot(design)
    for args in USAGE_ERRORS:
        proc = run(tmp_path, *args)
        no_traceback(proc)
        assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
        assert proc.stderr.strip(), args
        assert proc.stdout == "", args
    assert snapshot(design) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]


# ------------------------------------------------------------------------- output paths


def test_output_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    design = tmp_path / "d.yaml"
    shutil.copyfile(SAMPLES[0], design)
    before = snapshot(design)
    attempts = [
        *(["export", "d.yaml", "--format", f, "-o", "d.yaml"] for f in TEXT_FORMATS),
        *(["export", "d.yaml", "--format", f, "-o", "./sub/../d.yaml"] for f in DATA_FORMATS),
        ["report", "d.yaml", "-o", "d.yaml"],
        ["import", "d.yaml", "-o", "d.yaml", "--force"],
    ]
    for args in attempts:
        proc = run(tmp_path, *args)
        no_traceback(proc)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "refusing to overwrite" in proc.stderr, (args, proc.stderr)
    for fmt in ("all", "adr"):  # the design file is not a folder
        proc = run(tmp_path, "export", "d.yaml", "--format", fmt, "-o", "d.yaml")
        no_traceback(proc)
        assert proc.returncode == 1 and "not a folder" in proc.stderr, proc.stderr
    assert snapshot(design) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]


def test_export_all_never_replaces_the_design_it_reads(tmp_path: Path) -> None:
    """`export design.json --format all -o .` would write ./design.json over the input."""
    docs = tmp_path / "docs"
    docs.mkdir()
    proc = run(tmp_path, "export", str(SAMPLES[0]), "--format", "json", "-o", "docs/design.json")
    assert proc.returncode == 0, proc.stderr
    # Identical bytes: rewriting is harmless and export proceeds.
    proc = run(tmp_path, "export", "docs/design.json", "--format", "all", "-o", "docs")
    assert proc.returncode == 0, proc.stderr
    assert (docs / "report.md").is_file()
    # Hand-formatted (same design, other bytes): refused, the user's file kept.
    data = json.loads((docs / "design.json").read_text(encoding="utf-8"))
    (docs / "design.json").write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(docs / "design.json")
    proc = run(tmp_path, "export", "docs/design.json", "--format", "all", "-o", "docs")
    no_traceback(proc)
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr, proc.stderr
    assert snapshot(docs / "design.json") == before


def test_outputs_under_a_file_fail_cleanly(tmp_path: Path) -> None:
    """As root a chmod'ed folder is still writable: a path under a file is not."""
    design = tmp_path / "d.yaml"
    shutil.copyfile(SAMPLES[0], design)
    (tmp_path / "plain").write_text("not a folder\n")
    attempts = [
        *(["export", "d.yaml", "--format", f, "-o", "plain/x/out"] for f in ("mermaid", "yaml")),
        ["export", "d.yaml", "--format", "all", "-o", "plain/docs"],
        ["export", "d.yaml", "--format", "adr", "-o", "plain/adr"],
        ["report", "d.yaml", "-o", "plain/report.md"],
        ["schema", "-o", "plain/schema.json"],
        ["new", "plain/new.yaml"],
        ["new", "plain/new.yaml", "--sample", SAMPLES[0].stem],
    ]
    for args in attempts:
        proc = run(tmp_path, *args)
        no_traceback(proc)
        assert proc.returncode == 1, (args, proc.stderr)
        assert "plain is a file, not a folder" in proc.stderr, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1, (args, proc.stderr)
    proc = run(tmp_path, "export", "d.yaml", "--format", "all", "-o", "plain")
    assert proc.returncode == 1 and "plain: not a folder" in proc.stderr
    assert (tmp_path / "plain").read_text() == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml", "plain"]


def test_new_and_import_never_clobber(tmp_path: Path) -> None:
    (tmp_path / "taken.yaml").write_text("mine\n")
    (tmp_path / "compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    for args in (["new", "taken.yaml"], ["import", "compose.yml", "-o", "taken.yaml"]):
        proc = run(tmp_path, *args)
        no_traceback(proc)
        assert proc.returncode == 1 and "already exists" in proc.stderr, proc.stderr
    assert (tmp_path / "taken.yaml").read_text() == "mine\n"
    proc = run(tmp_path, "import", "compose.yml", "-o", "taken.yaml", "--force")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "taken.yaml.bak").read_text() == "mine\n"
    assert run(tmp_path, "validate", "taken.yaml").returncode == 0


# ------------------------------------------------------------------- the hostile design

HOSTILE = (
    'He said "hi" [x] (y) {z} --> end; %%{init: {"theme":"dark"}}%% '
    "<script>alert(1)</script> <b onclick=x>b</b> # ; `tick` | pipe\n"
    "second line 🎉 click o1 & &amp; \\ $x ]] )) }} --- ==> -.-> \x1b[2J\x1b]0;pwned\x07 \r\n end"
)
KINDS = ("event", "command", "actor", "aggregate", "policy", "read_model", "external", "hotspot")


def hostile_design() -> dict[str, Any]:
    """A valid design with the hostile text in every text field and awkward ids."""

    def t(tag: str) -> str:
        return f"{tag}: {HOSTILE}"

    services = []
    for n, sid in enumerate(["end", "click", "1st", "o1"]):
        services.append(
            {
                "id": sid,
                "name": t(f"svc {sid}"),
                "context": t(f"ctx{n % 2}"),
                "owns": [t("own")],
                "api": t("api"),
                "runtime": "kubernetes",
                "replicas": 1 + n % 2,
                "owner": t("owner"),
                "rollback": t("rollback"),
                "secrets": "vault",
                **({"datastore": "graph"} if sid == "end" else {}),
            }
        )
    return {
        "stratus": 1,
        "name": t("name"),
        "scope": t("scope"),
        "context": t("context"),
        "discovery": {
            "current": {"topology": "monolith", "services": 1, "pain_points": [t("pain")]},
            "team": {"engineers": 5, "teams": 1},
            "budget": {"monthly_usd": 500},
        },
        "services": services,
        "datastores": [
            {"id": "graph", "name": t("db"), "kind": t("kind")},
            {"id": "x1", "name": t("cache"), "kind": "redis"},
        ],
        "externals": [{"id": "subgraph", "name": t("ext")}, {"id": "style", "name": t("ext")}],
        "dependencies": [
            {"from": "end", "to": "click", "mode": "sync", "protocol": t("p"), "label": t("l")},
            {"from": "click", "to": "1st", "mode": "async", "label": t("l")},
            {"from": "1st", "to": "o1", "mode": "sync", "label": t("l"), "timeout_ms": 100},
            {"from": "o1", "to": "subgraph", "mode": "sync"},
            {"from": "o1", "to": "x1", "mode": "sync", "label": t("l")},
            {"from": "end", "to": "style", "mode": "async"},
        ],
        "failure_modes": [
            {
                "id": "classDef",
                "component": "end",
                "failure": t("f"),
                "effect": t("e"),
                "likelihood": "high",
                "severity": "critical",
                "detection": t("d"),
                "mitigation": t("m"),
                "runbook": t("r"),
            }
        ],
        "decisions": [
            {
                "id": "end",
                "title": "../../../etc/passwd " + t("title"),
                "pattern": "saga",
                "status": "accepted",
                "rationale": t("r"),
                "alternatives": [t("alt")],
                "consequences": t("c"),
            },
            {"id": "a.b-c_d", "title": "../../evil/.."},
            {"id": "x1", "title": "🎉 /etc/ \\\\server\\share"},
        ],
        "migration": [{"id": "end", "title": t("t"), "steps": [t("s")], "rollback": t("rb")}],
        "event_storming": {
            "contexts": [{"id": "end", "name": t("c")}, {"id": "graph", "name": t("c")}],
            "items": [
                {
                    "id": f"{kind}1",
                    "kind": kind,
                    "text": t(kind),
                    "context": "end" if n % 2 else "graph",
                    "order": n,
                }
                for n, kind in enumerate(KINDS)
            ]
            + [{"id": "end", "kind": "event", "text": t("end"), "order": 99}],
        },
    }


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The hostile design as JSON, and as YAML through `stratus export --format yaml`."""
    (tmp_path / "hostile.json").write_text(
        json.dumps(hostile_design(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    proc = run(tmp_path, "export", "hostile.json", "--format", "yaml", "-o", "hostile.yaml")
    assert proc.returncode == 0, proc.stderr
    return tmp_path / "hostile.yaml"


def test_hostile_design_through_every_reader(hostile: Path) -> None:
    folder = hostile.parent
    before = snapshot(hostile)
    assert run(folder, "validate", "hostile.yaml").returncode == 0
    findings = run(folder, "lint", "hostile.yaml", "--format", "json")
    no_traceback(findings)
    errors = [f for f in json.loads(findings.stdout) if f["severity"] == "error"]
    assert findings.returncode == (1 if errors else 0)
    verdicts = run(folder, "recommend", "hostile.yaml", "--format", "json")
    assert verdicts.returncode == 0, verdicts.stderr
    assert {v["pattern"] for v in json.loads(verdicts.stdout)} >= {"saga", "microservices"}
    texts: dict[str, str] = {}
    for args in (["lint"], ["recommend"], ["recommend", "--facts"], ["report"]):
        proc = run(folder, args[0], "hostile.yaml", *args[1:])
        no_traceback(proc)
        assert proc.returncode == (findings.returncode if args[0] == "lint" else 0)
        # Text for the terminal: user text never carries escape codes or breaks lines.
        assert ESC not in proc.stdout
        texts[" ".join(args)] = proc.stdout
    for shown in ("lint", "recommend", "recommend --facts"):
        assert "\nsecond line" not in texts[shown], shown
    assert not [h for h in raw_html(texts["report"]) if "script" in h or "onclick" in h]
    assert snapshot(hostile) == before


def test_hostile_design_every_export_is_safe_and_reads_back(hostile: Path) -> None:
    """The formats `--format all` does not write, to stdout; data formats read back."""
    folder = hostile.parent
    outputs: dict[str, str] = {}
    for fmt in ("mermaid-c4", "json", "toml", "yaml"):
        proc = run(folder, "export", "hostile.yaml", "--format", fmt)
        no_traceback(proc)
        assert proc.returncode == 0, (fmt, proc.stderr)
        outputs[fmt] = proc.stdout
    assert "%%{" not in outputs["mermaid-c4"] and "<script" not in outputs["mermaid-c4"]
    reference = json.loads(outputs["json"])
    from stratus_tui.core.store.design_file import design_from_data

    # Every hostile string reads back exactly (defaults such as mode: sync are omitted).
    assert design_from_data(reference, "export") == design_from_data(hostile_design(), "in")
    for fmt in ("toml", "yaml"):
        (folder / f"again.{fmt}").write_text(outputs[fmt], encoding="utf-8")
        back = run(folder, "export", f"again.{fmt}", "--format", "json")
        assert back.returncode == 0, (fmt, back.stderr)
        assert json.loads(back.stdout) == reference, fmt


def test_hostile_design_export_all_is_contained_stable_and_checkable(hostile: Path) -> None:
    folder = hostile.parent
    proc = run(folder, "export", "hostile.yaml", "--format", "all", "-o", "docs")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    docs = folder / "docs"
    written = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    assert {"design.md", "report.md", "design.json", "diagrams/topology.mmd"} <= set(written)
    assert "diagrams/storm.mmd" in written and "diagrams/topology.dot" in written
    records = [w for w in written if w.startswith("decisions/")]
    assert len(records) == 3
    assert all(re.fullmatch(r"decisions/\d{4}-[a-z0-9-]+\.md", r) for r in records), records
    # Nothing escaped DIR through a decision title.
    outside = sorted(p.name for p in folder.iterdir())
    assert outside == ["docs", "hostile.json", "hostile.yaml"]
    first = {w: (docs / w).read_bytes() for w in written}
    assert (
        run(folder, "export", "hostile.yaml", "--format", "all", "-o", "docs", "--check").returncode
        == 0
    )
    again = run(folder, "export", "hostile.yaml", "--format", "all", "-o", "docs")
    assert again.returncode == 0 and f"0 written, {len(written)} unchanged" in again.stdout
    assert {w: (docs / w).read_bytes() for w in written} == first
    (docs / "design.md").write_bytes(first["design.md"] + b"hand edit\n")
    stale = run(folder, "export", "hostile.yaml", "--format", "all", "-o", "docs", "--check")
    assert stale.returncode == 1 and "stale:" in stale.stdout and "design.md" in stale.stdout
    assert (docs / "design.md").read_bytes().endswith(b"hand edit\n")  # --check wrote nothing
    absent = run(folder, "export", "hostile.yaml", "--format", "all", "-o", "none", "--check")
    assert absent.returncode == 1 and "missing:" in absent.stdout
    assert not (folder / "none").exists()
    mermaid = {w: (docs / w).read_text(encoding="utf-8") for w in written if w.endswith(".mmd")}
    for name, text in mermaid.items():
        # A user string must never become a directive, a click handler or raw HTML.
        assert "%%{" not in text and "<script" not in text, name
        assert not re.search(r"^\s*click\s", text, re.M), name
    document = first["design.md"].decode("utf-8")
    assert not [h for h in raw_html(document) if "script" in h or "onclick" in h]
    assert b"<script" not in first["diagrams/topology.svg"]
    if mermaid_missing() is None:
        results = parse_mermaid(list(mermaid.values()))
        assert all(r["ok"] for r in results), results


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_samples_through_every_command(tmp_path: Path, sample: Path) -> None:
    design = tmp_path / sample.name
    shutil.copyfile(sample, design)
    before = snapshot(design)
    assert run(tmp_path, "validate", sample.name).returncode == 0
    verdicts = json.loads(run(tmp_path, "recommend", sample.name, "--format", "json").stdout)
    assert len(verdicts) >= 18
    for v in verdicts:
        assert {"pattern", "name", "verdict", "score", "reasons"} <= set(v)
        assert v["verdict"] in ("recommend", "consider", "avoid", "not-applicable")
        assert all({"text", "answers"} <= set(r) for r in v["reasons"])
    lint = run(tmp_path, "lint", sample.name, "--format", "json")
    no_traceback(lint)
    findings = json.loads(lint.stdout)
    for f in findings:
        assert {"rule", "severity", "component", "message"} <= set(f)
    failing = [f for f in findings if f["severity"] == "error" and not f.get("accepted")]
    assert lint.returncode == (1 if failing else 0)
    proc = run(tmp_path, "report", sample.name, "-o", "out/report.md")
    assert proc.returncode == 0
    assert "STRATUS Architecture Report" in (tmp_path / "out/report.md").read_text()
    proc = run(tmp_path, "export", sample.name, "--format", "all", "-o", "docs")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "docs/diagrams/topology.svg").is_file()
    check = run(tmp_path, "export", sample.name, "--format", "all", "-o", "docs", "--check")
    assert check.returncode == 0, check.stdout
    assert snapshot(design) == before


# ----------------------------------------------------------------- entry points, creation


def test_console_script_module_and_version_agree(tmp_path: Path) -> None:
    from stratus_tui import __version__

    script = Path(sys.executable).with_name("stratus")
    assert script.is_file(), "the console script `stratus` is not installed in this venv"
    for cmd in ([str(script)], STRATUS):
        proc = subprocess.run(
            [*cmd, "--version"], capture_output=True, text=True, cwd=tmp_path, check=False
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"stratus, version {__version__}"
        help_ = subprocess.run([*cmd, "--help"], capture_output=True, text=True, check=False)
        assert help_.returncode == 0
        for name in ("new", "validate", "recommend", "lint", "report", "export", "schema"):
            assert re.search(rf"^\s+{name}\s", help_.stdout, re.M), name


def test_opening_a_missing_file_creates_it(tmp_path: Path) -> None:
    """`stratus FILE` (spec: created if missing): the new design is on disk at once."""
    import pty

    target = tmp_path / "fresh idea.yaml"
    # The workbench needs a terminal (it refuses pipes): give it a pseudo-terminal.
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*STRATUS, target.name],
        cwd=tmp_path,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "COLUMNS": "100", "LINES": "30", "TERM": "xterm-256color"},
    )
    os.close(slave)
    drawn = b""
    try:
        # Read what it draws until the header says the new file is saved, then quit.
        while not (target.exists() and "✓ saved".encode() in drawn):
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the app ended before saving
                break
            if not chunk:
                break
            drawn += chunk
        assert target.exists(), "stratus FILE did not create the missing file"
        os.write(master, b"\x11")  # ctrl+q
        # Keep reading while it quits: an app whose terminal is not read blocks on a full
        # pty buffer while it draws its last frames and never exits.
        import select

        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    drawn += os.read(master, 65536)
                except OSError:
                    break
        proc.wait(timeout=30)
    finally:
        proc.kill()
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
        os.close(master)
    err = drawn
    assert b"Traceback" not in err
    check = run(tmp_path, "validate", target.name)
    assert check.returncode == 0, check.stderr
    exported = json.loads(run(tmp_path, "export", target.name, "--format", "json").stdout)
    assert exported["stratus"] == 1 and exported["name"] == "fresh idea"


def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    """Issue 12.13: a FIFO hung validate and import; /dev/zero read until MemoryError."""
    fifo = tmp_path / "design.yaml"
    os.mkfifo(fifo)
    sources = ["design.yaml", "/dev/zero"] if Path("/dev/zero").exists() else ["design.yaml"]
    for source in sources:
        for args in (
            ["validate", source],
            ["lint", source],
            ["export", source, "--format", "mermaid"],
            ["import", source, "-o", "imported.yaml"],
        ):
            proc = run(tmp_path, *args, timeout=30)  # a hang fails here
            no_traceback(proc)
            assert proc.returncode == 1, (args, proc.stderr)
            assert proc.stderr.startswith(f"{source}: is a "), (args, proc.stderr)
            assert "not a file" in proc.stderr
    assert not (tmp_path / "imported.yaml").exists()


RLO = "\u202e"


def test_bidi_controls_are_shown_never_obeyed(tmp_path: Path) -> None:
    """Issue 12.14: U+202E in a file name or a name was printed raw to the terminal."""
    name = f"evil{RLO}lmth.yaml"
    design = {
        "stratus": 1,
        "name": f"shop {RLO}gnp.exe",
        "services": [
            {"id": "a", "name": f"api {RLO}x", "context": f"ctx{RLO}"},
            {"id": "b", "name": "b"},
        ],
        "dependencies": [{"from": "a", "to": "b"}],
    }
    (tmp_path / name).write_text(json.dumps(design), encoding="utf-8")
    mmd = tmp_path / f"diagram{RLO}.mmd"
    mmd.write_text(f'flowchart LR\n  a["api {RLO}x"] --> b[(db)]\n  x ---\n', encoding="utf-8")
    runs = [
        run(tmp_path, "validate", name),
        run(tmp_path, "lint", name),
        run(tmp_path, "recommend", name),
        run(tmp_path, "recommend", name, "--facts"),
        run(tmp_path, "import", mmd.name, "-o", "imported.yaml"),
        run(tmp_path, "validate", f"missing{RLO}.yaml"),
        run(tmp_path, "export", name, "--format", "markdown", "--template", f"t{RLO}.j2"),
    ]
    for proc in runs:
        no_traceback(proc)
        assert RLO not in proc.stdout and RLO not in proc.stderr, proc.args
        assert ESC not in proc.stdout + proc.stderr
    assert "<U+202E>" in runs[0].stdout
    assert "<U+202E>" in runs[4].stdout  # the imported name in the summary
    assert "<U+202E>" in runs[5].stderr
