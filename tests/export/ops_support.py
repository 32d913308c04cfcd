"""Shared helpers of the OBSERVE and DEPLOY tests: real tools, a hostile design, samples."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_designs").glob("*.yaml"))
STRATUS = [sys.executable, "-m", "stratus_tui"]

# Ids that are valid in a design but not as Kubernetes or OpenSLO names, names that
# are hostile to YAML, Markdown and PromQL, two ids that reduce to the same DNS label.
HOSTILE = """\
stratus: 1
name: "Hostile: 'design' #1 \\u00e9 ---"
services:
  - id: Orders_API.v2
    name: "Orders \\"API\\"\\n---\\n- {x: y} # not a comment"
    context: "Sales & <Ops> | `x`"
    runtime: kubernetes
    replicas: 3
    health_checks: true
    slo: {availability: 99.95, latency_p99_ms: 1000}
  - id: a_b
    name: "yes"
    runtime: kubernetes
    replicas: 1
    scaling: fixed
    slo: {error_rate_pct: 0.5}
  - id: a-b
    name: "*emph* [link](javascript:x) <script>"
    slo: {availability: 99, latency_p99_ms: 250.5}
    kubernetes: {cpu_request: "750m", cpu_limit: "250m", memory: 256Mi, port: 9090, max_replicas: 4}
  - id: 1st.svc
    name: "null"
    runtime: kubernetes
    replicas: 0
    slo: {availability: 100}
dependencies:
  - {from: Orders_API.v2, to: a_b, timeout_ms: 100, label: "with \\"quotes\\", \\\\ slash"}
  - {from: a_b, to: a-b, timeout_ms: 50}
  - {from: a-b, to: Orders_API.v2, mode: async}
flows:
  - id: Flow_1
    name: "Flow \\"one\\" {{ x }}"
    entry: Orders_API.v2
    slo: {availability: 99.9, latency_p99_ms: 1200}
    steps:
      - {from: Orders_API.v2, to: a_b}
      - {from: a_b, to: a-b}
failure_modes:
  - id: fm_1
    component: a-b
    failure: "# heading\\n| table |"
    detection: "`rm -rf /`"
    mitigation: "<b>restart</b>"
  - id: Orders_API.v2-availability
    component: Orders_API.v2
    failure: clashes with an SLO runbook name
"""


def hostile_design(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def tool(name: str) -> str:
    """The path of a real tool the check needs: the venv's pinned copy first (kubectl from
    the test extras), else the one on PATH (promtool from Debian). Missing is a failure,
    never a skip: scripts/test.sh installs them (CI runs that)."""
    venv = Path(sys.executable).parent / name
    if venv.is_file():
        return str(venv)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` is not installed: run scripts/test.sh, which installs it")
    return found


def run_tool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), capture_output=True, text=True, cwd=cwd, timeout=300, check=False
    )


def stratus(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STRATUS, *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
        check=False,
    )


def write_files(files: dict[str, str], root: Path) -> None:
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
