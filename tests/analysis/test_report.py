"""The STRATUS report, section by section, on the checkout sample and on hostile text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from stratus_tui.core.analysis import analyse, cost_summary
from stratus_tui.core.analysis.fmt import ms, pct, usd
from stratus_tui.core.lint import lint
from stratus_tui.core.report import render_report
from stratus_tui.core.store.design_file import load_design

from .designs import Data, mutate, svc

SAMPLE = Path(__file__).resolve().parents[2] / "sample_designs" / "checkout.yaml"
HEADINGS = [
    "### \U0001f3d7\ufe0f Architecture Overview",
    "### \u26a1 Performance Analysis",
    "### \U0001f4b0 Cost Analysis",
    "### \U0001f534 Reliability Risks",
    "### \U0001f4cb IaC Compliance",
    "### \U0001f680 Recommended Actions",
]


@pytest.fixture(scope="module")
def sample() -> tuple[str, dict[str, str]]:
    design = load_design(SAMPLE)
    text = render_report(design)
    parts = re.split(r"^(### .*)$", text, flags=re.M)
    sections = {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}
    return text, sections


def test_opens_with_activation_line_and_title(sample: tuple[str, dict[str, str]]) -> None:
    # issue 15: an H1 naming the design, the activation line as a quote, a status line
    # that says what was reviewed and when (never "in progress" in a committed file)
    text, _ = sample
    design = load_design(SAMPLE)
    lines = text.splitlines()
    assert lines[0] == f"# {design.name}: architecture report"
    assert lines[2] == (
        f"> **STRATUS online.** Mapping infrastructure topology and failure surface for "
        f"{design.scope}."
    )
    assert lines[4].startswith("**Status:** reviewed as of ")
    assert "in progress" not in text
    assert "\n## STRATUS Architecture Report\n" in text


def test_status_date_is_the_given_one_else_the_latest_decision() -> None:
    import datetime as dt

    design = load_design(SAMPLE)
    latest = max(d.date for d in design.decisions if d.date is not None)
    assert f"reviewed as of {latest.isoformat()}," in render_report(design)
    given = render_report(design, dt.date(2027, 1, 31))
    assert "**Status:** reviewed on 2027-01-31: " in given
    undated = design.model_copy(update={"decisions": ()})
    assert "reviewed from the design file (no decision is dated)" in render_report(undated)


def test_six_sections_in_seed_order(sample: tuple[str, dict[str, str]]) -> None:
    text, sections = sample
    found = re.findall(r"^### .*$", text, flags=re.M)
    assert found == HEADINGS
    assert all(body.strip() for body in sections.values())


def test_overview_counts_components(sample: tuple[str, dict[str, str]]) -> None:
    _, s = sample
    design = load_design(SAMPLE)
    body = s[HEADINGS[0]]
    assert f"{len(design.services)} services" in body
    assert f"{len(design.datastores)} datastores" in body
    sync = sum(1 for d in design.dependencies if d.mode == "sync")
    assert f"{sync} synchronous" in body
    for service in design.services:
        assert f"`{service.id}`" in body


def test_performance_states_the_flows_and_the_slowest(
    sample: tuple[str, dict[str, str]],
) -> None:
    _, s = sample
    design = load_design(SAMPLE)
    a = analyse(design)
    slow = a.longest_chain
    assert slow is not None
    body = s[HEADINGS[1]]
    assert f"Slowest flow: `{slow.flow}`, **{ms(slow.total_ms)} p99**" in body
    # the p99 is the sum of each hop's own time, never an SLO (issue 14)
    assert slow.total_ms == sum(h.ms for h in slow.hops)
    for flow in a.flows:
        assert f"`{flow.id}`" in body
    req = design.discovery.requirements.latency_p99_ms
    assert req is not None


def test_cost_section_numbers(sample: tuple[str, dict[str, str]]) -> None:
    _, s = sample
    design = load_design(SAMPLE)
    body = s[HEADINGS[2]]
    declared = sum(
        c.monthly_cost_usd or 0
        for group in (design.services, design.datastores, design.externals)
        for c in group
    )
    assert usd(declared) in body  # baseline = sum of the declared monthly costs
    c = cost_summary(design)
    assert usd(c.at_10x) in body
    assert design.discovery.budget.monthly_usd is not None
    assert usd(design.discovery.budget.monthly_usd) in body
    for d in c.drivers:
        assert f"`{d.component}`" in body


def test_reliability_lists_spofs_budgets_and_burn_rates(
    sample: tuple[str, dict[str, str]],
) -> None:
    _, s = sample
    design = load_design(SAMPLE)
    a = analyse(design)
    body = s[HEADINGS[3]]
    for spof in a.spofs:
        assert f"`{spof.component}`" in body
    for b in a.availability:
        # every service's figure includes its own copies: no made-up "100 %" (issue 14)
        assert f"`{b.service}` | " in body and pct(b.achievable) in body
        assert b.achievable < 100.0
    for flow in a.flows:  # the per-flow availability and blast table
        assert f"`{flow.id}`" in body
    assert "14.4x" in body and "6x" in body and "1x" in body
    assert "43.2 min" in body  # the 99.9 % checkout SLO: 43.2 minutes per 30 days
    assert "assumed" in body  # stores without a declared availability


def test_iac_section_states_declared_and_undeclared(
    sample: tuple[str, dict[str, str]],
) -> None:
    _, s = sample
    design = load_design(SAMPLE)
    body = s[HEADINGS[4]]
    n = len(design.services)
    with_rollback = sum(1 for x in design.services if x.rollback)
    assert f"Rollback procedure written for {with_rollback} of {n}" in body
    # the checkout sample now writes a rollback for every service (the monolith's is a
    # capistrano rollback), so nothing is listed as left undeclared ...
    assert with_rollback == n and "Left undeclared" not in body
    assert "Terraform" in body
    # ... and a service that drops its rollback is named in that list
    services = [
        x.model_copy(update={"rollback": None}) if x.id == "notifications" else x
        for x in design.services
    ]
    dropped = render_report(design.model_copy(update={"services": services}))
    iac = re.split(r"^### .*$", dropped.split(HEADINGS[4], 1)[1], flags=re.M)[0]
    assert f"Rollback procedure written for {n - 1} of {n}" in iac
    assert "- Left undeclared: `notifications` rollback." in iac


def test_actions_are_open_findings_ranked(sample: tuple[str, dict[str, str]]) -> None:
    _, s = sample
    design = load_design(SAMPLE)
    body = s[HEADINGS[5]]
    open_count = sum(1 for f in lint(design) if not f.accepted and f.severity != "info")
    assert f"{open_count} open findings" in body
    rows = [line for line in body.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert rows and rows[0].startswith("| 1 |")
    impacts = [line.split("|")[-3].strip() for line in rows]
    efforts = [line.split("|")[-2].strip() for line in rows]
    level = {"low": 1, "medium": 2, "high": 3}

    def impact(text: str) -> int:
        # "high, unblocks 2 SLOs": a root cause counts one level per SLO it unblocks
        m = re.match(r"(\w+)(?:, unblocks (\d+) SLOs?)?$", text)
        assert m, text
        return level[m.group(1)] + int(m.group(2) or 0)

    ratios = [impact(i) / level[e] for i, e in zip(impacts, efforts, strict=True)]
    assert ratios == sorted(ratios, reverse=True)


def test_a_root_cause_spof_outranks_cheap_hygiene() -> None:
    # the monolith is a single VM and the weakest dependency behind checkout's and the
    # gateway's unreachable SLOs: making it redundant lifts both, so it ranks above
    # the cheap hygiene left on it (its secrets still come from environment variables)
    design = load_design(SAMPLE)
    body = render_report(design).split(HEADINGS[5])[1]
    rows = [line for line in body.splitlines() if re.match(r"^\| \d+ \|", line)]
    order = [(line.split("|")[5].strip(), line.split("|")[4].strip()) for line in rows]
    spof = order.index(("`spof`", "`monolith`"))
    # checkout's SLO and both gateway flows (place-order, browse) wait on the monolith
    assert "unblocks 3 SLOs" in rows[spof]
    assert spof < order.index(("`unmanaged-secret`", "`monolith`"))


def test_accepted_risks_are_listed_not_actioned() -> None:
    def edit(data: Data) -> None:
        svc(data, "api")["replicas"] = 1
        svc(data, "api")["slo"]["availability"] = 99.0  # one copy reaches 99.49 %
        data["accepted_risks"] = [{"rule": "spof", "component": "api", "reason": "until Q3"}]

    text = render_report(mutate(edit))
    actions = text.split(HEADINGS[5])[1]
    assert "Accepted risks" in actions and "until Q3" in actions
    assert "accepted because until Q3." in actions
    assert "No open error or warning" in actions


def test_hostile_user_text_is_escaped() -> None:
    evil = "Pay | <script>alert(1)</script>\n# heading [x](http://e.vil)"

    def edit(data: Data) -> None:
        data["name"] = evil
        data["scope"] = evil
        data["context"] = evil
        svc(data, "api")["name"] = evil
        svc(data, "api")["rollback"] = evil
        svc(data, "api")["context"] = evil

    text = render_report(mutate(edit))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    inline = [c for t in tokens for c in (t.children or [])]
    assert "html_block" not in {t.type for t in tokens}
    # the only HTML is the <br> the escaper writes for a newline
    assert {c.content for c in inline if c.type == "html_inline"} <= {"<br>"}
    assert "link_open" not in {c.type for c in inline}
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) == 8  # the H1, the title and six sections, nothing injected
    # a pipe in user text does not add a column: every row has its header's cell count
    cells_per_row: list[int] = []
    count = 0
    for t in tokens:
        if t.type == "tr_open":
            count = 0
        elif t.type in ("th_open", "td_open"):
            count += 1
        elif t.type == "tr_close":
            cells_per_row.append(count)
        elif t.type == "table_close":
            assert len(set(cells_per_row)) == 1, cells_per_row
            cells_per_row = []
    # ... and the whole name, pipe included, stays inside one cell
    cells = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "td_open"]
    assert any("Pay | \\<script\\>alert(1)" in c for c in cells)
