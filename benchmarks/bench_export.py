"""Export times at 1,000 services (3 dependencies each): Mermaid and the design document.

Goal: at most 1 s each at 1,000 services. Prints figures; asserts nothing. Best of a few
runs after a warm-up. The Markdown figure is the renderer alone (verdicts, findings and
analysis given, as the UI passes them) and, separately, `to_markdown` computing them.

    .venv/bin/python -m benchmarks.bench_export [N ...]
"""

from __future__ import annotations

import sys

from benchmarks.gen import make_design
from benchmarks.timing import best_of
from stratus_tui.core.analysis import analyse
from stratus_tui.core.export.document import render_design_doc, to_markdown
from stratus_tui.core.export.dot import to_dot
from stratus_tui.core.export.mermaid import to_mermaid, to_mermaid_c4
from stratus_tui.core.lint import lint
from stratus_tui.core.patterns import recommend

GOAL_S = 1.0


def measure(n: int) -> dict[str, float]:
    """Seconds per export of a synthetic design of `n` services, and output sizes."""
    design = make_design(n)
    verdicts, findings, analysis = recommend(design), lint(design), analyse(design)
    to_mermaid(design)  # warm-up: imports
    doc = render_design_doc(design, verdicts, findings, analysis)
    return {
        "mermaid": best_of(lambda: to_mermaid(design)),
        "c4": best_of(lambda: to_mermaid_c4(design)),
        "dot": best_of(lambda: to_dot(design)),
        "markdown": best_of(lambda: render_design_doc(design, verdicts, findings, analysis)),
        "md+inputs": best_of(lambda: to_markdown(design), repeat=1),
        "mmd bytes": len(to_mermaid(design).encode()),
        "md bytes": len(doc.encode()),
    }


def main(sizes: list[int]) -> None:
    cols = ["mermaid", "c4", "dot", "markdown", "md+inputs"]
    print(
        f"{'services':>8} "
        + " ".join(f"{c:>10}" for c in cols)
        + f" {'mmd bytes':>10} {'md bytes':>10}"
    )
    for n in sizes:
        r = measure(n)
        times = " ".join(f"{r[c]:>9.3f}s" for c in cols)
        print(f"{n:>8} {times} {int(r['mmd bytes']):>10,} {int(r['md bytes']):>10,}")
        if n == 1000:
            for name in ("mermaid", "markdown"):
                verdict = "ok" if r[name] <= GOAL_S else "OVER GOAL"
                print(
                    f"  goal <= {GOAL_S:.1f} s at 1,000 services, {name}: {r[name]:.3f} s {verdict}"
                )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
