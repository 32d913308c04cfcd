"""`stratus validate` loads what checking a file needs and nothing more (issue 21: its
imports <= 0.12 s, measured by `python -m benchmarks`; no timing is asserted here).

What is checked: the modules a validate has imported when it ends (in a fresh process run
as a user runs it), that validating builds one pydantic validator (Design's), and that a
one-shot command leaves the objects it made for the collector's full pass instead of a
young-generation pass over all of them just before the process exits.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stratus_tui.cli.common import neutral
from tests.support.processes import last_line_of, plain_env

# Not needed to check a file: the UI, the graph and template libraries, the round-trip
# YAML library (its resolvers are written out), the exporters and analyses, the pattern
# library (no decision names a pattern), and the file actions (only `same_file`, for the
# commands that write, imported where used).
NOT_IMPORTED = (
    "textual",
    "rich",
    "textual_serve",
    "networkx",
    "jinja2",
    "graphviz",
    "ruamel",
    "stratus_tui.ui",
    "stratus_tui.live",
    "stratus_tui.serve",
    "stratus_tui.core.actions",
    "stratus_tui.core.analysis",
    "stratus_tui.core.export",
    "stratus_tui.core.lint",
    "stratus_tui.core.patterns",
    "stratus_tui.core.report",
    # pydantic's plugin loader scans package metadata for plugins that are all disabled
    # (`cli._no_plugin_loader`); the lock's host name and temp tokens are for saves.
    "importlib.metadata",
    "socket",
)


def _design(tmp_path: Path) -> Path:
    from benchmarks.graphs import write_design

    return write_design(5, tmp_path / "plain.yaml")


# `python -m stratus_tui ARGS` (its exit path too: the modules are listed by an exit
# handler, which a finished one-shot command still runs before it ends the process).
AS_A_USER = """
import atexit, json, runpy, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["stratus", *sys.argv[1:]]
runpy.run_module("stratus_tui", run_name="__main__", alter_sys=True)
"""


def test_validate_imports_only_what_checking_needs(tmp_path: Path) -> None:
    design = _design(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", AS_A_USER, "validate", str(design)],
        cwd=tmp_path,
        env=plain_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{design}: valid (5 services, ")
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert {"stratus_tui.core.model", "stratus_tui.core.store.design_file", "yaml"} <= loaded
    unneeded = sorted(m for m in loaded for p in NOT_IMPORTED if m == p or m.startswith(p + "."))
    assert unneeded == []


BUILDS = """
import json, sys
from stratus_tui.cli import main
from stratus_tui.core import model
try:
    main(["validate", sys.argv[1]])
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
built = [
    name
    for name, value in vars(model).items()
    if isinstance(value, type) and issubclass(value, model.Model) and value.__pydantic_complete__
]
print(json.dumps(built))
"""


def test_validating_builds_one_validator(tmp_path: Path) -> None:
    """Sections left out (no discovery.team, no event_storming ...) take their defaults
    without building their own validators: Design's is built, once, and no other."""
    design = _design(tmp_path)
    assert "event_storming" not in design.read_text(encoding="utf-8")
    assert json.loads(last_line_of(BUILDS, str(design))) == ["Design"]


def test_sections_left_out_are_the_same_defaults() -> None:
    from stratus_tui.core.model import Design, Discovery, EventStorming, Observability

    design = Design.model_validate({"stratus": 1, "name": "x", "observability": {}})
    assert design.discovery == Discovery() and design.event_storming == EventStorming()
    assert design.observability is not None
    assert design.observability.metrics == Observability().metrics
    for section in (design.discovery, design.discovery.team, design.event_storming):
        assert section.model_fields_set == set()
    assert design.to_data() == {"stratus": 1, "name": "x", "observability": {}}


AGING = """
import gc
from stratus_tui.cli.common import batch

kept = []

@batch
def command():
    kept.extend([i] for i in range(50_000))  # more than a young generation holds

passes = []
gc.callbacks.append(lambda phase, info: phase == "start" and passes.append(info["generation"]))
assert gc.isenabled() and gc.get_freeze_count() == 0
command()
more = [[i] for i in range(100)]  # far fewer than a pass waits for
gc.callbacks.clear()
assert gc.isenabled()
gc.freeze()  # as the workbench does: a one-shot command then thaws none of it
frozen = gc.get_freeze_count()
command()
thawed = gc.get_freeze_count() != frozen
print(passes, len(kept), len(more), thawed)
"""


def test_a_one_shot_command_leaves_no_young_generation_pass_behind() -> None:
    """Without the aging, the first allocation after the command made the collector
    pass over the 50,000 lists it left (in a fresh process: nothing frozen, no thread).
    Objects someone froze stay frozen."""
    assert last_line_of(AGING).split() == ["[]", "100000", "100", "False"]


# The pattern `neutral` applied to every text before its shortcut for plain ASCII.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("char", [chr(c) for c in range(0x80)] + ["\x85", "\u202e", "é"])
def test_neutral_shows_the_same_text_as_its_pattern(char: str) -> None:
    """Every ASCII character, alone and among plain text, newlines and tabs (the text the
    shortcut takes), and a few that are not ASCII."""
    for text in (char, f"a{char}b", f"d.yaml:1:2: x\n\t{char}\n"):
        assert neutral(text) == _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def test_a_user_who_enables_pydantic_plugins_gets_the_real_loader(tmp_path: Path) -> None:
    """The stand-in answers "no plugins" only while every plugin is disabled (our
    default); a user's own PYDANTIC_DISABLE_PLUGINS brings pydantic's loader back."""
    design = _design(tmp_path)
    probe = (
        "import sys; from stratus_tui.cli import main\n"
        "try:\n    main(['validate', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "print(hasattr(sys.modules['pydantic.plugin._loader'], 'entry_points'))"
    )
    ours = last_line_of(probe, str(design))
    env = {**plain_env(), "PYDANTIC_DISABLE_PLUGINS": "some-plugin"}
    theirs = (
        subprocess.run(
            [sys.executable, "-c", probe, str(design)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert (ours, theirs) == ("False", "True")
