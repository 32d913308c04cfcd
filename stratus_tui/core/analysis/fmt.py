"""Number formatting shared by lint messages and the report."""

from __future__ import annotations

# Texts already made (issue 21: lint and the report format ~19,000 percentages and
# ~21,000 durations at 1,000 services, 95 % of them seen before). A pure function of the
# number, so nothing can go stale; zero is always formatted (-0.0 == 0.0 but prints
# "-0"), and the table is emptied when it grows past _KEPT entries.
_PCT: dict[tuple[float, int], str] = {}
_MS: dict[float, str] = {}
_KEPT = 8192


def pct(value: float, places: int = 3) -> str:
    """99.616 -> '99.616 %'; 99.9 -> '99.9 %' (trailing zeros dropped)."""
    key = (value, places)
    known = _PCT.get(key)
    if known is None or not value:
        text = f"{value:.{places}f}".rstrip("0").rstrip(".")
        known = f"{text} %"
        if len(_PCT) >= _KEPT:
            _PCT.clear()
        _PCT[key] = known
    return known


def ms(value: float) -> str:
    """1330.0 -> '1330 ms'."""
    known = _MS.get(value)
    if known is None or not value:
        known = f"{value:,.0f} ms" if value >= 10 else f"{value:g} ms"
        if len(_MS) >= _KEPT:
            _MS.clear()
        _MS[value] = known
    return known


def usd(value: float) -> str:
    """12345.6 -> '$12,346'."""
    return f"${value:,.0f}"


def minutes(value: float) -> str:
    """Minutes as '43.2 min', '7.2 h' or '25.9 s' depending on size."""
    if value >= 120:
        return f"{value / 60:.1f} h"
    if value >= 1:
        return f"{value:.1f} min"
    return f"{value * 60:.1f} s"


def arrow(path: tuple[str, ...] | list[str], limit: int = 8) -> str:
    """'a → b → c', eliding the middle of long paths."""
    items = list(path)
    if len(items) > limit:
        hidden = len(items) - (limit - 1)
        items = [*items[: limit - 2], f"… {hidden} more …", items[-1]]
    return " → ".join(items)


def listing(items: tuple[str, ...] | list[str], limit: int = 6) -> str:
    """'a, b, c' or 'a, b, c and 4 more'."""
    items = list(items)
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    return ", ".join(items)
