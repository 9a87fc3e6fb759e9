"""The cheap gates of the third-party passes give exactly the answers of the regexes they
replaced (written out here as the reference), on random mixes of their pieces."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from phi_lint.thirdparty.cspfiles import may_hold_policy
from phi_lint.thirdparty.loads import may_load

REFERENCE_LOAD = re.compile(
    r"(?:<(?:script|iframe|img|link)\b[^>]{0,2000}?|(?:fetch|beacon|socket|eventsource|import|getscript|open|src)[^\n;]{0,40}?)"
    r"[\"'`=]\s*(?:(?:https?|wss?):)?//[a-z0-9]",
    re.IGNORECASE,
)
REFERENCE_CSP = re.compile(r"content-security-policy|contentsecuritypolicy|\bCSP_[A-Z_]+SRC\b", re.IGNORECASE)

LOAD_PIECES = ["<script", "<SCRIPT ", "<img", "<iframe", "<link", "<a", "<scripts", ">", " ", "\n", ";", "=", '"', "'",
               "`", "//", "https:", "HTTP:", "wss:", "x", "Z9", "-", "src", "SRC", "fetch(", "import ", "open(",
               "eventsource", "a" * 37, "b" * 1990, "é", "\t"]
CSP_PIECES = ["content-security-policy", "Content-Security-Policy", "CONTENTSECURITYPOLICY", "content-SeCuRiTy-policy",
              "CSP_SCRIPT_SRC", "csp_img_src", "xCSP_A_SRC", "CSP__SRC", "security", "policy", "-", " ", "_", "İ", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LOAD_PIECES), max_size=14).map("".join))
def test_may_load_is_the_reference_regex(text):
    assert may_load(text) == (REFERENCE_LOAD.search(text) is not None)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CSP_PIECES), max_size=8).map("".join))
def test_may_hold_policy_is_the_reference_regex(text):
    assert may_hold_policy(text) == (REFERENCE_CSP.search(text) is not None)


def test_the_reaches_are_exact_at_their_limits():
    assert may_load("<script" + " " * 2000 + '"//a') and not may_load("<script" + " " * 2001 + '"//a')
    assert may_load("src" + " " * 40 + '"//a') and not may_load("src" + " " * 41 + '"//a')
    assert not may_load('<script>"//a') and not may_load('src;"//a') and not may_load('<a href="//a">')
    assert may_hold_policy("Content-SECURITY-Policy") and not may_hold_policy("content security policy")
