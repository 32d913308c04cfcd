"""`stratus diff` on two files: golden cases with hand-checked deltas, renames, formats.

Every case starts from the checkout sample written to disk, edited as text (or with the
workbench's own edit functions and saved), and compared as the CLI would read it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stratus_tui.core.analysis import analyse
from stratus_tui.core.diff import diff_designs, render
from stratus_tui.core.diff.output import change_mermaid
from stratus_tui.core.edits import rename_component
from stratus_tui.core.store.design_file import load_design, open_document, save_document
from tests.support.mermaid import label_text, parse_mermaid

from .conftest import ROOT, SAMPLE, edit, stratus

CHECKOUT_REPLICAS = "    runtime: kubernetes\n    replicas: 3\n    owner: team-checkout"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """old.yaml and new.yaml, both the checkout sample until a test edits new.yaml."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    shutil.copy(SAMPLE, old)
    shutil.copy(SAMPLE, new)
    return old, new


def test_identical_files_give_an_empty_diff_and_exit_0(pair: tuple[Path, Path]) -> None:
    old, new = pair
    result = diff_designs(load_design(old), load_design(new))
    assert result.empty
    assert result.structure.components == () and result.consequences.findings == ()
    for fmt in ("text", "markdown", "json"):
        run = stratus(old.parent, "diff", "old.yaml", "new.yaml", "--format", fmt)
        assert run.returncode == 0, run.stderr
        assert "No change" in run.stdout
    data = json.loads(
        stratus(old.parent, "diff", "old.yaml", "new.yaml", "--format", "json").stdout
    )
    assert data["empty"] is True
    assert data["consequences"]["findings"] == []


def test_replicas_lowered_to_one_opens_spof_and_lowers_the_flow(pair: tuple[Path, Path]) -> None:
    """checkout: replicas 3 -> 1.

    Hand check: 3 copies across zones achieve min(1 - 0.005^3, 99.99 %) = 99.99 % (the
    shared-fate cap); 1 copy achieves 99.5 %. Nothing else on the place-order flow moves,
    and checkout composes below its 99.9 % SLO both times, so the flow's availability is
    multiplied by 99.5 / 99.99. Before: gateway's copies 99.99 % x checkout's copies 99.99 %
    x checkout-db 99.95 % x payments 99.9 % (its SLO, below its composition) x monolith
    99.0 % (its SLO, below 99.5 x 99.5) = 98.831780 %; after:

        98.831780 % x 99.5 / 99.99 = 98.347456 %, a change of -0.4843 pp.

    browse does not call checkout: unchanged. The latency model has no term for copies:
    p99 stays 580 ms. A single copy on a synchronous path is a `spof` error (new: exit 1),
    and checkout is no longer a redundant choke point (`chokepoint` info closes).
    """
    old, new = pair
    edit(new, CHECKOUT_REPLICAS, CHECKOUT_REPLICAS.replace("replicas: 3", "replicas: 1"))
    before, after = load_design(old), load_design(new)
    result = diff_designs(before, after)

    (comp,) = result.structure.components
    assert (comp.kind, comp.id, comp.change) == ("service", "checkout", "changed")
    assert [(f.field, f.old, f.new) for f in comp.fields] == [("replicas", 3, 1)]

    c = result.consequences
    opened = [(f.rule, f.severity, f.component) for f in c.findings if f.change == "opened"]
    closed = [(f.rule, f.severity, f.component) for f in c.findings if f.change == "closed"]
    assert opened == [("spof", "error", "checkout")]
    assert closed == [("chokepoint", "info", "checkout")]

    (flow,) = c.flows
    assert flow.flow == "place-order"
    old_pct = next(
        fa.percent for fa in analyse(before).flow_availability if fa.flow == "place-order"
    )
    assert flow.old_availability == pytest.approx(old_pct)
    assert flow.old_availability == pytest.approx(98.831780, abs=1e-6)
    assert flow.new_availability == pytest.approx(old_pct * 99.5 / 99.99, rel=1e-12)
    assert flow.availability_delta == pytest.approx(-0.4843, abs=5e-5)
    assert flow.old_p99_ms == flow.new_p99_ms == 580.0
    assert {s.service for s in c.services} == {"checkout", "gateway"}
    assert not c.verdicts and not c.cost.changed
    assert result.fails("error")

    run = stratus(old.parent, "diff", "old.yaml", "new.yaml")
    assert run.returncode == 1, run.stderr
    assert "+ error [spof] checkout" in run.stdout
    assert "98.832 % → 98.347 % (-0.484 pp)" in run.stdout


