"""Comment blanking is done once per file text and syntax set, whichever stages ask for it."""

from __future__ import annotations

from collections import Counter

from helpers import scan_tree, write_tree

from phi_lint.pagegraph import jsmodules
from phi_lint.parsers import template_comments
from phi_lint.textmemo import per_text


def test_a_result_is_kept_for_the_same_text_object_only():
    calls = []

    @per_text
    def upper(text, suffix):
        calls.append(text)
        return text.upper() + suffix

    text = "abc" * 10
    assert upper(text, "!") == upper(text, "!") and calls == [text]
    assert upper(text, "?") == text.upper() + "?" and len(calls) == 2  # other arguments
    other = "".join(["abc"] * 10)  # equal, but another object: the memo is for one file's text
    assert other is not text and upper(other, "!") == upper(text, "!")
    assert len(calls) == 4  # `other` evicted `text`'s results


def test_a_scan_blanks_each_file_once_per_syntax_set(tmp_path, monkeypatch):
    seen: Counter = Counter()
    real_markup = template_comments._blank_comments
    real_js = jsmodules.blank_comments.__wrapped__

    def counting_markup(text, syntaxes, literal=False):
        seen[("markup", id(text), tuple(syntaxes), literal)] += 1
        return real_markup(text, syntaxes, literal)

    def counting_js(code):
        seen[("js", id(code))] += 1
        return real_js(code)

    monkeypatch.setattr(template_comments, "_blank_comments", counting_markup)
    monkeypatch.setattr(jsmodules, "blank_comments", per_text(counting_js))
    write_tree(tmp_path, {
        "package.json": '{"dependencies": {"next": "14.0.0", "vue-router": "4"}}',
        "templates/base.html": "{# note #}<html>{% block body %}{% endblock %}</html>\n",
        "templates/page.html": "{% extends 'base.html' %}{% block body %}<h1>Asthma</h1>{% endblock %}\n",
        "app/portal/page.tsx": "// a comment\nimport x from '../../lib/x';\nexport default function P() { return null; }\n",
        "lib/x.ts": "/* c */ export const x = 1;\n",
        # a page with a tracker is read by the parser, the page graph and page inference alike
        "templates/pixel.html": "<script src='https://connect.facebook.net/en_US/fbevents.js'></script>\n",
    })
    scan_tree(tmp_path)
    assert seen, "no blanking happened: the test no longer watches the right functions"
    assert max(seen.values()) == 1, [key for key, count in seen.items() if count > 1]
