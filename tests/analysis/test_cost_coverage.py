"""Cost only from data (issue 14, item 6): coverage, assumed prices, and no budget verdict
or saving claim below 80 % declared, in the report, design.md, lint and the CLI."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stratus_tui.core.analysis import analyse
from stratus_tui.core.analysis.cost import cost_summary
from stratus_tui.core.analysis.prices import price_table
from stratus_tui.core.export.document import render_design_doc
from stratus_tui.core.lint import lint
from stratus_tui.core.model import Design
from stratus_tui.core.report import render_report

# A fixed user table so the golden figures do not follow the built-in one.
PRICES = """\
service:
  kubernetes: {per_copy: 100}
  serverless: {flat: 50}
datastore:
  postgresql: {per_copy: 250}
  elasticsearch: {per_copy: 200}
  redis: {per_copy: 100}
external:
  default: {flat: 100}
"""

DECLARED = {"gateway": 300, "orders-db": 900, "psp": 200}
"""The three components of thirteen that declare a cost in the partial case."""


def marketplace(all_priced: bool = False) -> dict[str, Any]:
    """13 components; only gateway, orders-db and psp declare a cost unless `all_priced`."""
    # JSON is YAML: the CLI tests write the design with json.dumps
    services: list[dict[str, Any]] = [
        {"id": "gateway", "runtime": "managed", "replicas": 2},
        {"id": "orders", "runtime": "kubernetes", "replicas": 3},
        {"id": "catalog", "runtime": "kubernetes", "replicas": 3},
        {"id": "search", "runtime": "kubernetes", "replicas": 2},
        {"id": "cart", "runtime": "kubernetes", "replicas": 2},
        {"id": "users", "runtime": "kubernetes", "replicas": 2},
        {"id": "notify", "runtime": "serverless"},
    ]
    stores: list[dict[str, Any]] = [
        {"id": "orders-db", "kind": "postgresql", "replicas": 2, "multi_az": True},
        {"id": "catalog-db", "kind": "postgresql", "replicas": 2, "multi_az": True},
        {"id": "search-idx", "kind": "elasticsearch", "replicas": 3, "multi_az": True},
        {"id": "cart-cache", "kind": "redis", "replicas": 2, "multi_az": True},
        {"id": "users-db", "kind": "postgresql", "multi_az": True},  # 2 copies assumed
    ]
    externals: list[dict[str, Any]] = [{"id": "psp"}]
    for comp in [*services, *stores, *externals]:
        if all_priced:
            comp["monthly_cost_usd"] = DECLARED.get(comp["id"], 300)
        elif comp["id"] in DECLARED:
            comp["monthly_cost_usd"] = DECLARED[comp["id"]]
    return {
        "stratus": 1,
        "name": "Marketplace",
        "discovery": {
            "current": {"monthly_cost_usd": 8000},
            "budget": {"monthly_usd": 10000},
            "workload": {"growth_18m": 2},
        },
        "services": services,
        "datastores": stores,
        "externals": externals,
    }


@pytest.fixture
def user_prices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixed table as the user's own prices.yaml (a real file in the config dir)."""
    home = tmp_path / "config"
    (home / "stratus").mkdir(parents=True)
    path = home / "stratus" / "prices.yaml"
    path.write_text(PRICES, encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return path


def test_partial_pricing_makes_no_saving_claim_and_no_budget_verdict(user_prices: Path) -> None:
    """3 of 13 priced.

    Declared: gateway 300 + orders-db 900 + psp 200 = $1,400.
    Assumed (user table): orders 3 x 100 = 300, catalog 300, search 2 x 100 = 200,
    cart 200, users 200, notify 50 flat, catalog-db 2 x 250 = 500, search-idx 3 x 200
    = 600, cart-cache 2 x 100 = 200, users-db 2 copies (multi-AZ, replicas undeclared)
    x 250 = 500: $3,050.  Baseline $4,450; declared 1,400 / 4,450 = 31 %, 3 / 13 = 23 %:
    both below 80 %, so no verdict against the $10,000 budget and no claim against
    today's $8,000 (the old report said "$6,600 less per month").
    At 10x the declared lines alone settle it: gateway managed linear 3,000 + orders-db
    step x8 7,200 + psp external linear 2,000 = $12,200 > $10,000: over.
    """
    design = Design.model_validate(marketplace())
    c = cost_summary(design)
    assert c.prices == f"built-in + {user_prices}"
    assert (c.declared_baseline, c.assumed_baseline, c.baseline) == (1400, 3050, 4450)
    assert round(c.count_coverage * 13) == 3 and round(c.dollar_coverage, 3) == 0.315
    assert not c.sufficient
    assert c.baseline_verdict is None and c.growth_verdict is None and c.saving is None
    assert c.declared_at_10x == 12200 and c.at_10x_verdict == "over"
    missing = (
        "cart, cart-cache, catalog, catalog-db, notify, orders, search, search-idx, users, users-db"
    )
    assert ", ".join(c.unpriced) == missing
    assumed = {line.component: line.basis for line in c.assumed_lines}
    assert assumed["users-db"] == (
        "postgresql, $250 per copy x 2 copies (multi-AZ, replicas undeclared)"
    )
    assert assumed["notify"] == "serverless, $50 flat"

    report = render_report(design)
    section = report.split("Cost Analysis", 1)[1].split("Reliability Risks", 1)[0]
    assert "No budget verdict and no saving claim" in section
    assert "`cart`, `cart-cache`, `catalog`" in section and "`users-db`" in section
    assert "less per month" not in section and "within" not in section
    assert "the declared lines alone ($12,200) exceed it" in section
    assert "$4,450/month** ($1,400 declared + $3,050 assumed)" in section
    assert "$500 assumed" in section  # users-db's line in the table

    doc = render_design_doc(design, [], [], analyse(design))
    budget = doc.split("### Cost Estimate", 1)[1].split("###", 1)[0]
    assert "No budget verdict" in budget and "within" not in budget
    assert "Missing a declared monthly cost: cart, cart-cache" in budget
    assert "$500 (assumed)" in budget

    [hit] = [f for f in lint(design) if f.rule == "cost-coverage"]
    assert hit.severity == "warning"
    assert "only 3 of 13 components" in hit.message and missing in hit.message
    assert not [f for f in lint(design) if f.rule == "over-budget"]
    [ten] = [f for f in lint(design) if f.rule == "over-budget-10x"]
    assert "the declared costs alone come to $12,200/month" in ten.message


def test_full_pricing_compares_with_today_and_the_budget(user_prices: Path) -> None:
    """13 of 13 priced: gateway 300 + orders-db 900 + psp 200 + ten at 300 = $4,400.

    Today $8,000: $3,600 less per month. Budget $10,000: within (44 %). 10x: gateway
    managed linear 3,000, notify serverless linear 3,000, psp external linear 2,000; the
    ten others step x8: 5 kubernetes 5 x 2,400 = 12,000 and 5 stores 900 x 8 + 4 x 2,400
    = 16,800: $36,800, over the budget.
    """
    design = Design.model_validate(marketplace(all_priced=True))
    c = cost_summary(design)
    assert c.sufficient and not c.assumed_lines
    assert c.baseline == 4400 and c.saving == 3600
    assert c.at_10x == 3000 + 3000 + 2000 + 12000 + 16800
    assert (c.baseline_verdict, c.at_10x_verdict, c.growth_verdict) == ("within", "over", "within")
    section = render_report(design).split("Cost Analysis", 1)[1].split("Reliability", 1)[0]
    assert "the target design is $3,600 less per month" in section
    assert "within the $10,000 budget (44 %)" in section
    assert "No budget verdict" not in section
    assert not [f for f in lint(design) if f.rule == "cost-coverage"]


def test_declared_lines_alone_over_the_budget_are_a_verdict_even_with_low_coverage(
    user_prices: Path,
) -> None:
    """3 of 13 declared at $1,400 against a $1,000 budget: over whatever the rest costs."""
    data = marketplace()
    data["discovery"]["budget"]["monthly_usd"] = 1000
    design = Design.model_validate(data)
    c = cost_summary(design)
    assert not c.sufficient and c.baseline_verdict == "over"
    [hit] = [f for f in lint(design) if f.rule == "over-budget"]
    assert "the declared costs alone ($1,400/month)" in hit.message


def test_exactly_80_percent_declared_is_enough(user_prices: Path) -> None:
    """4 of 5 declared (80 %), the fifth a $100 external: 400 / 500 = 80 % of dollars."""
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "x",
            "discovery": {"budget": {"monthly_usd": 1000}},
            "services": [{"id": f"s{i}", "monthly_cost_usd": 100} for i in range(4)],
            "externals": [{"id": "e"}],
        }
    )
    c = cost_summary(design)
    assert c.count_coverage == 0.8 and c.dollar_coverage == 0.8
    assert c.sufficient and c.baseline_verdict == "within"