def test_a_renamed_service_reads_as_a_rename(pair: tuple[Path, Path]) -> None:
    """payments -> pay with the workbench's rename (every reference follows): one renamed
    item with no field changes; its calls, flow steps, findings and numbers carry over."""
    old, new = pair
    doc = open_document(new)
    save_document(doc, rename_component(doc.design, "payments", "pay"))
    result = diff_designs(load_design(old), load_design(new))

    s = result.structure
    assert [(c.kind, c.old_id, c.id, c.change, c.fields) for c in s.components] == [
        ("service", "payments", "pay", "renamed", ())
    ]
    assert s.dependencies == () and s.flows == ()
    assert dict(s.renames) == {"payments": "pay"}
    c = result.consequences
    assert [f for f in c.findings if f.change != "changed"] == []
    assert c.flows == () and c.services == () and c.verdicts == ()

    run = stratus(old.parent, "diff", "old.yaml", "new.yaml")
    assert run.returncode == 0, run.stderr
    assert "> service payments renamed to pay (Payment Service)" in run.stdout
    assert "+ service" not in run.stdout and "- service" not in run.stdout


def test_a_rename_with_edits_keeps_its_name_and_lists_the_edits(pair: tuple[Path, Path]) -> None:
    """The word changes everywhere by text (its context and owns: [payments, ...] too)
    and the name stays: matched by its unique name, read as a rename with two edits."""
    old, new = pair
    text = new.read_text(encoding="utf-8")
    new.write_text(re.sub(r"(?<![\w-])payments(?![\w-])", "payment-svc", text), encoding="utf-8")
    result = diff_designs(load_design(old), load_design(new))
    (comp,) = result.structure.components
    assert (comp.old_id, comp.id, comp.change) == ("payments", "payment-svc", "renamed")
    assert [(f.field, f.old, f.new) for f in comp.fields] == [
        ("context", "payments", "payment-svc"),
        ("owns", ["payments", "refunds"], ["payment-svc", "refunds"]),
    ]
    assert result.structure.dependencies == ()


def test_a_new_warning_fails_only_with_fail_on_warning(pair: tuple[Path, Path]) -> None:
    """Dropping the breaker on payments -> stripe opens `missing-circuit-breaker`, a warning."""
    old, new = pair
    edit(new, "circuit_breaker: true, label: charge card", "label: charge card")
    result = diff_designs(load_design(old), load_design(new))
    assert [(f.rule, f.severity, f.component) for f in result.failing("warning")] == [
        ("missing-circuit-breaker", "warning", "payments")
    ]
    assert not result.fails("error")
    assert stratus(old.parent, "diff", "old.yaml", "new.yaml").returncode == 0
    run = stratus(old.parent, "diff", "old.yaml", "new.yaml", "--fail-on", "warning")
    assert run.returncode == 1, run.stderr


def test_a_verdict_change_names_the_answer_that_moved_it(pair: tuple[Path, Path]) -> None:
    old, new = pair
    edit(new, "cold_start_ok: false", "cold_start_ok: true")
    result = diff_designs(load_design(old), load_design(new))
    assert [a.field for a in result.structure.answers] == ["requirements.cold_start_ok"]
    (verdict,) = result.consequences.verdicts
    assert (verdict.pattern, verdict.old, verdict.new) == ("serverless", "avoid", "consider")
    assert [(m.fact, m.old, m.new) for m in verdict.moved_by] == [
        ("requirements.cold_start_ok", False, True)
    ]
    text = render(result, "text")
    assert "serverless (Serverless" in text
    assert "moved by requirements.cold_start_ok false → true" in text


def test_cost_deltas_at_baseline_18_months_and_10x(pair: tuple[Path, Path]) -> None:
    """checkout's declared cost 600 -> 900 $/month (+300), kubernetes: a `step` rule.

    Step: the baseline has 2x headroom, so at load L the cost is x 2^ceil(log2(L / 2)):
    the 18-month growth (x3) is x2, +600; 10x is x8, +2,400. Stripe declares no cost,
    so the caveat names it.
    """
    old, new = pair
    edit(new, "    monthly_cost_usd: 600\n", "    monthly_cost_usd: 900\n")
    cost = diff_designs(load_design(old), load_design(new)).consequences.cost
    assert cost.new_baseline - cost.old_baseline == pytest.approx(300)
    assert cost.new_growth is not None and cost.old_growth is not None
    assert cost.new_growth - cost.old_growth == pytest.approx(600)
    assert cost.new_10x - cost.old_10x == pytest.approx(2400)
    assert "stripe" in cost.new_coverage.caveat
    run = stratus(old.parent, "diff", "old.yaml", "new.yaml", "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["consequences"]["cost"]["baseline"]["new"] - data["consequences"]["cost"][
        "baseline"
    ]["old"] == pytest.approx(300)
    assert "stripe" in data["consequences"]["cost"]["coverage"]["new"]["caveat"]


