"""The design document (`--format markdown`): the seed's ARCHITECT template, from Jinja2.

`render_design_doc` takes the pattern verdicts, lint findings and analysis as inputs so
the UI can reuse what it already computed; `to_markdown` computes them. The template
(`stratus_tui/templates/design.md.j2`, replaceable with `--template PATH`) gets raw
values and escapes them itself with the filters of `escape.py` (autoescape is off: the
output is Markdown, not HTML).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import escape
from ..gc_pause import gc_paused
from ..model import Design
from .rows import (
    component_labels,
    constraints,
    decision_rows,
    dependency_rows,
    failure_rows,
    fmt_num,
    lint_summary,
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


MAX_OUTPUT_CHARS = 20_000_000
"""Longest text a template may produce (the shipped one writes ~50 KB for 300 services)."""
MAX_WIDTH = 10_000
"""Widest padding a template may ask for (`center`, `indent`, `{:>N}`, `%Nd`)."""
_MAX_POWER_BITS = 100_000
_WIDTHS = re.compile(r"(\d+)")


def _too_wide(spec: str) -> bool:
    return any(int(n) > MAX_WIDTH for n in _WIDTHS.findall(spec))


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse operations whose result would not fit in memory (`"x" * 10**9`, `9**9**9`)."""
    from jinja2.exceptions import SecurityError

    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            sized = isinstance(seq, str | bytes | list | tuple) and isinstance(n, int)
            if sized and len(seq) * n > MAX_OUTPUT_CHARS:
                raise SecurityError(f"a repetition of {len(seq):,} x {n:,} items is too large")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int):
        if abs(left) > 1 and right > 0 and right * abs(left).bit_length() > _MAX_POWER_BITS:
            raise SecurityError("the power is too large")
    elif operator == "%" and isinstance(left, str):
        specs = re.findall(r"%[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?", left)
        args = right if isinstance(right, tuple) else (right,)
        if any(_too_wide(a + "." + b) for a, b in specs) or (
            "*" in left and any(isinstance(a, int) and a > MAX_WIDTH for a in args)
        ):
            raise SecurityError(f"a format width over {MAX_WIDTH:,} is too large")


def _limited_sandbox() -> Any:
    """A Jinja2 sandbox that also bounds memory: no huge repetitions, powers, widths."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class Limited(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            wrapped = super().wrap_str_format(value)
            text = getattr(value, "__self__", "")
            if wrapped is not None and isinstance(text, str):
                import string

                for _literal, _field, spec, _conv in string.Formatter().parse(text):
                    if spec and _too_wide(spec):
                        raise SecurityError(f"a format width over {MAX_WIDTH:,} is too large")
            return wrapped

    return Limited


def _width_checked(name: str, filter_: Any) -> Any:
    from jinja2.exceptions import SecurityError

    def checked(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> Any:
        if isinstance(width, int) and width > MAX_WIDTH:
            raise SecurityError(f"{name}({width:,}) is wider than {MAX_WIDTH:,}")
        return filter_(value, width, *args, **kwargs)

    return checked


def _format_filter(value: Any, *args: Any, **kwargs: Any) -> str:
    from jinja2.filters import do_format

    _check_binop("%", str(value), tuple(args))
    return str(do_format(value, *args, **kwargs))


_ENV_SETTINGS: dict[str, Any] = {
    "autoescape": False,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}
"""How templates are parsed; part of a compiled template's cache checksum."""


def environment(folder: Path, *, sandboxed: bool = True, cache: Any = None) -> Any:
    """A Jinja2 environment loading from `folder`, with the escaping filters; `cache` a
    Jinja2 bytecode cache for its compiled templates."""
    import jinja2

    # Sandboxed: a team's --template is data, never a way to run code or exhaust memory.
    # The shipped template is ours: the sandbox's attribute checks (40k calls, a third of
    # the render at 1,000 services) buy nothing there.
    kind = _limited_sandbox() if sandboxed else jinja2.Environment
    env = kind(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=cache,
        **_ENV_SETTINGS,
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
        format=_format_filter,
        center=_width_checked("center", env.filters["center"]),
        indent=_width_checked("indent", env.filters["indent"]),
        wordwrap=_width_checked("wordwrap", env.filters["wordwrap"]),
    )
    return env


