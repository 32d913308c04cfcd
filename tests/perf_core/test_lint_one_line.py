"""`stratus lint` prints a finding's message as it is when it is already one clean line
(issue 21: cleaning 9,000 messages was ~40 % of printing the findings at 1,000 services);
any other text is cleaned as before."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stratus_tui.cli.lint_cmd import one_line
from stratus_tui.core.escape import clean_text


def cleaned(text: str) -> str:
    """What every message went through before."""
    return " ".join(clean_text(text).split())


_TRICKY = st.sampled_from(
    list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u2029\u200b\u202e\x00\x7f\ud800\ufffd é→")
)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(), st.text(st.one_of(_TRICKY, st.sampled_from(list("ab .%:"))))))
def test_one_line_is_the_cleaned_text(text: str) -> None:
    assert one_line(text) == cleaned(text)


def test_common_messages_come_back_as_they_are() -> None:
    text = "flow 'checkout' reaches 99.5 % < 99.9 % target (p99 820 ms)"
    assert one_line(text) is text
