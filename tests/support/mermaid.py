"""Run the real Mermaid parser (npm `mermaid` under Node with jsdom) on many diagrams at once.

`tests/mermaid/parse.mjs` does the parsing; this helper starts it once per batch because
Node and Mermaid take ~0.6 s to start and ~7 ms per diagram after that. `scripts/test.sh`
installs the pinned packages with `npm ci`; without them the tests that need Mermaid skip.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

MERMAID_DIR = Path(__file__).resolve().parents[1] / "mermaid"
SCRIPT = MERMAID_DIR / "parse.mjs"


def mermaid_missing() -> str | None:
    """Why the real parser cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed (scripts/test.sh needs Node.js for the Mermaid parser)"
    if not (MERMAID_DIR / "node_modules" / "mermaid").is_dir():
        return "tests/mermaid/node_modules is missing: run `cd tests/mermaid && npm ci`"
    return None


def require_mermaid() -> None:
    """Skip the calling test, with the reason, when the parser is not installed."""
    reason = mermaid_missing()
    if reason is not None:
        pytest.skip(reason)


def parse_mermaid(sources: list[str]) -> list[dict[str, Any]]:
    """Parse every source with the real Mermaid; one result dict per source, same order.

    Each result has `ok` and either `error` or what Mermaid parsed (see parse.mjs).
    """
    require_mermaid()
    if not sources:
        return []
    proc = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(sources).encode("utf-8"),
        capture_output=True,
        cwd=MERMAID_DIR,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"parse.mjs failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    assert len(results) == len(sources)
    return results


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def label_text(parsed: str) -> str:
    """The text a reader sees for a parsed label: `<br>` is a newline, entities decoded."""
    return html.unescape(_BR.sub("\n", parsed))
