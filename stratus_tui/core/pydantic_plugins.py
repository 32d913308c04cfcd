"""No scan for pydantic plugins while every one of them is disabled (issue 21).

pydantic's plugin loader imports importlib.metadata (email, zipfile, csv ...: ~10 ms of
every command) at its own import, only to answer "no plugins" when
PYDANTIC_DISABLE_PLUGINS is `__all__` (the CLI's default: a design tool uses none). Before
pydantic builds its first model, `skip_plugin_scan` puts in a stand-in that gives that
same answer. With the variable unset or set to anything else (a user who wants their
plugins), nothing is changed and pydantic's own loader is used.
"""

from __future__ import annotations

import os
import sys
import types

LOADER = "pydantic.plugin._loader"


def skip_plugin_scan() -> None:
    """Install the stand-in loader when every plugin is disabled and none is loaded yet."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") != "__all__" or LOADER in sys.modules:
        return
    loader = types.ModuleType(LOADER, "No pydantic plugins: PYDANTIC_DISABLE_PLUGINS=__all__.")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules[LOADER] = loader
