"""The diagram core never imports Textual or Rich."""

from __future__ import annotations

import subprocess
import sys


def test_core_diagram_imports_no_ui() -> None:
    code = (
        "import sys, stratus_tui.core.diagram as d;"
        "from stratus_tui.core.store.design_file import load_design;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
