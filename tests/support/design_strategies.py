"""Hypothesis strategies for random *valid* designs (file-shaped data and models).

Ids are unique per list and in the shared component id space; every reference points
at something that exists; text is free Unicode (quotes, `#`, newlines, brackets ...).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from stratus_tui.core.model import Design

ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,12}\Z")
text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]),
    max_size=24,
)
words = st.lists(text, max_size=3)
amounts = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
)
percent = st.floats(min_value=0, max_value=100, allow_nan=False)


def _maybe(d: dict[str, Any], key: str, draw: Any, strategy: Any) -> None:
    if draw(st.booleans()):
        d[key] = draw(strategy)


@st.composite
def design_data(draw: Any, max_items: int = 4) -> dict[str, Any]:
    """File-shaped data of a valid design."""
    pool = draw(st.lists(ids, min_size=0, max_size=3 * max_items, unique=True))
    n_s = draw(st.integers(0, min(max_items, len(pool))))
    n_d = draw(st.integers(0, min(max_items, len(pool) - n_s)))
    services, stores, externals = pool[:n_s], pool[n_s : n_s + n_d], pool[n_s + n_d :]
    data: dict[str, Any] = {"stratus": 1, "name": draw(text)}
    _maybe(data, "scope", draw, text)
    _maybe(data, "context", draw, text)
    if draw(st.booleans()):
        data["discovery"] = {
            "team": {"engineers": draw(st.integers(0, 500)), "ops_maturity": "low"},
            "workload": {
                "traffic": draw(st.sampled_from(["steady", "spiky"])),
                "growth_18m": draw(amounts),
            },
            "requirements": {"availability": draw(percent), "mtls": draw(st.booleans())},
        }
    out_services = []
    for sid in services:
        s: dict[str, Any] = {"id": sid}
        _maybe(s, "name", draw, text)
        _maybe(s, "owns", draw, words)
        _maybe(s, "replicas", draw, st.integers(0, 50))
        _maybe(s, "monthly_cost_usd", draw, amounts)
        _maybe(s, "secrets", draw, st.sampled_from(["vault", "env", "none"]))
        if stores and draw(st.booleans()):
            s["datastore"] = draw(st.sampled_from(stores))
        if draw(st.booleans()):
            s["slo"] = {"availability": draw(percent), "latency_p99_ms": draw(amounts)}
        out_services.append(s)
    if out_services:
        data["services"] = out_services
    if stores:
        data["datastores"] = [{"id": i, "kind": draw(text)} for i in stores]
    if externals:
        data["externals"] = [{"id": i, "name": draw(text)} for i in externals]
    components = services + stores + externals
    if services and len(components) > 1:
        edges = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(services),
                    st.sampled_from(components),
                    st.sampled_from(["sync", "async"]),
                ),
                max_size=6,
                unique=True,
            )
        )
        deps = [{"from": a, "to": b, "mode": m, "label": draw(text)} for a, b, m in edges if a != b]
        if deps:
            data["dependencies"] = deps
    if components and draw(st.booleans()):
        data["failure_modes"] = [
            {
                "id": "fm-1",
                "component": draw(st.sampled_from(components)),
                "failure": draw(text),
                "severity": "high",
            }
        ]
    if draw(st.booleans()):
        data["decisions"] = [
            {
                "id": "adr-1",
                "title": draw(text),
                "status": "accepted",
                "date": "2026-01-31",
                "alternatives": draw(words),
            }
        ]
    if draw(st.booleans()):
        data["migration"] = [
            {"id": "p1", "title": draw(text), "steps": draw(words), "duration_weeks": draw(amounts)}
        ]
    if draw(st.booleans()):
        data["event_storming"] = {
            "contexts": [{"id": "ctx", "name": draw(text)}],
            "items": [
                {
                    "id": "e1",
                    "text": draw(text),
                    "context": "ctx",
                    "order": draw(st.floats(-1e6, 1e6, allow_nan=False)),
                }
            ],
        }
    return data


def designs(max_items: int = 4) -> st.SearchStrategy[Design]:
    """Random valid `Design` models."""
    return design_data(max_items).map(Design.model_validate)
