"""`stratus_tui.core.patterns` imports its names on first use (issue 21): the workbench
unpickles the reading child's verdicts with `patterns.results` alone, without building
the pattern-file schema and the engine (~60 ms of its start-up)."""

from __future__ import annotations

import json

import stratus_tui.core.patterns as patterns
from tests.support.processes import last_line_of


def test_every_public_name_resolves_to_its_module() -> None:
    assert sorted(patterns._WHERE) == sorted(patterns.__all__)
    for name in patterns.__all__:
        value = getattr(patterns, name)
        module = f"stratus_tui.core.patterns.{patterns._WHERE[name]}"
        assert getattr(value, "__module__", module) == module or name.isupper()


def test_results_alone_do_not_build_the_schema_or_the_engine() -> None:
    loaded = json.loads(
        last_line_of(
            "import json, sys\n"
            "import stratus_tui.core.patterns.results\n"
            "print(json.dumps(sorted(m for m in sys.modules if 'patterns' in m)))\n"
        )
    )
    assert "stratus_tui.core.patterns.results" in loaded
    assert not {"stratus_tui.core.patterns.schema", "stratus_tui.core.patterns.engine"} & set(
        loaded
    )


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        patterns.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("no AttributeError")