def template_context(
    design: Design,
    verdicts: Sequence[Any],
    findings: Sequence[Any],
    analysis: Any,
    reviewed_on: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the template may use (listed at the top of design.md.j2)."""
    from ..report.render import activation_quote, document_title, status_line
    from .mermaid import to_mermaid
    from .sequence import FLOW_FOLDER, flow_file_names, flow_title, sequence_flows, to_sequence
    from .storm import dots, timeline, to_storm_mermaid

    storm_items = timeline(design)
    labels = component_labels(design)

    def label(cid: str | None) -> str:
        return "" if cid is None else labels.get(cid, cid)

    drawn, listed = flows_drawn_and_listed(sequence_flows(design))
    file_names = flow_file_names(design) if listed else {}
    cost = analysis.cost if analysis is not None else None
    return {
        "design": design,
        "title": document_title(design, "architecture design"),
        "activation": activation_quote(design),
        "status": status_line(design, reviewed_on),
        "dependencies": dependency_rows(design),
        "flows": [
            {"title": flow_title(f), "mermaid": to_sequence(design, f, header=False)} for f in drawn
        ],
        "derived_flows": [
            {
                "title": flow_title(f),
                "entry": label(f.entry),
                "trigger": f.trigger,
                "file": f"{FLOW_FOLDER}/{file_names[f.id]}",
            }
            for f in listed
        ],
        "lint": lint_summary(findings),
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
        # Dot-voting results (live workshops), most dots first; empty without votes.
        "storm_votes": sorted(
            ((n, item) for item in storm_items if (n := dots(design).get(item.id, 0))),
            key=lambda pair: -pair[0],
        ),
        "verdicts": list(verdicts),
        "findings": list(findings),
        "analysis": analysis,
    }


DRAWN_FLOWS = 20
"""Most sequence diagrams the document embeds when flows are derived from the topology."""


def flows_drawn_and_listed(flows: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """(flows drawn in the document, flows only listed). Declared flows are always drawn;
    the flows derived from the topology too while the document holds at most DRAWN_FLOWS
    diagrams, else they are listed in a table: at 1,000 services 520 derived diagrams
    made a 9.6 MB document that no Markdown viewer renders (each is still written to
    diagrams/flows/ by `--format all`, and by `--format sequence`)."""
    if len(flows) <= DRAWN_FLOWS:
        return list(flows), []
    return [f for f in flows if not f.derived], [f for f in flows if f.derived]


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
    reviewed_on: dt.date | None = None,
) -> str:
    """The design document in Markdown.

    `verdicts` come from `core.patterns.recommend`, `findings` from `core.lint.lint`,
    `analysis` from `core.analysis.analyse` (computed here when None). `template` is a
    path to a Jinja2 template replacing the shipped one; problems with it raise
    TemplateProblem. `reviewed_on` dates the status line (else the latest decision's
    date: never today's, so the same design exports the same bytes).
    """
    if analysis is None:
        from ..analysis import analyse

        analysis = analyse(design)
    context = template_context(design, verdicts, findings, analysis, reviewed_on)
    if template is None:
        text = str(_builtin_template().render(context))
        return text.rstrip("\n") + "\n"
    return _render_user_template(Path(template), context)


@functools.cache
def _builtin_template() -> Any:
    """The shipped design-document template, compiled once per process, and kept
    compiled in the user's cache folder: compiling it took ~40 ms of every Markdown
    export (see `_compiled_cache`)."""
    return environment(templates_dir(), sandboxed=False, cache=_compiled_cache()).get_template(
        TEMPLATE_NAME
    )


def _compiled_cache() -> Any:
    """A Jinja2 bytecode cache in `user_cache_dir()/templates` that never fails an export:
    an unreadable, corrupt or unwritable cache only means compiling again. An entry is
    used only for the same template text, Jinja2, Python and environment settings (the
    checksum covers them all)."""
    import hashlib
    import os
    import sys
    import tempfile

    import jinja2
    from jinja2.bccache import Bucket, BytecodeCache

    from ..resources import user_cache_dir

    folder = user_cache_dir() / "templates"
    salt = f"{jinja2.__version__}|{sys.version}|{_ENV_SETTINGS}|"

    class QuietCache(BytecodeCache):
        def get_source_checksum(self, source: str) -> str:
            return hashlib.sha1((salt + source).encode("utf-8")).hexdigest()

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                with open(folder / f"{bucket.key}.cache", "rb") as f:
                    bucket.load_bytecode(f)
            except Exception:  # a damaged entry's pickled checksum can raise anything
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            temp = None
            try:
                folder.mkdir(parents=True, exist_ok=True)
                fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
                with os.fdopen(fd, "wb") as f:
                    bucket.write_bytecode(f)
                os.replace(temp, folder / f"{bucket.key}.cache")  # whole or not at all
                temp = None
            except OSError:
                pass
            finally:
                if temp is not None:
                    with contextlib.suppress(OSError):
                        os.remove(temp)

    return QuietCache()


def _render_user_template(path: Path, context: dict[str, Any]) -> str:
    import jinja2

    if not path.is_file():
        raise TemplateProblem(f"{path}: template not found")
    env = environment(path.parent)
    try:
        template = env.get_template(path.name)
        parts: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateProblem(
                    f"{path}: template output passes {MAX_OUTPUT_CHARS:,} characters"
                )
            parts.append(chunk)
        return "".join(parts).rstrip("\n") + "\n"
    except TemplateProblem:
        raise
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or path}:{exc.lineno}"
        raise TemplateProblem(f"{where}: template syntax error: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise TemplateProblem(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except Exception as exc:
        # A user template is code we run: whatever it raises (a sandbox limit, 1/0, a
        # range too big, a recursive macro) is a problem with it, never a traceback.
        where = f"{path}:{_template_line(exc, path)}"
        kind = "template error" if isinstance(exc, jinja2.TemplateError) else type(exc).__name__
        message = str(exc).splitlines()[0][:300] if str(exc) else kind
        raise TemplateProblem(f"{where}: {kind}: {message}") from None


def _template_line(exc: BaseException, path: Path) -> int:
    """The template line being run when `exc` was raised (Jinja maps its frames back to
    template lines), else 1."""
    line = 1
    tb = exc.__traceback__
    wanted = str(path.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        try:
            same = str(Path(filename).resolve()) == wanted
        except (OSError, ValueError):
            same = False
        if same:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@gc_paused()  # batch work: see gc_pause
def to_markdown(design: Design, template: str | Path | None = None) -> str:
    """The design document with the verdicts, findings and analysis computed here."""
    from ..analysis.analyse import analysis_from
    from ..analysis.context import LintContext
    from ..lint import lint
    from ..patterns import recommend

    ctx = LintContext(design)  # one graph, one set of analyses for the findings and figures
    findings = lint(design, ctx)
    return render_design_doc(design, recommend(design), findings, analysis_from(ctx), template)
