"""The two small typed helpers the type gate brought: a field of untrusted JSON of the expected type,
and the regular-expression parser wherever this Python keeps it."""

from __future__ import annotations

import re

import pytest

from phi_lint.jsonvalues import member
from phi_lint.sre_compat import parse, sre_constants


def test_member_is_the_field_only_when_it_has_the_expected_type():
    data = {"rules": [1], "name": 7}
    assert member(data, "rules", list, []) is data["rules"]
    assert member(data, "name", str, "fallback") == "fallback"
    assert member(data, "missing", dict) is None
    assert member(data, "name", int) == 7


def test_parse_gives_top_level_nodes_and_inline_flags():
    nodes, flags = parse("(?i)ab")
    assert [op for op, _value in nodes] == [sre_constants.LITERAL, sre_constants.LITERAL]
    assert flags & re.IGNORECASE


def test_parse_reads_bytes_patterns_too():
    nodes, _flags = parse(b"a|b")
    assert nodes[0][0] is sre_constants.IN or nodes[0][0] is sre_constants.BRANCH


def test_parse_raises_like_re_compile():
    with pytest.raises(re.error):
        parse("(")
