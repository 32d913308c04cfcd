"""Percentages and durations are formatted once per distinct number (issue 21: ~40,000
calls at 1,000 services, 95 % repeats); the text is always what the formula gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.core.analysis import fmt


def pct_formula(value: float, places: int = 3) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return f"{text} %"


def ms_formula(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:g} ms"


numbers = st.one_of(
    st.floats(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.sampled_from([0.0, -0.0, 0, 99.9, 99.95, 9.9995, 10, 10.0, 1e-9, -1e-9]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(numbers, st.integers(min_value=0, max_value=6)), max_size=12))
def test_the_same_text_as_the_formula_in_any_order(values: list[tuple[float, int]]) -> None:
    for value, places in values + values[::-1]:
        assert fmt.pct(value, places) == pct_formula(value, places)
        assert fmt.pct(value) == pct_formula(value)
        assert fmt.ms(value) == ms_formula(value)


def test_minus_zero_after_zero_keeps_its_sign() -> None:
    assert fmt.pct(0.0) == "0 %" and fmt.pct(-0.0) == "-0 %" and fmt.pct(0.0) == "0 %"
    assert fmt.ms(0.0) == "0 ms" and fmt.ms(-0.0) == "-0 ms" and fmt.ms(0) == "0 ms"


def test_the_tables_stay_bounded() -> None:
    for i in range(fmt._KEPT + 10):
        fmt.pct(i + 0.5)
        fmt.ms(i + 0.5)
    assert len(fmt._PCT) <= fmt._KEPT and len(fmt._MS) <= fmt._KEPT
    assert fmt.pct(12.5) == "12.5 %" and fmt.ms(12.5) == "12 ms"
