"""Literal-first comment blanking (phi_lint.parsers.template_comments) gives the same text as the
regex alternation it replaced, on random mixes of every opener and closer of rules/dialects.toml,
and costs time in proportion to the openers' literals, not to every position of the text."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from phi_lint.dialects import table
from phi_lint.parsers.template_comments import blank_comments, leading_literal


def _reference(text: str, syntaxes: tuple[str, ...], literal: bool = False) -> str:
    """The previous implementation: one alternation of every opener, searched from each position."""
    forms = tuple(f for f in table().forms(syntaxes, literal) if leading_literal(f.open) in text)
    # of openers matching at one place the longest literal wins (ColdFusion's `<!---` over HTML's
    # `<!--`), then table order
    forms = tuple(sorted(forms, key=lambda f: -len(leading_literal(f.open))))
    if not forms:
        return text
    opener = re.compile("|".join(f"(?P<c{i}>{f.open})" for i, f in enumerate(forms)), re.IGNORECASE)
    closers = [re.compile(f.close, re.IGNORECASE) for f in forms]
    own_openers = [re.compile(f.open, re.IGNORECASE) for f in forms]
    parts, last, pos, exhausted = [], 0, 0, set()
    while True:
        match = opener.search(text, pos)
        if match is None:
            break
        index = int(match.lastgroup[1:])
        if index in exhausted:
            pos = match.end()
            continue
        if forms[index].nested:
            close = _balancing_close(text, match.end(), own_openers[index], closers[index])
        else:
            close = closers[index].search(text, match.end())
        if close is None:
            exhausted.add(index)
            pos = match.end()
            continue
        parts.append(text[last : match.start()])
        parts.append("".join("\n" if c == "\n" else " " for c in text[match.start() : close.end()]))
        last = pos = close.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _balancing_close(text: str, pos: int, opener: re.Pattern, closer: re.Pattern):
    """A nested form's closer (ColdFusion `<!--- a <!--- b ---> c --->`): the first closer with no
    opener left unclosed before it, compared one closer and one opener at a time."""
    depth = 1
    while True:
        close = closer.search(text, pos)
        if close is None:
            return None
        inner = opener.search(text, pos)
        if inner is not None and inner.start() < close.start():
            depth, pos = depth + 1, inner.end()
            continue
        depth -= 1
        if depth == 0:
            return close
        pos = close.end()


def _pieces() -> list[str]:
    """Every sample opener and closer of the table, parts of them, and ordinary template text."""
    pieces = ["{%", "%}", "{{", "}}", "{", "}", "<", ">", "#", "-", "%", "!", "\n", " ", "x", "COMMENT",
              "{% block a %}", "{% endblock %}", "<%= x %>", "{{ item }}", "<!--#include file=\"a\" -->"]
    for forms in table().comment_forms.values():
        for form in forms:
            for opener, closer in form.samples:
                pieces += [opener, closer, opener[:2], closer[-2:]]
    return sorted(set(pieces))


INDENT_SYNTAXES = sorted({form.syntax for forms in table().comment_forms.values() for form in forms if form.indent})
# the alternation reference knows only opener / closer forms; indentation comments have their own below
SYNTAX_SETS = sorted(
    {tuple(s for s in ("html", *d.comments) if s not in INDENT_SYNTAXES) for d in table().dialects}
    | {tuple(s for s in d.comments if s not in INDENT_SYNTAXES) for d in table().dialects}
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_pieces()), max_size=40).map("".join),
    st.sampled_from(SYNTAX_SETS),
    st.booleans(),
)
def test_literal_first_blanking_equals_the_alternation(text, syntaxes, literal):
    assert blank_comments(text, syntaxes, literal) == _reference(text, syntaxes, literal)


def _indent_reference(text: str, syntax: str) -> str:
    """Line by line: a line whose first non-blank text is an opener starts a comment that takes
    the rest of it and every following line indented deeper (tabs to multiples of 8)."""
    openers = [re.compile(form.open) for form in table().comment_forms[syntax]]
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        body = line.lstrip(" \t")
        lead = line[: len(line) - len(body)]
        if not body or not any(opener.match(body) for opener in openers):
            out.append(line)
            i += 1
            continue
        own = len(lead.expandtabs(8))
        out.append(lead + " " * len(body))
        j, last = i + 1, i
        while j < len(lines):
            more = lines[j].lstrip(" \t")
            if more:
                if len(lines[j][: len(lines[j]) - len(more)].expandtabs(8)) <= own:
                    break
                last = j
            j += 1
        out.extend(" " * len(lines[k]) for k in range(i + 1, last + 1))
        i = last + 1
    return "\n".join(out)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["\n", " ", "  ", "\t", "x", "/", "//", "//-", "/!", "-#", "-", "#", "%p", "a/b"]), max_size=40).map("".join),
    st.sampled_from(INDENT_SYNTAXES),
)
def test_indentation_comments_equal_a_line_by_line_reading(text, syntax):
    assert blank_comments(text, (syntax,)) == _indent_reference(text, syntax)


def test_indentation_comments_cost_is_linear():
    """Every `/` of a long line is a possible opener: each is judged by the white space before it."""
    text = ("  " + "a / b // c " * 20_000 + "\n") * 5 + "/ x\n" + "  y\n" * 50_000
    start = time.process_time()
    blanked = blank_comments(text, ("slim",))
    assert time.process_time() - start < 2.0
    assert blanked.count("y") == 0 and blanked.count("a /") == 100_000


def test_the_same_on_a_template_with_every_kind_of_tag():
    text = (
        "{% extends 'base.html' %}\n{# a {% include 'x.html' %} #}\n{%- comment \"old\" -%}\n"
        "<script src='https://connect.facebook.net/en_US/fbevents.js'></script>\n{% endcomment %}\n"
        "{% raw %}{% include 'y.html' %}{% endraw %}<!-- c --><!--#include virtual=\"/z.html\" -->\n"
        "{{!-- hb --}}{{! hb }}<%# erb %>{% # liquid %}{% block a %}{% endblock %}\n"
    )
    for syntaxes in SYNTAX_SETS:
        for literal in (False, True):
            assert blank_comments(text, syntaxes, literal) == _reference(text, syntaxes, literal)
    blanked = blank_comments(text, ("html", "jinja", "liquid"), True)
    assert "fbevents" not in blanked and "'y.html'" not in blanked and "/z.html" in blanked
    assert [len(line) for line in blanked.split("\n")] == [len(line) for line in text.split("\n")]


def test_cost_follows_the_openers_not_the_text():
    """A template of prose with a few tags and no comment: the alternation tried every branch at
    every character (about 0.7 ms a 10 KB page); finding the openers' literals is ten times cheaper."""
    rows = "".join(f'  <div class="row-{j}"><p>{{{{ item_{j} }}}} {"patient portal visit " * 6}</p></div>\n' for j in range(60))
    text = '{% extends "base.html" %}\n{% block content %}\n' + rows + '{% include "footer.html" %}\n{% endblock %}\n'
    syntaxes = ("html", *table().for_name("page.html").comments)
    runs = 30
    start = time.process_time()
    for i in range(runs):
        assert blank_comments(text + str(i), syntaxes, True) == text + str(i)
    new = time.process_time() - start
    start = time.process_time()
    for i in range(runs):
        _reference(text + str(i), syntaxes, True)
    old = time.process_time() - start
    assert new * 3 < old, (new, old)


