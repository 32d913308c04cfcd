"""Render Mermaid diagrams to SVG in a real browser (mermaid-cli + Debian's Chromium).

`mermaid.parse` accepting a diagram does not mean a browser can draw it: Mermaid 12 runs
`$$...$$` labels through KaTeX at render time, and invalid TeX stops the whole diagram.
`tests/mermaid/render.mjs` renders a whole batch in one Chromium (a start costs about a
second); `scripts/test.sh` installs Chromium and the pinned npm packages. Without them
the tests that need a browser skip, with the reason.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from typing import Any

import pytest

from tests.support.mermaid import MERMAID_DIR

SCRIPT = MERMAID_DIR / "render.mjs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def render_missing() -> str | None:
    """Why diagrams cannot be rendered here, or None when they can."""
    if shutil.which("node") is None:
        return "node is not installed (scripts/test.sh needs Node.js for mermaid-cli)"
    for package in ("@mermaid-js/mermaid-cli", "puppeteer"):
        if not (MERMAID_DIR / "node_modules" / package).is_dir():
            return f"{package} is missing: run `cd tests/mermaid && npm ci`"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does)"
    return None


def render_mermaid(sources: list[str]) -> list[dict[str, Any]]:
    """Render every source to SVG in one browser; one `{ok, svg | error}` per source."""
    reason = render_missing()
    if reason is not None:
        pytest.skip(reason)
    if not sources:
        return []
    proc = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(sources).encode("utf-8"),
        capture_output=True,
        cwd=MERMAID_DIR,
        timeout=600,
        check=False,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"render.mjs failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    assert len(results) == len(sources)
    return results


_LABEL = re.compile(r'<span[^>]* class="(?:nodeLabel|edgeLabel)"[^>]*>(.*?)</span>', re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def svg_labels(svg: str) -> list[str]:
    """The node and edge label texts a reader sees in a flowchart SVG (tags removed)."""
    return [html.unescape(_TAG.sub("", _BR.sub("\n", m))) for m in _LABEL.findall(svg)]