HOSTILE = 'Warmer "end" %%{init}%% <b>x</b> `y` #1; style:#f00;'


def _added_removed_changed(new: Path) -> None:
    """Add a service with a hostile name, remove the notification worker, change checkout."""
    edit(new, CHECKOUT_REPLICAS, CHECKOUT_REPLICAS.replace("replicas: 3", "replicas: 1"))
    text = new.read_text(encoding="utf-8")
    start = text.index("  - id: notifications")
    end = text.index("datastores:")
    text = text[:start] + text[end:]
    text = text.replace(
        "  - {from: notifications, to: events, mode: async, protocol: kafka, "
        "label: consume OrderPlaced}\n",
        "",
    )
    text = text.replace(
        "datastores:\n",
        "  - id: warmer\n"
        f"    name: {json.dumps(HOSTILE)}\n"
        "    runtime: kubernetes\n    replicas: 2\n\ndatastores:\n",
        1,
    )
    text = text.replace(
        "dependencies:\n",
        'dependencies:\n  - {from: warmer, to: checkout-db, mode: sync, label: "end"}\n',
        1,
    )
    new.write_text(text, encoding="utf-8")


def test_markdown_is_a_pr_comment_with_a_mermaid_diagram_that_parses(
    pair: tuple[Path, Path],
) -> None:
    old, new = pair
    _added_removed_changed(new)
    result = diff_designs(load_design(old), load_design(new), old_name="main", new_name="pr")
    changes = {(c.id, c.change) for c in result.structure.components}
    assert changes == {("checkout", "changed"), ("warmer", "added"), ("notifications", "removed")}

    md = render(result, "markdown")
    lines = md.splitlines()
    assert lines[0].startswith("**STRATUS design diff**") and "\n" not in lines[0]
    assert lines[1] == "" and lines[2].startswith("<details")
    assert md.count("<details") == md.count("</details>") >= 3
    # user text never reaches a <summary>: those are our words and counts
    for summary in re.findall(r"<summary>(.*?)</summary>", md):
        assert "Warmer" not in summary and "<" not in summary

    block = re.search(r"```mermaid\n(.*?)```", md, re.S)
    assert block is not None
    diagram = block.group(1)
    assert diagram == change_mermaid(result)
    (parsed,) = parse_mermaid([diagram])
    assert parsed["ok"], parsed.get("error")
    # the three styles, each on the right component, as Mermaid read them
    classes = {v["id"]: v["classes"] for v in parsed["vertices"]}
    assert classes["n_warmer"] == ["added"]
    assert classes["n_notifications"] == ["removed"]
    assert classes["n_checkout"] == ["changed"]
    assert classes["n_gateway"] == []  # context: calls checkout
    assert set(parsed["classes"]) >= {"added", "removed", "changed"}
    labels = {v["id"]: label_text(v["text"]) for v in parsed["vertices"]}
    assert labels["n_warmer"] == f"{HOSTILE}\n(added)"
    assert labels["n_notifications"] == "Notification Worker\n(removed)"
    # the removed worker's subscription is drawn as a removed edge
    assert "linkStyle" in diagram and "n_notifications -.->" in diagram


def test_user_text_cannot_drive_the_terminal(pair: tuple[Path, Path]) -> None:
    """A renamed label with an escape sequence and a bidi override is shown, not obeyed."""
    old, new = pair
    edit(new, "    name: Checkout Service\n", '    name: "Checkout \\e[31mRED \\u202eevil"\n')
    for fmt in ("text", "markdown"):
        run = stratus(old.parent, "diff", "old.yaml", "new.yaml", "--format", fmt)
        assert run.returncode == 0, run.stderr
        assert "\x1b" not in run.stdout and "\u202e" not in run.stdout
        assert "<U+202E>" in run.stdout or "(U+202E)" in run.stdout
    # a comment written to a file for a pull request spells the override out too
    run = stratus(old.parent, "diff", "old.yaml", "new.yaml", "--format", "markdown", "-o", "c.md")
    assert run.returncode == 0, run.stderr
    comment = (old.parent / "c.md").read_text("utf-8")
    assert "\u202e" not in comment and "\x1b" not in comment and "(U+202E)" in comment


def test_diff_never_imports_the_ui(pair: tuple[Path, Path]) -> None:
    """A CI job pays for the analysis, never for Textual (a fresh interpreter)."""
    old, new = pair
    probe = (
        "import sys\nfrom stratus_tui.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted({'textual', 'rich', 'textual_serve'} & set(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, "diff", str(old), str(new), "--format", "markdown"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr
