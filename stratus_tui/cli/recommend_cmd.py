"""`stratus recommend FILE [--format text|json] [--patterns DIR] [--facts]`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from ..core.patterns.wording import MARK, one_line, show_value, verdict_label
from .common import batch, echo, fail, load_or_exit

TOP_REASONS = 3
TOP_CHANGES = 2


def _signed(score: float) -> str:
    return f"{score:+.1f}"


def _reason_lines(reasons: Sequence[Any], indent: int) -> list[str]:
    lines = []
    for r in reasons[:TOP_REASONS]:
        used = ", ".join(f"{k}={show_value(val)}" for k, val in r.values)
        lines.append(f"{'':{indent}}{MARK[r.kind]} {one_line(r.text)}  [{used}]")
    if len(reasons) > TOP_REASONS:
        more = len(reasons) - TOP_REASONS
        lines.append(f"{'':{indent}}  ... and {more} more reason{'s' if more > 1 else ''}")
    return lines


def render_verdicts(title: str, verdicts: Sequence[Any]) -> str:
    """The readable table: recommend-now first (a handful), then later with the trigger
    that would promote each, consider, avoid; the 'pick one' groups and their order last."""
    counts = {
        k: sum(1 for v in verdicts if v.verdict == k)
        for k in ("recommend", "consider", "avoid", "not-applicable")
    }
    now = sum(1 for v in verdicts if getattr(v, "timing", "") == "now")
    others = ", ".join(f"{n} {k}" for k, n in counts.items() if k != "recommend")
    lines = [
        f"{one_line(title)}: {len(verdicts)} patterns ({counts['recommend']} recommend: "
        f"{now} now and {counts['recommend'] - now} later; {others})",
        "",
    ]
    pad = 29
    lines.append(f"{'VERDICT':<15} {'SCORE':>6} {'CONF':>5}  PATTERN")
    for v in verdicts:
        scope = getattr(v, "scope", "")
        lines.append(
            f"{verdict_label(v):<15} {_signed(v.score):>6} {v.confidence:>5.0%}  "
            f"{one_line(v.name)} ({v.pattern})" + (f", {one_line(scope)}" if scope else "")
        )
        lines += _reason_lines(v.reasons, pad)
        for other in getattr(v, "scoped", ()):
            lines.append(
                f"{'':{pad}}\u21b3 {one_line(other.scope)}: {other.verdict} {_signed(other.score)}"
            )
            lines += _reason_lines(other.reasons, pad + 4)
        if v.missing:
            needed = list(dict.fromkeys(a for m in v.missing for a in m.answers))
            lines.append(f"{'':{pad}}? unanswered: {', '.join(needed)}")
        changes = [one_line(c) for c in v.what_would_change[:TOP_CHANGES]]
        lines += [f"{'':{pad}}\u2192 {c}" for c in changes]
        promote = one_line(getattr(v, "promote_when", ""))
        if promote and promote not in changes:
            lines.append(f"{'':{pad}}\u21e1 {promote}")
        lines += [f"{'':{pad}}\u00b7 {one_line(n)}" for n in getattr(v, "notes", ())]
    lines += render_groups(verdicts)
    return "\n".join(lines) + "\n"


def render_groups(verdicts: Sequence[Any]) -> list[str]:
    """Each 'pick one' group: its members in order with their verdicts, then the plan."""
    groups: dict[str, list[Any]] = {}
    for v in verdicts:
        if getattr(v, "group", ""):
            groups.setdefault(v.group, []).append(v)
    if not groups:
        return []
    lines = ["", "PICK ONE PER FORCE (in order: start with the first that fits)"]
    for gid in sorted(groups):
        members = sorted(groups[gid], key=lambda v: (v.group_step, v.pattern))
        lines.append(f"  {one_line(members[0].group_force)} ({gid})")
        for m in members:
            lines.append(f"    {m.group_step}. {one_line(m.name):<40} {verdict_label(m)}")
        lines.append(f"    {one_line(members[0].group_plan)}")
    return lines


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def render_facts(values: dict[str, Any]) -> str:
    """Every fact with its type, current value and description."""
    from ..core.patterns import FACTS

    width = max(len(k) for k in FACTS)
    lines = []
    for name, spec in FACTS.items():
        kind = spec.type + (f" ({'|'.join(spec.choices)})" if spec.choices else "")
        lines.append(f"{name:<{width}}  {show_value(values.get(name)):<14} {kind}")
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
@batch
def recommend_cmd(file: str, fmt: str, pattern_dirs: tuple[str, ...], show_facts: bool) -> None:
    """Apply the pattern decision table to FILE's DISCOVER answers and topology.

    \b
    Examples:
      stratus recommend sample_designs/checkout.yaml
      stratus recommend design.yaml --format json
      stratus recommend design.yaml --patterns ./our-patterns
      stratus recommend design.yaml --facts
    """
    from ..core.patterns import facts_of, load_library
    from ..core.patterns.checks import pattern_dirs as known_dirs
    from ..core.patterns.engine import evaluate_all
    from ..core.problems import DesignError

    with known_dirs(pattern_dirs):
        design = load_or_exit(file)
    values = facts_of(design)
    if show_facts:
        if fmt == "json":
            from ..core.patterns import FACTS

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
