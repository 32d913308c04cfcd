"""Commands that need no UI never import Textual, and load heavy libraries only where used.

Issue 2 ("Done when"): `--help` and `validate` are checked in tests/test_import_hygiene.py;
this covers every other headless command. Each runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_designs" / "checkout.yaml"
UI = {"textual", "rich", "textual_serve"}
HEAVY = {"networkx", "jinja2", "graphviz"}

PROBE = """
import json, sys
from stratus_tui.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules})]), file=sys.stderr)
"""

# command line -> heavy libraries it may load (the analysis needs networkx; documents jinja2)
CASES: list[tuple[list[str], set[str]]] = [
    (["recommend", "d.yaml", "--format", "json"], set()),
    (["export", "d.yaml", "--format", "json"], set()),
    (["export", "d.yaml", "--format", "toml"], set()),
    (["export", "d.yaml", "--format", "mermaid"], set()),
    (["export", "d.yaml", "--format", "storm-mermaid"], set()),
    (["schema"], set()),
    (["new", "fresh.yaml"], set()),
    (["import", "compose.yml", "-o", "imported.yaml"], set()),
    (["decide", "d.yaml", "circuit-breaker"], set()),
    (["lint", "d.yaml", "--format", "json"], {"networkx"}),
    (["report", "d.yaml"], {"networkx"}),
    (["export", "d.yaml", "--format", "markdown"], {"networkx", "jinja2"}),
    (["export", "d.yaml", "--format", "all", "-o", "docs"], HEAVY),
]


@pytest.mark.parametrize("argv", [c[0] for c in CASES], ids=[" ".join(c[0]) for c in CASES])
def test_headless_command_imports_no_ui(tmp_path: Path, argv: list[str]) -> None:
    allowed = dict((tuple(a), h) for a, h in CASES)[tuple(argv)]
    shutil.copyfile(SAMPLE, tmp_path / "d.yaml")
    (tmp_path / "compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    code, loaded = json.loads(proc.stderr.strip().splitlines()[-1])
    assert code in (0, 1, None), proc.stderr  # lint may find errors; never a usage error
    assert "stratus_tui" in loaded and "pydantic" in loaded
    assert not set(loaded) & UI, argv
    assert set(loaded) & HEAVY <= allowed, (argv, set(loaded) & HEAVY)
