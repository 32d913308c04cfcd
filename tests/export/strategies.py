"""Hypothesis strategies for designs full of hostile names (shared by the export tests)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from stratus_tui.core.model import (
    Datastore,
    Decision,
    Dependency,
    Design,
    EventStorming,
    External,
    Service,
    StormContext,
    StormItem,
)

HOSTILE: tuple[str, ...] = (
    'Say "hi"',
    "Web (UI)",
    "a [b] {c}",
    "end",
    "subgraph x",
    "a --> b",
    "a -.-> b ==> c",
    "x %%{init: {'theme':'dark'}}%% y",
    "%%",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<b>bold</b>",
    "C# / F#",
    "x #quot; y",
    "a &amp; b",
    "a;b",
    "`code`",
    "a | b",
    "line1\nline2",
    "émoji 🚀 中文",
    "click n_a call f()",
    "javascript:alert(1)",
    "a\\b",
    "\\N \\G \\l",
    "# heading",
    "- list",
    "1. item",
    "> quote",
    "[link](http://x)",
    "*em* _em_ ~~s~~",
    "$x$",
    "$$x$$",
    "$$\\frac{",
    "cost $5 / $$",
    "100%",
    "---",
    '"""',
    "  padded  ",
    "a@{ shape: circle }",
    "~~~",
    "../../etc/passwd",
    "..",
    "/",
)

# Ids are constrained by the design file (letters, digits, _ - .), but may be keywords.
IDS: tuple[str, ...] = (
    "end",
    "click",
    "graph",
    "subgraph",
    "style",
    "class",
    "classDef",
    "flowchart",
    "o1",
    "x1",
    "oauth",
    "xray",
    "node",
    "edge",
    "strict",
    "digraph",
    "1st",
    "a-b",
    "a.b",
    "a_b",
    "call",
    "href",
    "default",
    "linkStyle",
    "n_end",
)

_ALPHABET = st.sampled_from(
    [*list("abcXYZ019 _-.,:;!?'\"`#%&|<>[](){}\\/*~$@=+^\n"), "é", "中", "🚀", "\xa0", "ß"]
)

hostile_text: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(_ALPHABET, min_size=1, max_size=24),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3).map(" ".join),
)


@st.composite
def designs(draw: st.DrawFn) -> Design:
    """A valid design whose every name, label and text is hostile and whose ids are traps."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=2, max_size=8, unique=True))
    n_services = draw(st.integers(1, len(ids)))
    service_ids, rest = ids[:n_services], ids[n_services:]
    store_ids = rest[: len(rest) // 2]
    external_ids = rest[len(rest) // 2 :]
    contexts = draw(st.lists(hostile_text, min_size=1, max_size=3))
    services = tuple(
        Service(
            id=sid,
            name=draw(hostile_text),
            context=draw(st.sampled_from([*contexts, None])),
            owns=tuple(draw(st.lists(hostile_text, max_size=2))),
            api=draw(st.none() | hostile_text),
            datastore=draw(st.sampled_from([None, *store_ids])),
            owner=draw(st.none() | hostile_text),
        )
        for sid in service_ids
    )
    stores = tuple(
        Datastore(
            id=i, name=draw(hostile_text), kind=draw(st.sampled_from(["kafka", "postgresql"]))
        )
        for i in store_ids
    )
    externals = tuple(External(id=i, name=draw(hostile_text)) for i in external_ids)
    deps = tuple(
        Dependency.model_validate(
            {
                "from": draw(st.sampled_from(service_ids)),
                "to": draw(st.sampled_from(ids)),
                "mode": draw(st.sampled_from(["sync", "async"])),
                "label": draw(st.none() | hostile_text),
                "protocol": draw(st.none() | hostile_text),
            }
        )
        for _ in range(draw(st.integers(0, 4)))
    )
    board_ctx = draw(st.lists(st.sampled_from(IDS), max_size=2, unique=True))
    items = tuple(
        StormItem(
            id=f"s{i}",
            kind=draw(
                st.sampled_from(
                    [
                        "event",
                        "command",
                        "actor",
                        "aggregate",
                        "policy",
                        "read_model",
                        "external",
                        "hotspot",
                    ]
                )
            ),
            text=draw(hostile_text),
            context=draw(st.sampled_from([None, *board_ctx])),
            order=draw(st.integers(0, 5)),
            pivotal=draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 4)))
    )
    decisions = tuple(
        Decision(
            id=f"d{i}",
            title=draw(hostile_text),
            rationale=draw(st.none() | hostile_text),
            alternatives=tuple(draw(st.lists(hostile_text, max_size=2))),
            date=dt.date(2026, 1, 1 + i),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    return Design(
        name=draw(hostile_text),
        scope=draw(st.none() | hostile_text),
        context=draw(st.none() | hostile_text),
        services=services,
        datastores=stores,
        externals=externals,
        dependencies=deps,
        decisions=decisions,
        event_storming=EventStorming(
            contexts=tuple(StormContext(id=c, name=draw(hostile_text)) for c in board_ctx),
            items=items,
        ),
    )
