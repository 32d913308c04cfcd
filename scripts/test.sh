#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run all of it:
# Graphviz (`dot`), the real Mermaid parser (npm, pinned by a lockfile), the Python
# package with its test extras, then ruff, mypy --strict and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dot >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q && $SUDO apt-get install -y -q graphviz
fi

if [ -f tests/mermaid/package-lock.json ]; then
  (cd tests/mermaid && npm ci --no-audit --no-fund --loglevel=error)
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
.venv/bin/pytest -n 2 "$@"
