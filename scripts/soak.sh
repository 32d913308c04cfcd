#!/usr/bin/env bash
# The long profile of the UI exploration guard (tests/ui/explore): many more, longer, random
# sessions on every bundled sample, the hostile design and the welcome screen; a failure is
# shrunk to its shortest replay and kept in .hypothesis/ so the next run tries it first.
#
#   bash scripts/soak.sh                               # 30 sessions per target, 2 workers
#   STRATUS_EXPLORE_EXAMPLES=200 bash scripts/soak.sh  # longer
#   WORKERS=1 bash scripts/soak.sh -k hostile -x       # extra pytest arguments pass through
set -euo pipefail
cd "$(dirname "$0")/.."
export STRATUS_EXPLORE=soak
exec .venv/bin/pytest tests/ui/explore -m explore -n "${WORKERS:-2}" -q "$@"
