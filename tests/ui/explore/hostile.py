"""A valid design whose every free-text name is hostile to Mermaid, Markdown, YAML and Rich.

Written by the tests into a temporary folder (never shipped as a sample): quotes, brackets,
`-->`, Mermaid keywords as ids (`end`, `graph`, `subgraph`), `%%` comments, HTML, newlines,
`$$x$$` maths, Rich markup, and names hundreds of characters long.
"""

from __future__ import annotations

from pathlib import Path

HOSTILE_IDS = ("end", "graph", "subgraph.v2", "a--b", "click", "style", "class")
"""Component ids: Mermaid keywords and odd but valid ids."""

LONG = "Ünïcode-" + "very long name " * 20 + "…end"

# One line: a flow mapping wrapped over two lines is re-joined by any save (reported; see
# test_regressions_explore.py), which is not what this design is here to find.
FIRST_DEPENDENCY = (
    '{from: end, to: graph, mode: sync, protocol: "rest --> http", timeout_ms: 500, '
    'label: "--> end %%"}'
)

HOSTILE_YAML = f"""\
# A design whose names try to break every renderer. It must still validate.
stratus: 1
name: "Hostile \\"quoted\\" design --> end %% [x]"
scope: "<b>html</b> & $$x$$ {{curly}} [bold]markup[/bold]"
context: |
  Line one with --> an arrow
  %% a Mermaid comment
  end
discovery:
  team: {{engineers: 4, teams: 1, ops_maturity: low}}
  requirements: {{availability: 99.5, latency_p99_ms: 300}}

services:
  - id: end
    name: "end"
    context: "subgraph [ctx]"
    owns: ["a, b", "--> c", "%%"]
    api: "GET /x?y=[1]&z=\\"q\\""
    replicas: 2
    owner: "<i>team</i>"
    slo: {{availability: 99.9, latency_p99_ms: 200}}
  - id: graph
    name: "Quote's \\"double\\" `tick` --> arrow"
    context: "$$x$$"
    replicas: 1
    monthly_cost_usd: 100
  - id: subgraph.v2
    name: "{LONG}"
    description: "multi\\nline\\nname"
  - id: a--b
    name: "[red]not markup[/red] ]] [[ (( )) {{{{ }}}}"
    owner: "team-payments"

datastores:
  - {{id: click, name: "%% comment --> db", kind: postgresql, replicas: 1}}
  - {{id: style, name: "<script>alert(1)</script> $$x$$", kind: "redis; DROP TABLE"}}

externals:
  - {{id: class, name: "Ext \\"q\\" <b>b</b>\\nend", availability: 99.99, latency_p99_ms: 100}}

dependencies:
  - {FIRST_DEPENDENCY}
  - {{from: graph, to: subgraph.v2, mode: async, label: "line\\nbreak"}}
  - {{from: graph, to: click, mode: sync, timeout_ms: 100, retries: 2}}
  - {{from: a--b, to: class, mode: sync, label: "$$x$$ <b>html</b>"}}
  - {{from: end, to: style}}

failure_modes:
  - id: fm-end
    component: end
    failure: "end --> end"
    effect: "\\"quoted\\" [effect]"
    likelihood: high
    severity: critical

decisions:
  - id: adr-001
    title: "Use %% and --> in a title [x]"
    status: proposed
    rationale: "<b>because</b>\\nnewline"

migration:
  - id: phase-1
    title: "Phase \\"one\\" --> end"
    steps: ["step [1]", "%% step 2", "end"]

event_storming:
  contexts:
    - {{id: end, name: "End --> \\"ctx\\""}}
  items:
    - {{id: e1, kind: event, text: "Order --> Placed %% [x]", context: end, order: 10}}
    - {{id: c1, kind: command, text: "<b>Place</b> \\"order\\"", order: 5}}
    - {{id: h1, kind: hotspot, text: "{LONG}", order: 20}}
"""


def write_hostile(folder: Path) -> Path:
    """Write the hostile design into `folder` and return its path."""
    path = folder / "hostile.yaml"
    path.write_text(HOSTILE_YAML, encoding="utf-8")
    return path
