"""Verdicts as a portfolio: a handful recommended now, 'pick one' groups in order, verdicts
scoped to where they apply, multi-region against what one region reaches, sensitivity by
type. Golden cases per sample were checked by hand against the samples' answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from stratus_tui.core.patterns import Verdict, load_library, recommend
from stratus_tui.core.patterns.engine import MAX_NOW, nines
from stratus_tui.core.patterns.facts import SINGLE_REGION_AVAILABILITY
from stratus_tui.core.resources import sample_path
from stratus_tui.core.store.design_file import load_design
from tests.patterns.helpers import make_design, partial_answers, verdicts_by_id

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sample(name: str) -> list[Verdict]:
    return recommend(load_design(sample_path(name)))


def _ids(verdicts: list[Verdict], timing: str) -> list[str]:
    return [v.pattern for v in verdicts if v.timing == timing]


def _group(verdicts: list[Verdict], gid: str) -> list[tuple[int, str, str, str]]:
    return sorted(
        (v.group_step, v.pattern, v.verdict, v.timing) for v in verdicts if v.group == gid
    )


# ------------------------------------------------------------------ golden samples


def test_checkout_portfolio() -> None:
    """Checkout (12 engineers in 3 teams leaving a monolith; 800 rps spiky, 20 reads per
    write, strong consistency, 99.9 %, RTO 60 min, no mandate; notifier serverless).

    Eight patterns score 'recommend'; by score: circuit breaker 8, microservices 7,
    event-driven 5, outbox 5, strangler fig 5 are the five for now; API gateway, CDN and
    saga (4 each) wait with a trigger. Microservices is the pick of the decomposition
    group over the modular monolith because its trigger (independent deploys, 3+ teams)
    holds; event-driven beats web-queue-worker on fan-out. Read scaling starts with the
    CDN; cache, replicas and CQRS are blocked by strong consistency for now."""
    verdicts = _sample("checkout")
    assert _ids(verdicts, "now") == [
        "circuit-breaker",
        "microservices",
        "event-driven",
        "outbox",
        "strangler-fig",
    ]
    assert _ids(verdicts, "later") == ["api-gateway", "cdn", "saga"]
    by_id = {v.pattern: v for v in verdicts}
    assert all(by_id[p].promote_when.startswith("when ") for p in ("api-gateway", "cdn", "saga"))
    assert _group(verdicts, "read-scaling") == [
        (1, "cdn", "recommend", "later"),
        (2, "cache-aside", "consider", ""),
        (3, "read-replicas", "consider", ""),
        (4, "cqrs", "consider", ""),
    ]
    assert _group(verdicts, "service-decomposition") == [
        (1, "modular-monolith", "consider", ""),
        (2, "microservices", "recommend", "now"),
    ]
    assert _group(verdicts, "async-integration") == [
        (1, "web-queue-worker", "consider", ""),
        (2, "event-driven", "recommend", "now"),
    ]
    plan = by_id["cdn"].group_plan
    order = [plan.index(n) for n in ("CDN", "Cache-aside", "Read replicas", "CQRS")]
    assert order == sorted(order) and plan.startswith("Start with Content delivery network")
    assert "Avoid two-phase commit across services" in by_id["saga"].group_plan
    assert by_id["cache-aside"].promote_when.startswith("after Content delivery network")
    assert by_id["modular-monolith"].promote_when.startswith("only instead of Microservices")
    # one region across zones meets 99.9 %: avoid, saying what was assumed
    mr = by_id["multi-region"]
    assert mr.verdict == "avoid"
    assert ("derived.single_region_meets_target", True) in {p for r in mr.reasons for p in r.values}
    assert any(n.startswith("Assumed: one region across availability zones") for n in mr.notes)


def test_iot_telemetry_portfolio() -> None:
    """IoT telemetry (5 engineers, 1 team, low ops maturity, spiky 25k rps of writes,
    fan-out, 99.9 %, RTO 240 min). Now: modular monolith 7, strangler fig 5, serverless 4,
    API gateway 3, circuit breaker 3 (ties by id). Web-queue-worker scores 4 but
    event-driven is the async group's pick (fan-out is its trigger), which the cap then
    leaves for later with outbox. Multi-region: avoid (99.9 % is within one region)."""
    verdicts = _sample("iot-telemetry")
    assert _ids(verdicts, "now") == [
        "modular-monolith",
        "strangler-fig",
        "serverless",
        "api-gateway",
        "circuit-breaker",
    ]
    assert _ids(verdicts, "later") == ["web-queue-worker", "event-driven", "outbox"]
    assert _group(verdicts, "async-integration") == [
        (1, "web-queue-worker", "recommend", "later"),
        (2, "event-driven", "recommend", "later"),
    ]
    by_id = {v.pattern: v for v in verdicts}
    assert by_id["web-queue-worker"].promote_when.startswith(
        "only instead of Event-driven architecture, whose trigger holds now"
    )
    assert by_id["multi-region"].verdict == "avoid"
    assert by_id["microservices"].verdict == "avoid"


def test_payments_ledger_portfolio() -> None:
    """Payments ledger (40 engineers in 6 teams, regulator mandates two regions, RTO 15,
    RPO 0, 99.99 %, audit trail, strong consistency). Now: multi-region 13 (mandate 6 +
    RTO/RPO 6 + beyond one region's 99.93 % 2, minus 1 for a budget 1.65x today's spend),
    microservices 7, event sourcing, outbox
    and strangler fig (5 each); six more recommended patterns wait. CQRS stays consider
    and says the flip: with eventual consistency it would be recommended."""
    verdicts = _sample("payments-ledger")
    assert _ids(verdicts, "now") == [
        "multi-region",
        "microservices",
        "event-sourcing",
        "outbox",
        "strangler-fig",
    ]
    assert _ids(verdicts, "later") == [
        "bff",
        "bulkhead",
        "saga",
        "api-gateway",
        "circuit-breaker",
        "event-driven",
    ]
    by_id = {v.pattern: v for v in verdicts}
    assert by_id["multi-region"].score == 13.0
    assert "if requirements.consistency were eventual, it would become recommend" in (
        by_id["cqrs"].what_would_change
    )


# ------------------------------------------------------------------ the brief's cases


def test_crud_app_gets_no_multi_region_consider() -> None:
    """6 engineers, 40 rps, 99.5 %: one region across zones reaches about 99.93 %
    (0.9999 x 0.9999 x 0.9995), more than the target, so a second region is avoid."""
    design = make_design(
        {"team.engineers": 6, "workload.peak_rps": 40, "requirements.availability": 99.5},
        services=[{"id": "app", "datastore": "db", "replicas": 2}],
        datastores=[{"id": "db", "kind": "postgresql"}],
    )
    mr = {v.pattern: v for v in recommend(design)}["multi-region"]
    assert SINGLE_REGION_AVAILABILITY == 99.93
    assert mr.verdict == "avoid" and mr.score == -3.0
    [reason] = mr.reasons
    assert reason.values == (("derived.single_region_meets_target", True),)
    assert "about 99.93 %" in reason.text
    assert any("99.99 % for a regional load balancer" in n for n in mr.notes)
    # what would change it, said by type: a mandate (boolean), the target in nines
    assert "answer requirements.regulatory_multi_region: true would make it recommend" in (
        mr.what_would_change
    )
    assert "requirements.availability 99.5 \u2192 99.95 (+1 nine) would make it consider" in (
        mr.what_would_change
    )


def test_a_mandate_still_recommends_a_second_region_below_the_bar() -> None:
    v = verdicts_by_id(
        {"requirements.availability": 99.5, "requirements.regulatory_multi_region": True}
    )
    assert v["multi-region"].verdict == "recommend"


NOTIFIER_DESIGN: dict[str, Any] = {
    "services": [
        {"id": "web", "api": "REST: /orders", "datastore": "db", "runtime": "kubernetes"},
        {"id": "notifier", "runtime": "serverless"},
    ],
    "datastores": [{"id": "db", "kind": "postgresql"}, {"id": "bus", "kind": "sqs"}],
    "dependencies": [
        {"from": "web", "to": "bus", "mode": "async"},
        {"from": "notifier", "to": "bus", "mode": "async"},
    ],
}


def test_serverless_notifier_off_the_request_path_is_endorsed_where_it_runs() -> None:
    """Cold starts unacceptable on the request path (avoid: -5 + spiky 2 = -3), a
    serverless notifier consuming events off it (recommend: fan-out 2 + already so 1 +
    spiky 2 = 5). The verdict names both places; no blanket 'avoid serverless'."""
    answers = {
        "requirements.cold_start_ok": False,
        "workload.async_fanout": True,
        "workload.traffic": "spiky",
    }
    sv = verdicts_by_id(answers, **NOTIFIER_DESIGN)["serverless"]
    assert (sv.verdict, sv.score, sv.scope) == ("avoid", -3.0, "on the request path")
    [off] = sv.scoped
    assert (off.verdict, off.score) == ("recommend", 5.0)
    assert ("design.serverless_off_request_path", ("notifier",)) in {
        p for r in off.reasons for p in r.values
    }
    assert sv.notes[-1].startswith("Scoped: avoid on the request path; recommend off")
    # a serverless service on the request path is named against the verdict
    on_path = {
        **NOTIFIER_DESIGN,
        "services": [
            {"id": "web", "api": "REST", "runtime": "serverless"},
            NOTIFIER_DESIGN["services"][1],
        ],
    }
    sv2 = verdicts_by_id(answers, **on_path)["serverless"]
    assert ("design.serverless_on_request_path", ("web",)) in {
        p for r in sv2.reasons if r.kind == "avoid" for p in r.values
    }


def test_a_scope_split_only_when_the_scopes_disagree() -> None:
    v = verdicts_by_id(
        {"workload.traffic": "spiky", "team.ops_maturity": "low", "workload.async_fanout": True}
    )["serverless"]
    assert v.verdict == "recommend" and v.scope == "" and v.scoped == ()


def test_sensitivity_speaks_by_type_and_never_calls_90_close_to_four_nines() -> None:
    far = verdicts_by_id({"requirements.availability": 90.0, "team.ops_maturity": "high"})
    for v in far.values():
        for line in v.what_would_change:
            assert "is close to" not in line
            assert "99.99" not in line, (v.pattern, line)  # three nines away is not near
    checkout = {v.pattern: v for v in _sample("checkout")}
    assert (
        "requirements.availability 99.9 \u2192 99.95 (+0.3 nines) would make it recommend"
        in checkout["bulkhead"].what_would_change
    )
    assert "if requirements.cold_start_ok were true, it would become consider" in (
        checkout["serverless"].what_would_change
    )
    assert "workload.peak_rps 800 \u2192 >= 1000 would make it recommend" in (
        checkout["read-replicas"].what_would_change
    )


# ------------------------------------------------------------------ properties


@SETTINGS
@given(partial_answers())
def test_at_most_max_now_one_per_group_and_groups_in_order(answers: dict[str, Any]) -> None:
    verdicts = recommend(make_design(answers))
    library = load_library().patterns
    now = [v for v in verdicts if v.timing == "now"]
    assert len(now) <= MAX_NOW
    for v in verdicts:
        assert (v.timing != "") == (v.verdict == "recommend")
        if v.timing == "later":
            assert v.promote_when
    # the list: now first, then later, each by score
    tiers = [0 if v.timing == "now" else 1 if v.timing == "later" else 2 for v in verdicts]
    assert tiers == sorted(tiers)
    assert [v.score for v in now] == sorted((v.score for v in now), reverse=True)
    groups: dict[str, list[Verdict]] = {}
    for v in verdicts:
        group = library[v.pattern].group
        assert v.group == (group.id if group else "")
        if group:
            assert v.group_step == group.step
            groups.setdefault(v.group, []).append(v)
    for members in groups.values():
        members.sort(key=lambda v: v.group_step)
        assert len({v.group_step for v in members}) == len(members)
        assert sum(v.timing == "now" for v in members) <= 1
        plan = members[0].group_plan
        positions = [plan.index(v.name) for v in members]
        assert positions == sorted(positions)  # 'start with ...; move to ...' in step order
        recommended = [v for v in members if v.verdict == "recommend"]
        picks = [v for v in recommended if not v.promote_when.startswith(("after", "only"))]
        assert len(picks) <= 1
        if recommended:  # exactly one pick; the rest wait behind it, in order
            [pick] = picks
            for v in recommended:
                if v is not pick:
                    expected = "after" if v.group_step > pick.group_step else "only instead"
                    assert v.timing == "later" and v.promote_when.startswith(expected)


@SETTINGS
@given(partial_answers())
def test_percentages_move_at_most_one_nine(answers: dict[str, Any]) -> None:
    target = answers.get("requirements.availability")
    for v in recommend(make_design(answers)):
        for line in v.what_would_change:
            assert "is close to" not in line
            if target is not None and line.startswith("requirements.availability "):
                new = float(line.split("\u2192 ")[1].split(" ")[0])
                assert abs(nines(new) - nines(target)) <= 1.0 + 1e-9, line


# ------------------------------------------------------------------ data and CLI


def test_two_members_at_one_step_of_a_group_is_a_located_error(tmp_path: Path) -> None:
    from stratus_tui.core.problems import DesignError

    (tmp_path / "edge-cache.yaml").write_text(
        "id: edge-cache\nname: Edge cache\nsummary: A cache at the edge.\n"
        "group:\n  id: read-scaling\n  step: 2\n  when: the edge is not enough\n",
        encoding="utf-8",
    )
    try:
        load_library([tmp_path])
    except DesignError as exc:
        [problem] = exc.problems
        assert problem.format().startswith(f"{tmp_path / 'edge-cache.yaml'}:6:")
        assert "'cache-aside' is already step 2 of group 'read-scaling'" in problem.message
    else:
        raise AssertionError("a duplicate group step must not load")


def test_cli_lists_now_later_and_the_groups(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path)}
    run = [sys.executable, "-m", "stratus_tui", "recommend", str(sample_path("checkout"))]
    text = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert "(8 recommend: 5 now and 3 later; 8 consider, 4 avoid, 0 not-applicable)" in text
    assert "recommend later   +4.0  100%  Saga (saga)" in text
    assert "Serverless functions (serverless), on the request path" in text
    assert (
        "\u21b3 off the request path (asynchronous consumers and workers): recommend +5.0" in text
    )
    assert "PICK ONE PER FORCE" in text and "    2. Microservices" in text
    data = json.loads(
        subprocess.run(
            [*run, "--format", "json"], capture_output=True, text=True, env=env, check=True
        ).stdout
    )
    saga = next(v for v in data if v["pattern"] == "saga")
    assert (saga["verdict"], saga["timing"], saga["group"]) == (
        "recommend",
        "later",
        "cross-service-consistency",
    )
    assert saga["reasons"][0]["answers"] == ["workload.cross_service_transactions"]
