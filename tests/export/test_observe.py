"""OBSERVE export: OpenSLO, Prometheus rules and runbooks, checked by the real tools.

`promtool` (Debian package prometheus) checks every rule file and runs a rule unit test
with synthetic series; OpenSLO documents are validated against the vendored OpenSLO v1
JSON Schema (tests/export/openslo). A missing tool fails the test (scripts/test.sh
installs them).
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from stratus_tui.core.export.bundle import check_plan, observe_plan, write_plan
from stratus_tui.core.export.observe import observe_files
from stratus_tui.core.export.observe.slos import slo_specs
from stratus_tui.core.model import Design
from stratus_tui.core.store.design_file import load_design

from .ops_support import SAMPLES, hostile_design, run_tool, stratus, tool, write_files

SCHEMA = json.loads(
    (Path(__file__).parent / "openslo" / "openslo-v1.schema.json").read_text(encoding="utf-8")
)


def designs(tmp_path: Path) -> list[tuple[str, Design]]:
    out = [(p.stem, load_design(p)) for p in SAMPLES]
    out.append(("hostile", load_design(hostile_design(tmp_path))))
    return out


@pytest.mark.parametrize("which", [*(p.stem for p in SAMPLES), "hostile"])
def test_promtool_accepts_every_rule_file(tmp_path: Path, which: str) -> None:
    promtool = tool("promtool")
    design = dict(designs(tmp_path))[which]
    files, _ = observe_files(design)
    write_files(files, tmp_path / "out")
    rules = sorted((tmp_path / "out" / "observe" / "prometheus").glob("*.rules.yaml"))
    assert rules, "every sample and the hostile design have SLOs"
    done = run_tool(promtool, "check", "rules", *map(str, rules))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("SUCCESS") == len(rules)


def test_openslo_documents_validate_against_the_v1_schema(tmp_path: Path) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    checked = 0
    for name, design in designs(tmp_path):
        files, _ = observe_files(design)
        specs, _ = slo_specs(design)
        docs = [
            (path, doc)
            for path, body in files.items()
            if path.startswith("observe/openslo/")
            for doc in yaml.safe_load_all(body)
        ]
        kinds = [doc["kind"] for _, doc in docs]
        # each SLO: its SLI, itself and one policy per burn-rate tier
        assert kinds.count("SLO") == len(specs) and kinds.count("AlertPolicy") == 3 * len(specs)
        for path, doc in docs:
            errors = [e.message for e in validator.iter_errors(doc)]
            assert not errors, f"{name}: {path}: {errors}"
            checked += 1
    assert checked > 100


def test_the_schema_refuses_what_openslo_forbids() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    bad = {
        "apiVersion": "openslo/v1",
        "kind": "SLO",
        "metadata": {"name": "Orders_API"},
        "spec": {
            "service": "x",
            "indicatorRef": "x-sli",
            "budgetingMethod": "Occurrences",
            "objectives": [{"target": 1.0}],
        },
    }
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "Orders_API" in messages and "1.0" in messages


def test_every_service_and_flow_slo_is_exported() -> None:
    design = load_design(next(p for p in SAMPLES if p.stem == "checkout"))
    specs, notes = slo_specs(design)
    assert not notes
    ids = {s.id for s in specs}
    for service in design.services:
        slo = service.slo
        if slo is None:
            continue
        if slo.availability is not None or slo.error_rate_pct is not None:
            assert f"{service.id}-availability" in ids
        if slo.latency_p99_ms is not None:
            assert f"{service.id}-latency" in ids
    for flow in design.flows:
        if flow.slo is not None and flow.slo.availability is not None:
            assert f"flow-{flow.id}-availability" in ids
        if flow.slo is not None and flow.slo.latency_p99_ms is not None:
            assert f"flow-{flow.id}-latency" in ids


def _rules(files: dict[str, str]) -> list[dict[str, Any]]:
    return [
        rule
        for path, body in files.items()
        if path.startswith("observe/prometheus/")
        for group in yaml.safe_load(body)["groups"]
        for rule in group["rules"]
    ]


def test_burn_rate_alerts_follow_the_workbook_table() -> None:
    design = load_design(next(p for p in SAMPLES if p.stem == "checkout"))
    files, _ = observe_files(design)
    alerts = [r for r in _rules(files) if r.get("labels", {}).get("slo") == "checkout-availability"]
    alerts = [r for r in alerts if "alert" in r]
    shown = {r["alert"]: (r["labels"]["severity"], r["expr"].replace("\n", " ")) for r in alerts}
    # SLO 99.9 %: budget 0.001; 14.4x over 1h and 5m, 6x over 6h and 30m, 1x over 3d and 6h
    assert shown == {
        "ErrorBudgetFastBurn": (
            "page",
            'slo:sli_error:ratio_rate1h{slo="checkout-availability"} > (14.4 * 0.001) and '
            'slo:sli_error:ratio_rate5m{slo="checkout-availability"} > (14.4 * 0.001)',
        ),
        "ErrorBudgetSlowBurn": (
            "page",
            'slo:sli_error:ratio_rate6h{slo="checkout-availability"} > (6 * 0.001) and '
            'slo:sli_error:ratio_rate30m{slo="checkout-availability"} > (6 * 0.001)',
        ),
        "ErrorBudgetTicketBurn": (
            "ticket",
            'slo:sli_error:ratio_rate3d{slo="checkout-availability"} > (1 * 0.001) and '
            'slo:sli_error:ratio_rate6h{slo="checkout-availability"} > (1 * 0.001)',
        ),
    }


PROMTOOL_TEST = """\
rule_files:
  - {rules}
