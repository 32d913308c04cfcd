"""The fast loader's YAML 1.2 resolvers are written out (issue 21: importing ruamel only
to read them was ~20 ms of every command); they are exactly ruamel's."""

from __future__ import annotations

import re

from ruamel.yaml import resolver

from stratus_tui.core.yaml_io import YAML12_RESOLVERS, fast_load

WANTED = {"bool", "float", "int", "null", "timestamp", "merge"}


def test_written_out_resolvers_are_ruamels() -> None:
    theirs = [
        (tag, regexp.pattern, regexp.flags, tuple(first))
        for versions, tag, regexp, first in resolver.implicit_resolvers
        if (1, 2) in versions and tag.rsplit(":", 1)[-1] in WANTED
    ]
    ours = [
        (tag, re.compile(p, f).pattern, re.compile(p, f).flags, first)
        for tag, p, f, first in YAML12_RESOLVERS
    ]
    assert ours == theirs


def test_yaml_1_2_values() -> None:
    text = "a: yes\nb: 010\nc: 0o10\nd: ~\ne:\nf: .inf\ng: 2026-12-05\nh: True\ni: 1_000\n"
    data = fast_load(text)
    assert data["a"] == "yes" and data["b"] == 10 and data["c"] == 8
    assert data["d"] is None and data["e"] is None and data["f"] == float("inf")
    assert str(data["g"]) == "2026-12-05" and data["h"] is True and data["i"] == 1000