def test_every_opener_of_the_table_starts_with_a_literal():
    """Literal-first scanning finds openers by their literal; the table keeps to that."""
    for syntax, forms in table().comment_forms.items():
        for form in forms:
            assert leading_literal(form.open), (syntax, form.open)


def test_an_opener_without_a_literal_is_found_by_its_regex(monkeypatch):
    """A user-edited table could hold one: it is still blanked, by the regex's own search."""
    import phi_lint.parsers.template_comments as module
    from phi_lint.dialects import parse_table

    custom = parse_table({"comments": {"odd": {"forms": [{"open": "[ab]c", "close": "zz"},
                                                         {"open": r"\{#", "close": "#\\}"}]}}})
    monkeypatch.setattr(module, "table", lambda: custom)
    monkeypatch.setattr(module, "_FORMS", {})
    text = "x ac y zz bc {# q #} w"
    assert blank_comments(text, ("odd",)).split() == ["x", "bc", "w"]


def test_a_literal_opener_and_one_without_a_literal_at_the_same_place(monkeypatch):
    """Where the literal's forms do not match but a form without a literal does, that form
    opens the comment, as in one alternation of every opener."""
    import phi_lint.parsers.template_comments as module
    from phi_lint.dialects import parse_table

    custom = parse_table({"comments": {"odd": {"forms": [{"open": r"\{#x", "close": "X"},
                                                         {"open": "[{]#y", "close": "Y"}]}}})
    monkeypatch.setattr(module, "table", lambda: custom)
    monkeypatch.setattr(module, "_FORMS", {})
    assert blank_comments("a {#y b Y c", ("odd",)).split() == ["a", "c"]
    assert blank_comments("a {#x b X c {#y d Y e", ("odd",)).split() == ["a", "c", "e"]
