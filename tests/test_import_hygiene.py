"""The core never imports the UI; headless commands never pay for Textual or heavy libraries.

Each check runs in a fresh interpreter so modules imported by other tests do not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = {"textual", "rich"}
HEAVY = UI | {"networkx", "jinja2", "graphviz", "textual_serve"}

PROBE = """
import json, sys
{body}
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))
"""

IMPORT_ALL_CORE = """
import importlib, pkgutil
import stratus_tui.core as core
for info in pkgutil.walk_packages(core.__path__, "stratus_tui.core."):
    importlib.import_module(info.name)
"""

RUN_CLI = """
from stratus_tui.cli import main
try:
    main({argv!r})
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
"""


def _top_level_modules(body: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_every_core_module_imports_without_ui() -> None:
    loaded = _top_level_modules(IMPORT_ALL_CORE)
    assert "stratus_tui" in loaded
    assert not loaded & UI


def test_help_imports_nothing_heavy() -> None:
    loaded = _top_level_modules(RUN_CLI.format(argv=["--help"]))
    assert "click" in loaded
    assert not loaded & HEAVY
    assert "pydantic" not in loaded  # --help needs no model


def test_validate_imports_no_ui_and_no_heavy_library() -> None:
    sample = str(ROOT / "sample_designs" / "checkout.yaml")
    loaded = _top_level_modules(RUN_CLI.format(argv=["validate", sample]))
    assert "pydantic" in loaded  # it did validate
    assert not loaded & HEAVY


def test_importtime_of_cli_start_has_no_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "stratus_tui", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert "click" in imported
    assert not {m for m in imported if m.split(".")[0] in UI}


COUNT_DOCSTRING_READS = """
import pydantic._internal._fields as fields
calls = []
original = fields._update_fields_from_docstrings
def counting(*args, **kwargs):
    calls.append(args[0].__name__)
    return original(*args, **kwargs)
fields._update_fields_from_docstrings = counting
from stratus_tui.core.model import Service
print(len(calls), Service.model_fields["replicas"].description)
"""


def test_the_model_reads_its_field_docstrings_in_one_pass() -> None:
    """pydantic's use_attribute_docstrings re-read and re-parsed each model class's
    source at import (~60 ms of every command's start-up, issue 21); the model reads its
    file once and the descriptions are the same (tests/core/test_model_descriptions.py)."""
    result = subprocess.run(
        [sys.executable, "-c", COUNT_DOCSTRING_READS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 Running instances."


MODULES_AFTER = """
import json, sys
from stratus_tui.cli import main
try:
    main({argv!r})
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
loader = sys.modules.get("pydantic.plugin._loader")
# pydantic's loader keeps what it scanned in `_plugins`; the stand-in has none to keep
scanned = loader is not None and getattr(loader, "_plugins", None) is not None
print(json.dumps({{"modules": sorted(sys.modules), "plugin_scan": scanned}}))
"""


def test_validate_of_a_plain_design_loads_only_what_it_needs(tmp_path: Path) -> None:
    """Issue 21 (validate's imports <= 0.12 s): no round-trip YAML library (its resolvers
    are written out), no graph library, no pattern library when no decision names a
    pattern, and no scan of every installed package for pydantic plugins."""
    from benchmarks.graphs import write_design

    design = write_design(5, tmp_path / "plain.yaml")
    code = MODULES_AFTER.format(argv=["validate", str(design)])
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.strip().splitlines()[-1])
    loaded = set(got["modules"])
    assert "stratus_tui.core.model" in loaded and "yaml" in loaded  # it did load
    tops = {m.split(".")[0] for m in loaded}
    assert not tops & (HEAVY | {"ruamel"})
    assert not {m for m in loaded if m.startswith("stratus_tui.core.patterns")}
    assert got["plugin_scan"] is False


ANY_EXIT = """
import json, sys
from stratus_tui.cli import main
try:
    main({argv!r})
except SystemExit as exc:
    assert exc.code in (0, 1, None), exc.code
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))
"""


def test_lint_report_and_recommend_run_without_networkx(tmp_path: Path) -> None:
    """networkx only where one of its algorithms runs (issue 21): the analyses run their
    own, on a graph of plain dicts."""
    sample = str(ROOT / "sample_designs" / "checkout.yaml")
    for argv in (
        ["lint", sample],
        ["report", sample, "-o", str(tmp_path / "report.md")],
        ["recommend", sample],
    ):
        result = subprocess.run(
            [sys.executable, "-c", ANY_EXIT.format(argv=argv)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
        assert "pydantic" in loaded, argv
        assert "networkx" not in loaded, argv
