"""The diff written out: text for a terminal, Markdown for a pull request, JSON for scripts.

The Markdown is a pull-request comment: one summary line, then collapsible `<details>`
sections (only generated words and counts in their `<summary>`, user text in the body,
escaped by `core/escape.py`), and a Mermaid flowchart of the change drawn from the
exporters' topology with added, removed and changed components in three styles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..analysis.fmt import ms, pct, usd
from ..escape import md_cell, md_inline, mermaid_string, safe_ids
from ..export.topology import Node, build_topology
from .structure import FieldChange, ItemChange, dependency_id

if TYPE_CHECKING:
    from . import DesignDiff
    from .consequences import CostDelta, FindingChange, FlowDelta, ServiceDelta, VerdictChange

MARK = {"added": "+", "removed": "-", "changed": "~", "renamed": ">"}
"""One character per change, at the start of a text or table line."""

# Bidirectional overrides and isolates reorder what a reader sees in a comment (U+202E
# shows "evil.txt" as "txt.live"); Markdown escaping leaves them, so they are spelled out.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

MAX_DIAGRAM_NODES = 80
"""Past this many touched components the diagram is left out (renderers refuse big ones)."""


# ----------------------------------------------------------------------------- words


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _fields(fields: Iterable[FieldChange]) -> str:
    return "; ".join(f"{f.field} {_value(f.old)} → {_value(f.new)}" for f in fields)


def _pp(delta: float | None) -> str:
    if delta is None:
        return ""
    return f" ({delta:+.3f} pp)"


def _pct(value: float | None) -> str:
    return "—" if value is None else pct(value)


def _ms(value: float | None) -> str:
    return "—" if value is None else ms(value)


def _usd(value: float | None) -> str:
    return "—" if value is None else usd(value)


def _usd_delta(old: float | None, new: float | None) -> str:
    if old is None or new is None:
        return ""
    d = new - old
    return f" ({'+' if d >= 0 else '-'}{usd(abs(d))})"


def _item_text(c: ItemChange) -> str:
    name = f" ({c.label})" if c.label and c.label != c.id else ""
    if c.change == "renamed":
        head = f"{c.kind} {c.old_id} renamed to {c.id}{name}"
    else:
        head = f"{c.kind} {c.id}{name}"
    return head + (f": {_fields(c.fields)}" if c.fields else "")


def _verdict_text(v: VerdictChange) -> str:
    why = (
        "moved by " + ", ".join(f"{m.fact} {_value(m.old)} → {_value(m.new)}" for m in v.moved_by)
        if v.moved_by
        else "no answer it reads changed: the portfolio placed it differently"
    )
    return f"{v.pattern} ({v.name}): {v.old or '(new pattern)'} → {v.new or '(gone)'}; {why}"


def _finding_text(f: FindingChange) -> str:
    where = f" {f.component}" if f.component else ""
    accepted = " (accepted)" if f.accepted else ""
    return f"{f.severity} [{f.rule}]{where}{accepted}: {f.message}"


def _flow_text(f: FlowDelta) -> str:
    if f.old_availability is None:
        state = "new flow: "
    elif f.new_availability is None:
        state = "flow gone: "
    else:
        state = ""
    target = f", target {pct(f.target)}" if f.target is not None else ""
    return (
        f"{f.flow} ({f.name}): {state}availability {_pct(f.old_availability)} → "
        f"{_pct(f.new_availability)}{_pp(f.availability_delta)}{target}; "
        f"p99 {_ms(f.old_p99_ms)} → {_ms(f.new_p99_ms)}"
        + (f" ({f.p99_delta:+,.0f} ms)" if f.p99_delta else "")
    )


def _service_text(s: ServiceDelta) -> str:
    slo = f", SLO {pct(s.slo)}" if s.slo is not None else ""
    return f"{s.service}: {_pct(s.old)} → {_pct(s.new)}{_pp(s.delta)}{slo}"


def _cost_lines(c: CostDelta) -> list[str]:
    lines = [
        f"baseline {_usd(c.old_baseline)} → {_usd(c.new_baseline)}"
        f"{_usd_delta(c.old_baseline, c.new_baseline)} a month",
        f"at the 18-month growth {_usd(c.old_growth)} → {_usd(c.new_growth)}"
        f"{_usd_delta(c.old_growth, c.new_growth)}",
        f"at 10x load {_usd(c.old_10x)} → {_usd(c.new_10x)}{_usd_delta(c.old_10x, c.new_10x)}",
    ]
    caveat = c.new_coverage.caveat or c.old_coverage.caveat
    if caveat:
        lines.append(f"coverage: {caveat}")
    return lines


# ----------------------------------------------------------------------------- summary


def summary(result: DesignDiff) -> str:
    """One line: what changed and what it does (the first line of every format)."""
    if result.empty:
        return "No change: the two designs are the same in structure and in every analysis."
    s, c = result.structure, result.consequences
    parts: list[str] = []
    edited = len(s.components) + len(s.dependencies) + len(s.flows) + len(s.decisions)
    if edited:
        parts.append(_plural(edited, "item") + " edited")
    if s.answers:
        parts.append(_plural(len(s.answers), "answer") + " changed")
    opened = [f for f in c.findings if f.change == "opened"]
    closed = [f for f in c.findings if f.change == "closed"]
    errors = sum(1 for f in opened if f.severity == "error" and not f.accepted)
    if opened or closed:
        extra = f" ({_plural(errors, 'new error')})" if errors else ""
        parts.append(f"findings: {len(opened)} opened{extra}, {len(closed)} closed")
    if c.verdicts:
        parts.append(_plural(len(c.verdicts), "verdict") + " changed")
    if c.flows:
        worse = sum(1 for f in c.flows if (f.availability_delta or 0) < 0)
        parts.append(_plural(len(c.flows), "flow") + f" moved ({worse} less available)")
    if c.cost.changed:
        parts.append(f"cost {_usd(c.cost.old_baseline)} → {_usd(c.cost.new_baseline)} a month")
    return "; ".join(parts) if parts else "Edits that change no analysis."


# ----------------------------------------------------------------------------- text


def _text_section(title: str, lines: list[str], out: list[str]) -> None:
    if lines:
        out.append("")
        out.append(title)
        out.extend(f"  {line}" for line in lines)


def to_text(result: DesignDiff) -> str:
    """For a terminal (the CLI neutralises control characters on the way out)."""
    s, c = result.structure, result.consequences
    out = [f"stratus diff {result.old_name} → {result.new_name}", summary(result)]
    if result.empty:
        return "\n".join(out) + "\n"
    for title, items in (
        ("Components", s.components),
        ("Dependencies", s.dependencies),
        ("Flows (declared)", s.flows),
        ("Decisions", s.decisions),
    ):
        _text_section(title, [f"{MARK[i.change]} {_item_text(i)}" for i in items], out)
    _text_section("Answers", [f"~ {_fields([a])}" for a in s.answers], out)
    if s.other:
        _text_section("Also changed", [", ".join(s.other)], out)
    _text_section("Verdicts", [_verdict_text(v) for v in c.verdicts], out)
    marks = {"opened": "+", "closed": "-", "changed": "~"}
    _text_section(
        "Findings (+ opened, - closed, ~ same finding, new numbers)",
        [f"{marks[f.change]} {_finding_text(f)}" for f in c.findings],
        out,
    )
    _text_section("Flows: availability and p99", [_flow_text(f) for f in c.flows], out)
    _text_section("Services: achievable availability", [_service_text(x) for x in c.services], out)
    if c.cost.changed:
        _text_section("Cost (monthly)", _cost_lines(c.cost), out)
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- JSON


def to_json(result: DesignDiff) -> str:
    """For scripts: every section, numbers unrounded, plus the summary line."""
    data = {"summary": summary(result), **result.to_json()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------- Markdown


def _details(
    title: str, body: list[str], out: list[str], *, open_: bool = False, plain: bool = False
) -> None:
    """A collapsible section (a heading when `plain`); `title` is our own words."""
    if not body:
        return
    out.append("")
    if plain:  # a Markdown viewer without HTML (the TUI): a heading instead
        out += [f"### {title}", "", *body]
        return
    out.append(f"<details{' open' if open_ else ''}><summary>{title}</summary>")
    out.append("")  # Markdown inside <details> needs the blank line
    out.extend(body)
    out.append("")
    out.append("</details>")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def to_markdown(result: DesignDiff, *, plain: bool = False) -> str:
    """A pull-request comment: a summary line, then collapsible sections.

    `plain` is for a Markdown viewer that shows no HTML and no diagrams (REVIEW's "since
    last commit" tab): the same sections as headings, without the Mermaid block.
    """
    s, c = result.structure, result.consequences
    out = [
        f"**STRATUS design diff** ({md_inline(result.old_name)} → "
        f"{md_inline(result.new_name)}): {md_inline(summary(result))}"
    ]
    if result.empty:
        return _spelled("\n".join(out) + "\n")

    opened = [f for f in c.findings if f.change == "opened"]
    closed = [f for f in c.findings if f.change == "closed"]
    rows = [
        [
            {"opened": "opened", "closed": "closed", "changed": "reworded"}[f.change],
            f.severity + (" (accepted)" if f.accepted else ""),
            f"`{f.rule}`" if f.rule.replace("-", "").isalnum() else md_cell(f.rule),
            md_cell(f.component),
            md_cell(f.message),
        ]
        for f in c.findings
    ]
    if rows:
        _details(
            f"Findings: {len(opened)} opened, {len(closed)} closed",
            _table(["", "severity", "rule", "component", "finding"], rows),
            out,
            open_=bool(opened),
            plain=plain,
        )

    flow_rows = [
        [
            md_cell(f.flow),
            md_cell(f.name),
            f"{_pct(f.old_availability)} → {_pct(f.new_availability)}{_pp(f.availability_delta)}",
            _pct(f.target),
            f"{_ms(f.old_p99_ms)} → {_ms(f.new_p99_ms)}",
        ]
        for f in c.flows
    ]
    service_rows = [
        [md_cell(x.service), f"{_pct(x.old)} → {_pct(x.new)}{_pp(x.delta)}", _pct(x.slo)]
        for x in c.services
    ]
    body = []
    if flow_rows:
        body += _table(["flow", "name", "availability", "target", "p99"], flow_rows)
    if service_rows:
        body += ([""] if body else []) + _table(
            ["service", "achievable availability", "SLO"], service_rows
        )
    _details(
        f"Availability and latency: {_plural(len(c.flows), 'flow')}, "
        f"{_plural(len(c.services), 'service')}",
        body,
        out,
        plain=plain,
    )

    verdict_rows = [
        [
            md_cell(v.pattern),
            md_cell(v.old or "(new pattern)"),
            md_cell(v.new or "(gone)"),
            md_cell(
                ", ".join(f"{m.fact} {_value(m.old)} → {_value(m.new)}" for m in v.moved_by)
                or "the portfolio (no answer it reads changed)"
            ),
        ]
        for v in c.verdicts
    ]
    if verdict_rows:
        _details(
            f"Pattern verdicts: {len(c.verdicts)} changed",
            _table(["pattern", "was", "now", "moved by"], verdict_rows),
            out,
            plain=plain,
        )

    if c.cost.changed:
        lines = [f"- {md_inline(line)}" for line in _cost_lines(c.cost)]
        _details("Cost", lines, out, plain=plain)

    change_rows = [
        [MARK[i.change], i.kind, md_cell(_item_label(i)), md_cell(_fields(i.fields))]
        for i in (*s.components, *s.dependencies, *s.flows, *s.decisions)
    ]
    change_rows += [["~", "answer", md_cell(a.field), md_cell(_fields([a]))] for a in s.answers]
    change_rows += [["~", "section", md_cell(o), ""] for o in s.other]
    edits = len(change_rows)
    body = _table(["", "kind", "item", "fields"], change_rows) if change_rows else []
    diagram = "" if plain else change_mermaid(result)
    if diagram:
        body = ["```mermaid", *diagram.rstrip("\n").split("\n"), "```", "", *body]
    _details(f"What the change edits: {_plural(edits, 'item')}", body, out, plain=plain)
    return _spelled("\n".join(out) + "\n")


def _spelled(text: str) -> str:
    return _BIDI.sub(lambda m: f"(U+{ord(m.group()):04X})", text)


def _item_label(i: ItemChange) -> str:
    if i.change == "renamed":
        return f"{i.old_id} → {i.id}"
    return i.id


# ----------------------------------------------------------------------------- Mermaid

# The exporters' shapes (export/mermaid.py): services rounded, stores cylinders,
# externals hexagons, unknown references plain boxes.
_SHAPES: dict[str, tuple[str, str]] = {
    "service": ("(", ")"),
    "datastore": ("[(", ")]"),
    "external": ("{{", "}}"),
    "missing": ("[", "]"),
}

CHANGE_CLASSES: dict[str, str] = {
    "added": "fill:#dcfce7,stroke:#15803d,stroke-width:2px,color:#0f172a",
    "removed": "fill:#fee2e2,stroke:#b91c1c,stroke-dasharray:5 3,color:#0f172a",
    "changed": "fill:#fef3c7,stroke:#b45309,stroke-width:2px,color:#0f172a",
}
LINK_STYLES: dict[str, str] = {
    "added": "stroke:#15803d,stroke-width:2px",
    "removed": "stroke:#b91c1c,stroke-width:2px,stroke-dasharray:5 3",
    "changed": "stroke:#b45309,stroke-width:2px",
}


def change_mermaid(result: DesignDiff) -> str:
    """A Mermaid flowchart of what the change edits; empty when it edits no component or
    dependency (or touches too many to draw).

    Touched components and dependencies are drawn in the style of their change (renamed
    reads as changed), with the components at the other end of a touched dependency as
    plain context. Each label says its change in words too, for readers without colour.
    """
    s = result.structure
    if not (s.components or s.dependencies):
        return ""
    new_topo, old_topo = build_topology(result.new_design), build_topology(result.old_design)
    new_nodes = {n.id: n for n in new_topo.all_nodes()}
    old_nodes = {n.id: n for n in old_topo.all_nodes()}
    renames = dict(s.renames)

    status: dict[str, str] = {}
    for comp in s.components:
        status[comp.id] = "changed" if comp.change == "renamed" else comp.change
    was = {comp.id: comp.old_id for comp in s.components if comp.change == "renamed"}

    edges: list[tuple[str, str, str, str | None, str]] = []  # source, target, mode, label, change
    dep_status = {d.id: d.change for d in s.dependencies}
    seen: dict[tuple[str, str], int] = {}
    for e in new_topo.edges:
        nth = seen.get((e.source, e.target), 0)
        seen[(e.source, e.target)] = nth + 1
        change = dep_status.get(dependency_id(e.source, e.target, nth), "")
        if change or e.source in status or e.target in status:
            edges.append((e.source, e.target, e.mode, e.label, change))
    seen = {}
    for e in old_topo.edges:
        src, dst = renames.get(e.source, e.source), renames.get(e.target, e.target)
        nth = seen.get((src, dst), 0)
        seen[(src, dst)] = nth + 1
        if dep_status.get(dependency_id(src, dst, nth)) == "removed":
            edges.append((src, dst, e.mode, e.label, "removed"))

    shown = set(status) | {x for e in edges for x in e[:2]}
    if len(shown) > MAX_DIAGRAM_NODES:
        return ""

    def node_for(cid: str) -> Node | None:
        return new_nodes.get(cid) or old_nodes.get(cid)

    ids = safe_ids(shown, "n_")
    lines = ["flowchart LR"]
    for cid in sorted(shown):
        node = node_for(cid)
        kind = node.kind if node is not None else "missing"
        label = node.label if node is not None else cid
        state = status.get(cid)
        if cid in was:
            label = f"{label}\n(renamed from {was[cid]})"
        elif state:
            label = f"{label}\n({state})"
        left, right = _SHAPES[kind]
        style = f":::{state}" if state else ""
        lines.append(f"  {ids[cid]}{left}{mermaid_string(label)}{right}{style}")
    link_styles: dict[str, list[int]] = {}
    for index, (src, dst, mode, purpose, how) in enumerate(edges):
        arrow = "-.->" if mode == "async" else "-->"
        words = " ".join(x for x in (purpose or "", f"({how})" if how else "") if x)
        text = f"|{mermaid_string(words)}|" if words else ""
        lines.append(f"  {ids[src]} {arrow}{text} {ids[dst]}")
        if how:
            link_styles.setdefault(how, []).append(index)
    used = set(status.values())
    lines += [f"  classDef {k} {v}" for k, v in CHANGE_CLASSES.items() if k in used]
    lines += [
        f"  linkStyle {','.join(map(str, link_styles[k]))} {v}"
        for k, v in LINK_STYLES.items()
        if k in link_styles
    ]
    return "\n".join(lines) + "\n"
