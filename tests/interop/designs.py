"""Designs for the interop tests: the samples, and one with hostile names everywhere."""

from __future__ import annotations

from typing import Any

from stratus_tui.core.model import Design
from stratus_tui.core.resources import sample_names, sample_path
from stratus_tui.core.store.design_file import load_design

HOSTILE_NAMES = [
    'Quote " double',
    "Single ' quote and '''triple'''",
    'Backslash \\ and \\" and \\n literal and trailing \\',
    "Two\nlines\tand a tab",
    "Braces { } [ ] ( ) and } alone",
    "${NAME} and $${x} and #hash // slash /* star */",
    "Ünïcödé 数据库 😀 \u202eRTL\u202c",
    "  padded  ",
    "-> arrow -[async]-> and = equals",
    "{",
    "}",
    "model views specification element",
]


def samples() -> dict[str, Design]:
    return {name: load_design(sample_path(name)) for name in sample_names()}


def hostile() -> Design:
    """Every kind of component, a context, calls both ways and a flow, all badly named."""
    n = HOSTILE_NAMES
    services: list[dict[str, Any]] = [
        {
            "id": f"svc.{i}" if i % 2 else f"svc-{i}",
            "name": name,
            "description": n[(i + 1) % len(n)],
            "context": n[i % 3],
            "runtime": n[(i + 2) % len(n)],
            "owner": n[(i + 3) % len(n)],
            **({"api": f"REST: {name}"} if i % 3 == 0 else {}),
        }
        for i, name in enumerate(n)
    ]
    services[0]["datastore"] = "db.1"
    ids = [s["id"] for s in services]
    deps: list[dict[str, Any]] = [
        {"from": ids[i], "to": ids[i + 1], "label": n[(i + 4) % len(n)], "protocol": n[i]}
        for i in range(len(ids) - 1)
    ]
    deps += [
        {"from": ids[0], "to": "db.1", "label": n[0]},
        {"from": ids[1], "to": "queue", "mode": "async", "label": n[1], "protocol": "kafka"},
        {"from": ids[2], "to": "ext_1", "label": n[2]},
        {"from": ids[0], "to": ids[1], "mode": "async", "label": n[5]},
    ]
    data: dict[str, Any] = {
        "stratus": 1,
        "name": n[0] + " / " + n[3],
        "scope": n[2],
        "context": n[4],
        "services": services,
        "datastores": [
            {"id": "db.1", "name": n[6], "kind": "postgresql"},
            {"id": "queue", "name": n[9], "kind": "kafka"},
        ],
        "externals": [{"id": "ext_1", "name": n[10], "description": n[11]}],
        "dependencies": deps,
        "flows": [
            {
                "id": "flow.1",
                "name": n[0],
                "entry": ids[0],
                "steps": [
                    {"from": ids[0], "to": ids[1]},
                    {
                        "parallel": [
                            {"from": ids[1], "to": ids[2]},
                            {"from": ids[1], "to": "queue"},
                        ]
                    },
                    {"from": ids[2], "to": "ext_1", "compensate": n[3]},
                ],
            }
        ],
    }
    return Design.model_validate(data)