def test_the_built_in_table_prices_by_kind_and_replicas() -> None:
    """postgresql $400 a copy x 3 replicas; an unknown kind takes the datastore default."""
    table = price_table(Path("/nonexistent/prices.yaml"))
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "x",
            "datastores": [
                {"id": "pg", "kind": "postgresql", "replicas": 3},
                {"id": "odd", "kind": "foodb"},
            ],
        }
    )
    c = cost_summary(design, table)
    by_id = {line.component: line for line in c.lines}
    assert by_id["pg"].baseline == 1200 and by_id["pg"].assumed
    assert by_id["pg"].basis == "postgresql, $400 per copy x 3 copies"
    assert by_id["odd"].basis == (
        "foodb, the datastore default, $300 per copy x 1 copy (replicas undeclared)"
    )


def test_a_broken_user_table_is_reported_with_its_place_and_the_built_in_one_used(
    tmp_path: Path,
) -> None:
    """A real CLI run: the report names FILE:LINE:COL, exits 0, prints no traceback."""
    home = tmp_path / "config"
    (home / "stratus").mkdir(parents=True)
    bad = home / "stratus" / "prices.yaml"
    bad.write_text("service:\n  vm: {per_copy: -5}\n", encoding="utf-8")
    design_file = tmp_path / "d.yaml"
    data = copy.deepcopy(marketplace())
    design_file.write_text(json.dumps(data), encoding="utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(home)}
    run = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "report", str(design_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert f"Your price table was not used: {bad}:2:" in run.stdout
    assert "service.vm.per_copy" in run.stdout
    assert "No budget verdict and no saving claim" in run.stdout


def test_cli_lint_says_what_is_missing(user_prices: Path, tmp_path: Path) -> None:
    """`stratus lint` (a real subprocess) lists the components without a cost."""
    design_file = tmp_path / "d.yaml"
    design_file.write_text(json.dumps(marketplace()), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "lint", str(design_file)],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        check=False,
    )
    assert "Traceback" not in run.stderr
    assert "[cost-coverage]" in run.stdout and "users-db" in run.stdout
    assert "within" not in run.stdout
