"""One mechanism, one place: readers that several stages need exist once, and the stages that
used to carry a copy of their own now agree with the shared one on the shapes the copies read
differently (HTML comments, YAML keys, Markdown front matter, file endings → languages)."""

from __future__ import annotations

import pytest

from phi_lint.frameworks.spring_security import SIGNED_IN
from phi_lint.frameworks.spring_security_xml import xml_security
from phi_lint.generic.reader import plain_text_facts
from phi_lint.parsers.template_comments import blank_comments, blank_html_comments

# ------------------------------------------------------------------ HTML / XML comments

LOADER = '<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
SECURITY_SCHEMA = 'xmlns="http://www.springframework.org/schema/security"'


@pytest.mark.parametrize("comment", [
    "<!-- {} -->",
    "<!--\n{}\n-->",
    "<!------------ removed 2024 ------------\n{}\n------------>",  # a banner comment: `<!--` then dashes
])
def test_plain_text_reader_blanks_html_comments_as_the_markup_stages_do(comment):
    text = comment.format(LOADER) + "\n<p>hours</p>\n"
    assert blank_html_comments(text) == blank_comments(text, ("html",))
    assert blank_html_comments(text).count("\n") == text.count("\n")
    assert plain_text_facts(text, frozenset()).urls == []


def test_plain_text_reader_keeps_what_no_comment_holds():
    text = "<!-- analytics -->\n" + LOADER + "\n<!-- an opener never closed " + LOADER
    urls = plain_text_facts(text, frozenset()).urls
    assert [(url.start, url.context) for url in urls] == [
        (text.index("https://"), "script"), (text.rindex("https://"), "script")]


def _security_xml(body: str) -> str:
    return f"<beans:beans {SECURITY_SCHEMA}>\n<http>\n{body}\n</http>\n</beans:beans>\n"


def test_spring_security_xml_blanks_comments_with_the_shared_reader():
    text = _security_xml(
        '<!--------- old rules ---------\n<intercept-url pattern="/old/**" access="permitAll"/>\n--------->\n'
        '<intercept-url pattern="/records/**" access="isAuthenticated()"/>')
    rules, _logins = xml_security("WEB-INF/security.xml", text)
    assert [(rule.patterns, rule.kind, rule.line) for rule in rules] == [(("/records/**",), SIGNED_IN, 6)]