evaluation_interval: 5m
tests:
  # 3 days of clean traffic (6000 requests per 5 min), then 1 hour at 2.17 % errors:
  # 1h and 5m burn at 21.7x (> 14.4): the fast page fires; 6h burns at 3.6x (< 6) and
  # 3d at 0.3x (< 1): the slow page and the ticket do not.
  - interval: 5m
    input_series:
      - series: 'http_requests_total{{service="api"}}'
        values: '0+6000x876'
      - series: 'http_request_errors_total{{service="api"}}'
        values: '0x864 130+130x11'
    alert_rule_test:
      - eval_time: 4380m
        alertname: ErrorBudgetFastBurn
        exp_alerts:
          - exp_labels: {{severity: page, burn: fast, slo: api-availability, service: api}}
            exp_annotations: {fast}
      - eval_time: 4380m
        alertname: ErrorBudgetSlowBurn
        exp_alerts: []
      - eval_time: 4380m
        alertname: ErrorBudgetTicketBurn
        exp_alerts: []
  # 6 hours at 0.8 %: 6h and 30m burn at 8x (> 6): the slow page fires; 1h at 8x is
  # under 14.4: the fast page does not.
  - interval: 5m
    input_series:
      - series: 'http_requests_total{{service="api"}}'
        values: '0+6000x936'
      - series: 'http_request_errors_total{{service="api"}}'
        values: '0x864 48+48x71'
    alert_rule_test:
      - eval_time: 4680m
        alertname: ErrorBudgetSlowBurn
        exp_alerts:
          - exp_labels: {{severity: page, burn: slow, slo: api-availability, service: api}}
            exp_annotations: {slow}
      - eval_time: 4680m
        alertname: ErrorBudgetFastBurn
        exp_alerts: []
