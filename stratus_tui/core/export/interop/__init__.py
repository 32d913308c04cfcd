"""Exports for the tools where architects' models already live (issue 20).

`likec4.to_likec4` (a LikeC4 `.c4` model), `structurizr.to_structurizr` (a Structurizr
DSL workspace) and `backstage.to_backstage` (Backstage `catalog-info.yaml` entities).
Each is a pure function of the design, byte-stable, with its escaping in `escape_dsl`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...model import Design

INTEROP = "interop"
LIKEC4 = f"{INTEROP}/likec4/model.c4"
STRUCTURIZR = f"{INTEROP}/structurizr/workspace.dsl"
BACKSTAGE = f"{INTEROP}/backstage/catalog-info.yaml"
STRUCTURIZR_DECISIONS = f"{INTEROP}/structurizr/decisions"
"""The `!adrs` folder next to the workspace (Structurizr reads only below the DSL file)."""


def interop_files(design: Design, records: Mapping[str, str]) -> dict[str, str]:
    """The `interop/` part of `export --format all`: relative path -> text.

    `records` are the decision records (file name -> text) of DIR/decisions; a copy goes
    next to the Structurizr workspace for its `!adrs`.
    """
    from .backstage import to_backstage
    from .likec4 import to_likec4
    from .structurizr import to_structurizr

    files = {
        LIKEC4: to_likec4(design),
        STRUCTURIZR: to_structurizr(design, "decisions" if records else None),
        BACKSTAGE: to_backstage(design),
    }
    for name, text in records.items():
        files[f"{STRUCTURIZR_DECISIONS}/{name}"] = text
    return files
