"""The pieces of `stratus serve`'s guard and supervisor that need no server: pure checks."""

from __future__ import annotations

import pytest

from stratus_tui.serve.guard import (
    PublicURL,
    host_matches,
    needs_token,
    origin_matches,
    parse_public_url,
    token_matches,
)
from stratus_tui.serve.supervisor import MAX_HEIGHT, MAX_WIDTH, child_environment, clamp_size

LOCAL = PublicURL("http", "127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://127.0.0.1:8000", LOCAL),
        ("http://127.0.0.1:8000/", LOCAL),
        ("HTTP://Room.Example", PublicURL("http", "room.example", 80)),
        ("https://room.example", PublicURL("https", "room.example", 443)),
        ("http://[::1]:8000", PublicURL("http", "::1", 8000)),
    ],
)
def test_public_urls_parse(text: str, expected: PublicURL) -> None:
    assert parse_public_url(text) == expected


def test_public_url_forms() -> None:
    assert LOCAL.url == "http://127.0.0.1:8000"
    assert PublicURL("https", "room.example", 443).websocket_url == "wss://room.example"
    assert PublicURL("http", "::1", 8000).url == "http://[::1]:8000"


@pytest.mark.parametrize(
    "text", ["ftp://h", "http://", "http://h/app", "http://h?x=1", "http://u@h", "http://h:0x1"]
)
def test_bad_public_urls_say_why(text: str) -> None:
    with pytest.raises(ValueError, match=r"^'"):
        parse_public_url(text)


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1:8000", True),
        ("127.0.0.1:8001", False),
        ("127.0.0.1", False),  # port 80 is not the served port
        ("localhost:8000", False),  # only the served name: a rebinding name never matches
        ("evil.example:8000", False),
        ("127.0.0.1:8000@evil", False),
        ("127.0.0.1:x", False),
        ("", False),
        (None, False),
    ],
)
def test_host_must_name_the_served_url(host: str | None, ok: bool) -> None:
    assert host_matches(host, LOCAL) is ok


def test_default_ports_may_be_left_out() -> None:
    public = PublicURL("https", "room.example", 443)
    assert host_matches("room.example", public)
    assert host_matches("ROOM.example:443", public)
    assert origin_matches("https://room.example", public)
    assert not origin_matches("http://room.example", public)  # another scheme, another site


@pytest.mark.parametrize(
    ("origin", "ok"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://evil.example", False),
        ("http://127.0.0.1:8000.evil.example", False),
        ("null", False),
        ("", False),
    ],
)
def test_origin_must_be_the_served_page(origin: str, ok: bool) -> None:
    assert origin_matches(origin, LOCAL) is ok


def test_tokens_match_exactly() -> None:
    assert token_matches("abc", "abc")
    assert not token_matches("abd", "abc")
    assert not token_matches("ab", "abc")
    assert not token_matches(None, "abc")
    assert not token_matches("é", "abc")  # non-ASCII input is refused, not an error


def test_the_page_and_socket_need_the_token_static_files_do_not() -> None:
    assert needs_token("/") and needs_token("/ws") and needs_token("/ws/x")
    assert not needs_token("/static/js/textual.js")


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (120, 40, (120, 40)),
        (3000, 3000, (MAX_WIDTH, MAX_HEIGHT)),
        ("3000", "30", (MAX_WIDTH, 30)),
        (0, -5, (1, 1)),
        ("wide", None, (80, 24)),
        (True, 2.5, (80, 24)),
        ("9" * 5000, "1" * 11, (80, 24)),  # never int() an enormous string
    ],
)
def test_terminal_sizes_are_clamped(width: object, height: object, expected: object) -> None:
    assert clamp_size(width, height) == expected


def test_apps_get_the_web_driver_and_the_extra_environment() -> None:
    env = child_environment({"PATH": "/bin"}, 120, 40, {"STRATUS_EXPORT_ROOT": "/room"})
    assert env["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    assert (env["COLUMNS"], env["ROWS"]) == ("120", "40")
    assert env["STRATUS_EXPORT_ROOT"] == "/room"
    assert env["PATH"] == "/bin"