"""


def _unit_test(files: dict[str, str], rules: Path) -> str:
    """The promtool unit test, expecting the annotations the rule file really has."""
    notes = {r["labels"]["burn"]: r["annotations"] for r in _rules(files) if "alert" in r}
    return PROMTOOL_TEST.format(
        rules=rules, fast=json.dumps(notes["fast"]), slow=json.dumps(notes["slow"])
    )


def test_promtool_unit_test_fast_burn_fires_and_slow_does_not(tmp_path: Path) -> None:
    promtool = tool("promtool")
    design = Design.model_validate(
        {"name": "burn", "services": [{"id": "api", "slo": {"availability": 99.9}}]}
    )
    files, _ = observe_files(design)
    write_files(files, tmp_path)
    rules = tmp_path / "observe" / "prometheus" / "api.rules.yaml"
    test = tmp_path / "burn_test.yaml"
    test.write_text(_unit_test(files, rules), encoding="utf-8")
    done = run_tool(promtool, "test", "rules", str(test))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_a_wrong_expectation_fails_the_promtool_unit_test(tmp_path: Path) -> None:
    """The unit test above proves something: claiming the slow page fires during the
    one-hour burst makes promtool fail."""
    promtool = tool("promtool")
    design = Design.model_validate(
        {"name": "burn", "services": [{"id": "api", "slo": {"availability": 99.9}}]}
    )
    files, _ = observe_files(design)
    write_files(files, tmp_path)
    rules = tmp_path / "observe" / "prometheus" / "api.rules.yaml"
    wrong = _unit_test(files, rules).replace(
        "        alertname: ErrorBudgetSlowBurn\n        exp_alerts: []",
        "        alertname: ErrorBudgetSlowBurn\n        exp_alerts:\n"
        "          - exp_labels: {severity: page, burn: slow, slo: api-availability,"
        " service: api}",
        1,
    )
    test = tmp_path / "wrong_test.yaml"
    test.write_text(wrong, encoding="utf-8")
    assert run_tool(promtool, "test", "rules", str(test)).returncode != 0


def test_metric_names_come_from_the_design_override() -> None:
    design = Design.model_validate(
        {
            "name": "custom",
            "observability": {
                "metrics": {
                    "requests": "rpc_server_calls_total",
                    "errors": "rpc_server_failures_total",
                    "duration": "rpc_server_seconds",
                    "service_label": "app",
                },
                "runbook_url": "https://runbooks.example.com/shop/",
            },
            "services": [{"id": "api", "slo": {"availability": 99.5, "latency_p99_ms": 2000}}],
        }
    )
    files, _ = observe_files(design)
    body = files["observe/prometheus/api.rules.yaml"]
    assert 'rpc_server_failures_total{app="api"}' in body
    assert 'rpc_server_calls_total{app="api"}' in body
    # a whole-second bucket matches both `2` and Prometheus 3's `2.0`
    assert 'rpc_server_seconds_bucket{app="api",le=~"2(\\\\.0)?"}' in body
    assert "http_requests_total" not in body
    assert "runbook_url: https://runbooks.example.com/shop/api-availability.md#fast-burn" in body


def test_every_runbook_url_points_at_a_runbook_section(tmp_path: Path) -> None:
    for name, design in designs(tmp_path):
        files, _ = observe_files(design)
        urls = [r["annotations"]["runbook_url"] for r in _rules(files) if "alert" in r]
        assert urls, name
        for url in urls:
            path, anchor = url.split("#")
            assert path in files, f"{name}: {url}"
            assert f'<a id="{anchor}"></a>' in files[path]


def test_failure_mode_runbooks_name_their_path_detection_and_mitigation() -> None:
    design = load_design(next(p for p in SAMPLES if p.stem == "checkout"))
    files, _ = observe_files(design)
    text = files["observe/runbooks/fm-stripe-latency.md"]
    assert "p99 burn-rate alert on payments" in text  # detection
    assert "circuit breaker, async capture" in text  # mitigation
    # who depends on Stripe, nearest first, from the topology
    upstream = text.split("Who depends on it (nearest first):")[1].split("Request flows")[0]
    assert upstream.index("`payments`") < upstream.index("`checkout`") < upstream.index("`gateway`")
    assert "Place an order (`place-order`)" in text
    assert "[payments-latency](payments-latency.md)" in text


def test_hostile_names_stay_data(tmp_path: Path) -> None:
    design = load_design(hostile_design(tmp_path))
    files, notes = observe_files(design)
    assert any("100 %" in n for n in notes)  # 1st.svc: no error budget, left out
    names = [Path(p).stem.removesuffix(".rules") for p in files]
    assert all(re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])?", n) for n in names), names
    # a_b and a-b reduce to the same label: told apart by a hash
    assert "a-b-availability" in names and any(
        n.startswith("a-b-") and n.endswith("-availability") and n != "a-b-availability"
        for n in names
    )
    # the failure mode named like an SLO gets a runbook of its own
    assert len([p for p in files if p.startswith("observe/runbooks/")]) == 9
    for path, body in files.items():
        if path.endswith(".yaml"):
            list(yaml.safe_load_all(body))  # valid YAML
    rules = "\n".join(b for p, b in files.items() if "/prometheus/" in p)
    assert 'service="Orders_API.v2"' in rules and 'flow="Flow_1"' in rules
    assert '{{"{{"}} x {{"}}"}}' in rules  # a Go template in a name is printed, not run
    runbook = next(b for p, b in files.items() if p.startswith("observe/runbooks/fm-1-"))
    assert "<b>" not in runbook and "\\<b\\>" in runbook


def test_export_observe_folder_is_byte_stable_and_checked(tmp_path: Path) -> None:
    sample = next(p for p in SAMPLES if p.stem == "checkout")
    out = tmp_path / "obs"
    first = stratus("export", str(sample), "--format", "observe", "-o", str(out))
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {p.relative_to(out).parts[0] for p in before} == {"openslo", "prometheus", "runbooks"}
    again = stratus("export", str(sample), "--format", "observe", "-o", str(out))
    assert "0 written" in again.stdout
    assert before == {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    check = stratus("export", str(sample), "--format", "observe", "-o", str(out), "--check")
    assert check.returncode == 0, check.stdout
    (out / "runbooks" / "checkout-latency.md").write_text("edited\n", encoding="utf-8")
    check = stratus("export", str(sample), "--format", "observe", "-o", str(out), "--check")
    assert check.returncode == 1 and "stale:" in check.stdout
    missing = stratus("export", str(sample), "--format", "observe")
    assert missing.returncode == 2 and "-o DIR" in missing.stderr


def test_an_slo_that_went_away_leaves_no_stale_files(tmp_path: Path) -> None:
    design = load_design(next(p for p in SAMPLES if p.stem == "checkout"))
    write_plan(observe_plan(design), tmp_path)
    (tmp_path / "runbooks" / "team-notes.md").write_text("ours\n", encoding="utf-8")
    services = tuple(
        s.model_copy(update={"slo": None}) if s.id == "payments" else s for s in design.services
    )
    changed = design.model_copy(update={"services": services})
    plan = observe_plan(changed)
    stale = check_plan(plan, tmp_path)
    assert "openslo/payments-latency.yaml" in stale.unexpected
    assert "prometheus/payments.rules.yaml" in stale.unexpected
    result = write_plan(plan, tmp_path)
    assert "runbooks/payments-availability.md" in result.removed
    assert (tmp_path / "runbooks" / "team-notes.md").exists()  # not written by stratus
    assert check_plan(plan, tmp_path).up_to_date


def test_a_runbook_stops_at_an_asynchronous_send() -> None:
    """orders waits on payments (sync) and on publishing to its consumer (async), not on
    what the consumer does next: fulfilment's call to the warehouse is not on orders'
    path, and the warehouse failing burns payments' and fulfilment's alerts, not orders'."""
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "Async edge",
            "services": [
                {"id": "orders", "slo": {"availability": 99.9}},
                {"id": "payments"},
                {"id": "fulfilment", "slo": {"availability": 99.5}},
                {"id": "warehouse"},
            ],
            "dependencies": [
                {"from": "orders", "to": "payments", "mode": "sync"},
                {"from": "orders", "to": "fulfilment", "mode": "async"},
                {"from": "fulfilment", "to": "warehouse", "mode": "sync"},
            ],
            "failure_modes": [
                {"id": "warehouse-down", "component": "warehouse", "failure": "down"}
            ],
        }
    )
    files, _ = observe_files(design)
    orders = files["observe/runbooks/orders-availability.md"]
    path = orders.split("## Dependencies on its path")[1].split("## Failure modes")[0]
    assert "`orders` → service payments" in path
    assert "`orders` → service fulfilment (async)" in path  # the send itself is listed
    assert "warehouse" not in path
    fulfilment = files["observe/runbooks/fulfilment-availability.md"]
    assert "`fulfilment` → service warehouse" in fulfilment
    burning = files["observe/runbooks/warehouse-down.md"].split("burn")[-1]
    assert "fulfilment-availability" in burning and "orders-availability" not in burning


