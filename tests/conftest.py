"""Suite-wide rule: a test that needs a real tool (dot, node and the Mermaid parser,
mermaid-cli, Chromium, the LikeC4 CLI, promtool, kubectl, git) skips on a developer's
machine that lacks it, but FAILS in CI (`CI` set, as CI services and scripts/test.sh do;
`STRATUS_REQUIRE_TOOLS=1` too): CI never passes by skipping the checks that matter."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import Generator

import pluggy
import pytest

# The compiled design-document template goes to a cache folder of the run's own, not to
# the user's ~/.cache (stratus_tui.core.resources.user_cache_dir).
if "STRATUS_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="stratus-test-cache-")
    os.environ["STRATUS_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)

# Skip reasons that say a tool or an installed package is missing.
_MISSING_TOOL = re.compile(
    r"not installed|missing|npm ci|no golden files|not found|needs node", re.IGNORECASE
)


def tools_required() -> bool:
    """CI services set CI=true; "0"/"false" is how a developer turns it off locally."""
    return any(
        os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")
        for name in ("CI", "STRATUS_REQUIRE_TOOLS")
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or not tools_required():
        return
    reason = (
        str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
    )
    if _MISSING_TOOL.search(reason):
        report.outcome = "failed"
        report.longrepr = f"required tool missing in CI: {reason}"
