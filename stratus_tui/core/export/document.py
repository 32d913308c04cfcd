"""The design document (`--format markdown`): the seed's ARCHITECT template, from Jinja2.

`render_design_doc` takes the pattern verdicts, lint findings and analysis as inputs so
the UI can reuse what it already computed; `to_markdown` computes them. The template
(`stratus_tui/templates/design.md.j2`, replaceable with `--template PATH`) gets raw
values and escapes them itself with the filters of `escape.py` (autoescape is off: the
output is Markdown, not HTML).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import Design
from . import escape
from .rows import (
    component_labels,
    constraints,
    decision_rows,
    failure_rows,
    fmt_num,
    service_rows,
    slo_rows,
)

TEMPLATE_NAME = "design.md.j2"


class TemplateProblem(ValueError):
    """A user template that cannot be read or rendered; the message names the file."""


def templates_dir() -> Path:
    """Folder of the templates shipped in the package."""
    from importlib import resources

    return Path(str(resources.files("stratus_tui").joinpath("templates")))


def _usd(value: float | None) -> str:
    return "" if value is None else f"${value:,.0f}"


def _duration_min(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 120:
        return f"{value / 60:.1f} h"
    if value >= 1:
        return f"{value:.1f} min"
    return f"{value * 60:.1f} s"


def _hours(value: float) -> str:
    if value >= 48 and value % 24 == 0:
        return f"{value / 24:g} d"
    if value < 1:
        return f"{value * 60:g} min"
    return f"{value:g} h"


def environment(folder: Path) -> Any:
    """A Jinja2 environment loading from `folder`, with the escaping filters."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    # Sandboxed: a team's --template is data, never a way to run code.
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        md=escape.md_inline,
        md_cell=escape.md_cell,
        md_block=escape.md_block,
        md_join=escape.md_join,
        md_url=escape.md_url,
        yaml_str=escape.yaml_string,
        num=lambda v, suffix="": fmt_num(v, suffix) or "",
        usd=_usd,
        duration=_duration_min,
        hours=_hours,
    )
    return env


def template_context(
    design: Design,
    verdicts: Sequence[Any],
    findings: Sequence[Any],
    analysis: Any,
) -> dict[str, Any]:
    """Everything the template may use (listed at the top of design.md.j2)."""
    from .mermaid import to_mermaid
    from .storm import timeline, to_storm_mermaid

    storm_items = timeline(design)
    labels = component_labels(design)

    def label(cid: str | None) -> str:
        return "" if cid is None else labels.get(cid, cid)

    cost = analysis.cost if analysis is not None else None
    return {
        "design": design,
        "name": design.name,
        "scope": design.scope,
        "context": design.context,
        "constraints": constraints(design),
        "mermaid": to_mermaid(design, header=False),
        "decisions": decision_rows(
            design,
            {v.pattern: v.name for v in verdicts},
            {v.pattern: f"{v.verdict} ({v.score:+g})" for v in verdicts},
        ),
        "services": service_rows(design),
        "failure_modes": failure_rows(design),
        "slos": slo_rows(design, analysis),
        "burn_tiers": _burn_tiers(analysis),
        "cost": cost,
        "unpriced": [label(c) for c in cost.unpriced] if cost is not None else [],
        "label": label,
        "migration": design.migration,
        "storm_items": storm_items,
        "storm_mermaid": to_storm_mermaid(design, header=False) if storm_items else "",
        "storm_contexts": {c.id: (c.name or c.id) for c in design.event_storming.contexts},
        "verdicts": list(verdicts),
        "findings": list(findings),
        "analysis": analysis,
    }


def _burn_tiers(analysis: Any) -> list[dict[str, Any]]:
    if analysis is None or not analysis.error_budgets:
        from ..analysis.slo import TIERS

        tiers = TIERS
    else:
        tiers = tuple(a.tier for a in analysis.error_budgets[0].alerts)
    return [
        {
            "severity": t.severity,
            "budget_pct": t.budget_fraction * 100,
            "long": t.long_window_h,
            "short": t.short_window_h,
            "burn_rate": t.burn_rate,
        }
        for t in tiers
    ]


def render_design_doc(
    design: Design,
    verdicts: Sequence[Any],
    findings: Sequence[Any],
    analysis: Any = None,
    template: str | Path | None = None,
) -> str:
    """The design document in Markdown.

    `verdicts` come from `core.rules.recommend`, `findings` from `core.analysis.lint`,
    `analysis` from `core.analysis.analyse` (computed here when None). `template` is a
    path to a Jinja2 template replacing the shipped one; problems with it raise
    TemplateProblem.
    """
    if analysis is None:
        from ..analysis import analyse

        analysis = analyse(design)
    context = template_context(design, verdicts, findings, analysis)
    if template is None:
        text = str(environment(templates_dir()).get_template(TEMPLATE_NAME).render(context))
        return text.rstrip("\n") + "\n"
    return _render_user_template(Path(template), context)


def _render_user_template(path: Path, context: dict[str, Any]) -> str:
    import jinja2

    if not path.is_file():
        raise TemplateProblem(f"{path}: template not found")
    env = environment(path.parent)
    try:
        return str(env.get_template(path.name).render(context)).rstrip("\n") + "\n"
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or path}:{exc.lineno}"
        raise TemplateProblem(f"{where}: template syntax error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"{path}: template error: {exc}") from None
    except UnicodeDecodeError as exc:
        raise TemplateProblem(f"{path}: not UTF-8 text (byte {exc.start})") from None


def to_markdown(design: Design, template: str | Path | None = None) -> str:
    """The design document with the verdicts, findings and analysis computed here."""
    from ..analysis import analyse, lint
    from ..rules import recommend

    return render_design_doc(design, recommend(design), lint(design), analyse(design), template)