def test_a_long_path_is_listed_two_levels_deep_and_summed_up_below() -> None:
    """A runbook of a deep chain stays readable: past 40 calls it lists two levels, says
    how much lies below each cut branch with a link to that service's own runbook, and
    names the externals and datastores down there; the burn list still sees all of it."""
    chain = [f"s{i:02d}" for i in range(60)]
    services: list[dict[str, Any]] = [{"id": s, "slo": {"availability": 99.9}} for s in chain]
    services[5] = {"id": "s05"}  # no SLO: no runbook to link
    deps: list[dict[str, Any]] = [{"from": a, "to": b, "mode": "sync"} for a, b in pairwise(chain)]
    deps += [
        {"from": "s01", "to": "s05", "mode": "sync"},
        {"from": "s59", "to": "bank", "mode": "sync"},
        {"from": "s40", "to": "ledger-db", "mode": "sync"},
    ]
    design = Design.model_validate(
        {
            "stratus": 1,
            "name": "Deep chain",
            "services": services,
            "datastores": [{"id": "ledger-db"}],
            "externals": [{"id": "bank", "name": "Bank API"}],
            "dependencies": deps,
            "failure_modes": [{"id": "bank-down", "component": "bank", "failure": "down"}],
        }
    )
    files, _ = observe_files(design)
    top = files["observe/runbooks/s00-availability.md"]
    listing = top.split("## Dependencies on its path")[1].split("## Failure modes")[0]
    calls = [line for line in listing.splitlines() if line.lstrip().startswith("- `")]
    assert [line.split(" → ")[0].strip() for line in calls] == ["- `s00`", "- `s01`", "- `s01`"]
    assert (
        "    - … 59 more calls below, made by 58 services; its own runbook:"
        " [s02-availability](s02-availability.md)" in listing
    )
    assert "62 calls on the path; 59 calls deeper than 2 levels are summed up above." in listing
    assert "External systems deeper on the path: Bank API (`bank`)." in listing
    assert "Datastores deeper on the path: ledger-db." in listing
    # The failure modes and burn lists still follow the whole path.
    assert "[bank-down](bank-down.md)" in top.split("## Failure modes on the path")[1]
    assert "s00-availability" in files["observe/runbooks/bank-down.md"]
    # A short path is listed whole: s50's runbook, 10 calls, nine levels deep.
    s50 = files["observe/runbooks/s50-availability.md"]
    assert "more call" not in s50
    assert "                - `s58` → service s59 (sync)" in s50
