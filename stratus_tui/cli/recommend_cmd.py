"""`stratus recommend FILE [--format text|json] [--patterns DIR] [--facts]`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from .common import echo, fail, load_or_exit

TOP_REASONS = 3
TOP_CHANGES = 2
_MARK = {"use": "+", "avoid": "-"}


def _one_line(text: str) -> str:
    """User text for the terminal: no control characters (escape codes), one line."""
    from ..core.export.escape import clean_text

    return " ".join(clean_text(text).split())


def _signed(score: float) -> str:
    return f"{score:+.1f}"


def render_verdicts(title: str, verdicts: Sequence[Any]) -> str:
    """The readable table: verdict, score, confidence, top reasons, what would change."""
    counts = {
        k: sum(1 for v in verdicts if v.verdict == k)
        for k in ("recommend", "consider", "avoid", "not-applicable")
    }
    lines = [
        f"{_one_line(title)}: {len(verdicts)} patterns ("
        + ", ".join(f"{n} {k}" for k, n in counts.items())
        + ")",
        "",
    ]
    lines.append(f"{'VERDICT':<15} {'SCORE':>6} {'CONF':>5}  PATTERN")
    for v in verdicts:
        lines.append(
            f"{v.verdict:<15} {_signed(v.score):>6} {v.confidence:>5.0%}  {v.name} ({v.pattern})"
        )
        for r in v.reasons[:TOP_REASONS]:
            used = ", ".join(f"{k}={_show(val)}" for k, val in r.values)
            lines.append(f"{'':29}{_MARK[r.kind]} {r.text}  [{used}]")
        if len(v.reasons) > TOP_REASONS:
            more = len(v.reasons) - TOP_REASONS
            lines.append(f"{'':29}  ... and {more} more reason{'s' if more > 1 else ''}")
        if v.missing:
            needed = list(dict.fromkeys(a for m in v.missing for a in m.answers))
            lines.append(f"{'':29}? unanswered: {', '.join(needed)}")
        for change in v.what_would_change[:TOP_CHANGES]:
            lines.append(f"{'':29}\u2192 {_one_line(change)}")
    return "\n".join(lines) + "\n"


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _show(value: Any) -> str:
    if value is None:
        return "(unanswered)"
    if isinstance(value, tuple):
        return "[" + ", ".join(_one_line(str(v)) for v in value) + "]"
    if isinstance(value, str):
        return _one_line(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value).lower() if isinstance(value, bool) else f"{value}"


def render_facts(values: dict[str, Any]) -> str:
    """Every fact with its type, current value and description."""
    from ..core.rules import FACTS

    width = max(len(k) for k in FACTS)
    lines = []
    for name, spec in FACTS.items():
        kind = spec.type + (f" ({'|'.join(spec.choices)})" if spec.choices else "")
        lines.append(f"{name:<{width}}  {_show(values.get(name)):<14} {kind}")
        lines.append(f"{'':<{width}}  {spec.description}")
    return "\n".join(lines) + "\n"


@click.command("recommend")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Readable table or the JSON contract.",
)
@click.option(
    "--patterns",
    "pattern_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Extra folder of pattern files; adds or replaces patterns by id. Repeatable.",
)
@click.option(
    "--facts",
    "show_facts",
    is_flag=True,
    help="Print every fact the rules can use, with its value, instead of verdicts.",
)
def recommend_cmd(file: str, fmt: str, pattern_dirs: tuple[str, ...], show_facts: bool) -> None:
    """Apply the pattern decision table to FILE's DISCOVER answers and topology.

    \b
    Examples:
      stratus recommend sample_designs/checkout.yaml
      stratus recommend design.yaml --format json
      stratus recommend design.yaml --patterns ./our-patterns
      stratus recommend design.yaml --facts
    """
    from ..core.problems import DesignError
    from ..core.rules import facts_of, load_library
    from ..core.rules.checks import pattern_dirs as known_dirs
    from ..core.rules.engine import evaluate_all

    with known_dirs(pattern_dirs):
        design = load_or_exit(file)
    values = facts_of(design)
    if show_facts:
        if fmt == "json":
            from ..core.rules import FACTS

            echo(
                json.dumps(
                    [
                        {
                            "fact": k,
                            "type": s.type,
                            "choices": list(s.choices),
                            "derived": s.derived,
                            "value": _jsonable(values[k]),
                            "description": s.description,
                        }
                        for k, s in FACTS.items()
                    ],
                    indent=2,
                    ensure_ascii=False,
                )
            )
        else:
            echo(render_facts(values), nl=False)
        return
    try:
        library = load_library(pattern_dirs)
    except DesignError as exc:
        fail(exc)
    verdicts = evaluate_all(library.patterns, values)
    if fmt == "json":
        click.echo(json.dumps([v.to_json() for v in verdicts], indent=2, ensure_ascii=False))
    else:
        echo(render_verdicts(design.name, verdicts), nl=False)
