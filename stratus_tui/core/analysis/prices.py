"""The default price table: what a component that declares no cost is assumed to cost.

The built-in table is `default_prices.yaml` beside this module (its comments say where
the figures come from); a user's `<config dir>/stratus/prices.yaml` replaces entries of
the same group and kind. A broken user file never stops a review: the built-in table is
used and the problem (`FILE:LINE:COL: message`) is carried to the cost report.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..model import MAX_QUANTITY, Datastore, External, Service
from ..problems import DesignError, Problem

Group = Literal["service", "datastore", "external"]
PRICES_FILE = "prices.yaml"


class PriceEntry(BaseModel):
    """One kind's price: dollars a month per copy, or flat."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_copy: float | None = Field(default=None, ge=0, le=MAX_QUANTITY, strict=True)
    flat: float | None = Field(default=None, ge=0, le=MAX_QUANTITY, strict=True)

    @model_validator(mode="after")
    def _one_of(self) -> PriceEntry:
        if (self.per_copy is None) == (self.flat is None):
            raise ValueError("give exactly one of per_copy or flat")
        return self


class PriceFile(BaseModel):
    """The file: one mapping of kind -> entry per component group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service: dict[str, PriceEntry] = {}
    datastore: dict[str, PriceEntry] = {}
    external: dict[str, PriceEntry] = {}


@dataclass(frozen=True, slots=True)
class PriceTable:
    """Prices by group and kind (lower case), and where they came from."""

    entries: dict[Group, dict[str, PriceEntry]]
    source: str
    """'built-in' or 'built-in + <path>'."""
    problem: str | None = None
    """A user file that could not be used, as FILE:LINE:COL: message."""


@dataclass(frozen=True, slots=True)
class AssumedPrice:
    """The assumed monthly cost of one component and how it was reached."""

    monthly_usd: float
    basis: str
    """E.g. 'postgresql, $400 per copy x 2 copies (multi-AZ, replicas undeclared)'."""


def user_prices_path() -> Path:
    """`<config dir>/stratus/prices.yaml` (may not exist); the folder user patterns use."""
    from ..resources import user_config_dir

    return user_config_dir() / PRICES_FILE


def _parse(text: str, file: str) -> PriceFile:
    from ..yaml_io import parse_text, plain, position_of

    data = parse_text(text, file)
    if data is None:
        return PriceFile()
    if not isinstance(data, dict):
        raise DesignError(
            [Problem("a price table is a mapping of service, datastore, external", (), file, 1, 1)]
        )
    try:
        return PriceFile.model_validate(plain(data))
    except ValidationError as exc:
        tree = parse_text(text, file, round_trip=True)
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            line, col = position_of(tree, loc)
            where = ".".join(str(p) for p in loc)
            msg = str(err["msg"]).removeprefix("Value error, ")
            problems.append(Problem(f"{where}: {msg}" if where else msg, loc, file, line, col))
        raise DesignError(problems) from None


def _builtin() -> PriceFile:
    text = resources.files(__package__).joinpath("default_prices.yaml").read_text("utf-8")
    return _parse(text, "default_prices.yaml")


@functools.lru_cache(maxsize=8)
def _table(user: str | None, mtime_ns: int, size: int) -> PriceTable:
    # keyed by the user file's modification time and size, so an edit is seen
    base = _builtin()
    entries: dict[Group, dict[str, PriceEntry]] = {
        "service": {k.lower(): v for k, v in base.service.items()},
        "datastore": {k.lower(): v for k, v in base.datastore.items()},
        "external": {k.lower(): v for k, v in base.external.items()},
    }
    if user is None:
        return PriceTable(entries, "built-in")
    from ..yaml_io import decode, read_bounded

    try:
        theirs = _parse(decode(read_bounded(user, 1_000_000), user), user)
    except DesignError as exc:
        return PriceTable(entries, "built-in", str(exc).splitlines()[0])
    except OSError as exc:
        return PriceTable(entries, "built-in", f"{user}: cannot read: {exc.strerror}")
    groups: tuple[Group, ...] = ("service", "datastore", "external")
    for group in groups:
        for kind, entry in getattr(theirs, group).items():
            entries[group][kind.lower()] = entry
    return PriceTable(entries, f"built-in + {user}")


def price_table(user_file: Path | None = None) -> PriceTable:
    """The built-in table with the user's entries on top (`user_file` for tests)."""
    path = user_file if user_file is not None else user_prices_path()
    try:
        st = path.stat()
    except OSError:
        return _table(None, 0, 0)
    if not path.is_file():
        return _table(None, 0, 0)
    return _table(str(path), st.st_mtime_ns, st.st_size)


def _copies(c: Service | Datastore) -> tuple[int, str]:
    if c.replicas is not None:
        n = max(c.replicas, 1)
        return n, f"{n} cop{'y' if n == 1 else 'ies'}"
    if isinstance(c, Datastore) and c.multi_az:
        return 2, "2 copies (multi-AZ, replicas undeclared)"
    return 1, "1 copy (replicas undeclared)"


def assumed_price(component: Service | Datastore | External, table: PriceTable) -> AssumedPrice:
    """What `component` is assumed to cost a month, from `table` (see the module doc)."""
    kind: str
    group: Group
    if isinstance(component, Service):
        group, kind = "service", (component.runtime or "").strip().lower()
    elif isinstance(component, Datastore):
        group, kind = "datastore", (component.kind or "").strip().lower()
    else:
        group, kind = "external", ""
    prices = table.entries[group]
    entry = prices.get(kind)
    name = kind or f"{group} kind undeclared"
    if entry is None:
        entry = prices.get("default") or PriceEntry(flat=0.0)
        name = f"{name}, the {group} default" if kind else f"the {group} default"
    if entry.flat is not None:
        return AssumedPrice(entry.flat, f"{name}, ${entry.flat:,.0f} flat")
    per = entry.per_copy or 0.0
    if isinstance(component, External):
        return AssumedPrice(per, f"{name}, ${per:,.0f}")
    n, copies = _copies(component)
    return AssumedPrice(per * n, f"{name}, ${per:,.0f} per copy x {copies}")
