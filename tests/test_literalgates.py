"""phi_lint.literalgates answers `literal in text` (and in the lowered text) from one pass."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from phi_lint import literalgates

PAD = "." * literalgates.MIN_CHARS  # a text this long is answered by the set
EXACT = literalgates.register("{%", "<!--#", "th:", "<SCRIPT", "include", "é{", "\ud800", "KK")
FOLDED = literalgates.register_folded("<script", "security", "csp_", "k")

PIECES = st.sampled_from([
    "{", "%", "}", "<", "!--", "#", "th", ":", "SCRIPT", "script", "<ScRiPt", "inc", "lude", "é", "É",
    "\ud800", "security", "SECURITY", "csp_", "CSP_", "\u212a", "\u0130", "K", "k", " ", "\n", "x",
])


@settings(max_examples=100, deadline=None)
@given(st.lists(PIECES, max_size=30))
def test_answers_are_the_substring_tests(pieces):
    for text in ("".join(pieces), "".join(pieces) + PAD, PAD + "".join(pieces)):
        _same_answers(text)


def _same_answers(text):
    for literal in EXACT + ("unregistered{",):
        assert literalgates.contains(text, literal) == (literal in text), literal
    for literal in FOLDED + ("unregistered",):
        assert literalgates.contains_folded(text, literal) == (literal in text.lower()), literal
    assert literalgates.contains_any(text, EXACT) == any(literal in text for literal in EXACT)


def test_a_non_ascii_text_is_lowered_as_python_lowers_it():
    # the Kelvin sign lowers to an ASCII k: a match ignoring ASCII case alone would miss it
    assert literalgates.contains_folded("\u212a" + PAD, "k")
    assert not literalgates.contains("\u212a" + PAD, "KK")


def test_a_literal_registered_after_a_question_about_the_text_is_found():
    text = "a page that says late-registered-gate" + PAD
    assert literalgates.contains(text, "{%") is False
    literalgates.register("late-registered-gate")
    assert literalgates.contains(text, "late-registered-gate")


def test_many_questions_about_one_text_search_it_once(monkeypatch):
    searched = []
    literalgates.contains("warm up the set" + PAD, "{%")
    literal_set = literalgates._compiled[0]

    class Counting:
        def Match(self, data):
            searched.append(data)
            return literal_set.Match(data)

    monkeypatch.setattr(literalgates, "_compiled", [Counting()])
    text = "{% extends 'x' %} <script> th:text" + PAD
    answers = [literalgates.contains(text, literal) for literal in EXACT for _ in range(3)]
    assert answers.count(True) == 3 * 2 and len(searched) == 1
    assert literalgates.contains("{% a short text %}", "{%") and len(searched) == 1  # searched by Python
