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


# ------------------------------------------------------------------ file endings → languages


def test_every_reader_takes_a_files_language_from_the_one_ending_table():
    from phi_lint.lang import endings, java, javascript, treesitter

    for ending, language in endings.LANGUAGES.items():
        name = "src/Page" + ending.upper()  # endings are matched in any case
        assert treesitter.language_of(name) == (language if language in treesitter.GRAMMARS else None)
        assert java.language_of(name) == (language if ending in java.SOURCE_ENDINGS else None)
        assert (javascript.language_for(name) is not None) == (language == "javascript")
    assert javascript.SCRIPT_ENDINGS == endings.endings_of("javascript")


def test_a_kotlin_script_is_kotlin_to_the_grammar_but_no_application_source():
    from phi_lint.lang import java, treesitter

    assert treesitter.language_of("build.gradle.kts") == "kotlin"
    assert java.language_of("build.gradle.kts") is None and java.language_of("Api.kt") == "kotlin"
    assert treesitter.language_of("resources/views/a.blade.php") is None


def test_the_senders_ending_map_agrees_with_the_ending_table():
    # phi_lint.senders keeps its own map for now (its owners move it over); it must not disagree
    from phi_lint import senders
    from phi_lint.lang.endings import LANGUAGES

    assert {e: LANGUAGES[e] for e in senders.LANGUAGES} == senders.LANGUAGES
