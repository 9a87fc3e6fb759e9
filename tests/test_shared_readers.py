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


UNCLOSED_PAGE = (
    '<!-- <input name="dob"> -->\n<input name="email">\n<!--#include virtual="/nav.html" -->\n'
    '<script type="module">import("./a.js")</script>\n'
    '<!-- never closed\n<input name="ssn">\n<script type="module">import("./b.js")</script>\n')


def test_an_unclosed_html_comment_runs_to_the_end_only_when_asked():
    browser = blank_html_comments(UNCLOSED_PAGE, unclosed_runs_to_end=True)
    parser = blank_html_comments(UNCLOSED_PAGE)
    for blanked in (browser, parser):
        assert len(blanked) == len(UNCLOSED_PAGE) and blanked.count("\n") == UNCLOSED_PAGE.count("\n")
        assert "dob" not in blanked and '<input name="email">' in blanked
        assert '<!--#include virtual="/nav.html" -->' in blanked  # an SSI directive is no comment
    assert parser == blank_comments(UNCLOSED_PAGE, ("html",)) and "ssn" in parser
    cut = UNCLOSED_PAGE.index("<!-- never")
    assert browser[:cut] == parser[:cut] and browser[cut:].strip() == ""


def test_page_text_and_script_finders_read_html_comments_as_a_browser_with_the_shared_reader():
    from phi_lint.inference import health
    from phi_lint.pagegraph import jsmodules

    assert health.strip_comments("page.html", UNCLOSED_PAGE, None) == blank_html_comments(
        UNCLOSED_PAGE, unclosed_runs_to_end=True)
    blocks = jsmodules.script_blocks("page.html", UNCLOSED_PAGE)
    assert [UNCLOSED_PAGE[start:end] for start, end in blocks] == ['import("./a.js")']


def test_form_fields_read_html_comments_as_the_markup_parser_with_the_shared_reader():
    from phi_lint.datasent.units import units_of

    _units, info = units_of("page.html", "markup", UNCLOSED_PAGE)
    assert info.field_names == ["email", "ssn"]  # an opener never closed hides nothing here


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


def test_senders_take_a_files_language_from_the_one_ending_table():
    from phi_lint import senders
    from phi_lint.lang import endings

    assert senders.LANGUAGES is endings.LANGUAGES  # no map of its own to drift
    assert senders.ENDINGS <= endings.LANGUAGES.keys()
    for ending, language in endings.LANGUAGES.items():
        name = "app/Sender" + ending.upper()
        assert senders.language_of(name) == (language if ending in senders.ENDINGS else None)
    # what senders leave out on purpose: build scripts, rake tasks, Elixir, declarations, Blade
    for name in ("build.gradle.kts", "lib/tasks/sync.rake", "lib/app.ex", "types/api.d.ts",
                 "resources/views/a.blade.php", "Makefile"):
        assert senders.language_of(name) is None, name
    assert senders.language_of("src/api.mts") == "javascript" and senders.language_of("Api.kt") == "kotlin"


# ------------------------------------------------------------------ Markdown front matter

FRONT_MATTER_SHAPES = [
    ("---\nlayout: post\ntitle: Cardiology\n---\nText\n", "post"),
    ("---\r\nlayout: post\r\ntitle: Cardiology\r\n---\r\nText\r\n", "post"),  # CRLF line endings
    ("---\nlayout : post\n---\n", "post"),  # a blank before the colon
    ("---\r\nlayout :  'post'  # the blog\r\n---\r\n", "post"),
    ("\ufeff---\ntitle: x\nlayout:\tpost\n---\n", "post"),
    ("---\ntitle: Cardiology\n---\n", None),
    ("---\nlayout:\n---\n", None),
    ("---\nlayout: # none yet\n---\n", None),
    ("---\n  layout: post\n---\n", None),  # a nested key is not the page's layout
]


@pytest.mark.parametrize(("text", "layout"), FRONT_MATTER_SHAPES)
def test_one_front_matter_reader_for_the_page_gate_and_the_layout_edges(text, layout):
    from phi_lint.frontmatter import front_matter, layout_name
    from phi_lint.siteconfig.pages import site_of_page

    block = front_matter(text)
    assert block is not None and layout_name(block[1]) == layout
    # the Markdown page gate: an Eleventy site's page needs a layout
    sites = [(_generator("eleventy"), "")]
    assert (site_of_page("posts/a.md", sites, lambda rel: text) is not None) == (layout is not None)
    # the layout edge, at the line of the `layout` key
    edges = _layout_edges(text)
    line = text[: text.find("layout")].count("\n") + 1
    assert [(edge.target, edge.line) for edge in edges] == ([("_layouts/post.html", line)] if layout else [])


@pytest.mark.parametrize("text", [
    "---\n---\n# Conditions\n",  # empty front matter: a Jekyll page all the same
    "---\r\n---\r\nText\r\n",
    "---\ntitle: x\n--- \n",
])
def test_front_matter_may_be_empty_or_its_closing_line_carry_blanks(text):
    from phi_lint.frontmatter import front_matter

    assert front_matter(text) is not None


@pytest.mark.parametrize("text", [
    "Text\n---\nlayout: post\n---\n",  # not at the start
    "---\nlayout: post\n",  # never closed
    "--- layout: post\n---\n",  # the opening line is `---` alone
    "---\nlayout: post\n----\n",  # so is the closing one
    "---\nlayout: post\n---x\n",
])
def test_no_front_matter_is_read_where_the_lines_are_not_alone(text):
    from phi_lint.frontmatter import front_matter

    assert front_matter(text) is None


# ------------------------------------------------------------------ Astro front matter

ASTRO_INIT = "import posthog from 'posthog-js';\nposthog.init('phc_abc');\n"
ASTRO_PIXEL = '<script src="https://connect.facebook.net/en_US/fbevents.js"></script>\n'
ASTRO_SHAPES = [  # (text, whether it has front matter)
    (f"---\n{ASTRO_INIT}---\n{ASTRO_PIXEL}", True),
    (f"---\n{ASTRO_INIT}---\n{ASTRO_PIXEL}".replace("\n", "\r\n"), True),  # CRLF line endings
    (f"--- \n{ASTRO_INIT}---\t\n{ASTRO_PIXEL}", True),  # blanks after the dashes
    (f"\n  \n---\n{ASTRO_INIT}---\n{ASTRO_PIXEL}", True),  # white space first: the Astro compiler skips it
    (f"\ufeff---\n{ASTRO_INIT}---\n{ASTRO_PIXEL}", True),
    (f"---\n---\n{ASTRO_PIXEL}", True),  # empty
    (f"---\n{ASTRO_INIT}{ASTRO_PIXEL}", False),  # never closed
    (f"---\n{ASTRO_INIT}{ASTRO_PIXEL}".replace("\n", "\r\n"), False),
    (f"---\n{ASTRO_INIT}----\n{ASTRO_PIXEL}", False),  # the closing line is `---` alone
    (f"---\n{ASTRO_INIT}---x\n{ASTRO_PIXEL}", False),
]


@pytest.mark.parametrize(("text", "has_front"), ASTRO_SHAPES)
def test_one_astro_front_matter_reader_for_the_parser_the_module_graph_and_add_ignore(text, has_front, analyzer):
    """The markup parser, the module graph and `add-ignore` each had a regex of their own for
    the `---` block; they now read phi_lint.frontmatter's span and agree on every shape."""
    from phi_lint.addignore import _in_frontmatter
    from phi_lint.engine.analyzer import sightings_in_text
    from phi_lint.frontmatter import front_matter_span
    from phi_lint.pagegraph.jsmodules import script_blocks

    span = front_matter_span(text, leading_space=True)
    assert (span is not None) == has_front
    has_code = has_front and "posthog" in text
    # the module graph reads the TypeScript where the parser does
    assert script_blocks("src/pages/a.astro", text) == ([(span.start, span.end)] if has_code else [])
    assert span is None or text[span.start : span.end].replace("\r\n", "\n") == (ASTRO_INIT if has_code else "")
    # the parser: the init call is a sighting only in front matter; the markup after it keeps its lines
    sightings, _ = sightings_in_text("src/pages/a.astro", text, analyzer)
    found = sorted((s.vendor_id, s.span.line) for s in sightings)
    pixel_line = text[: text.index("<script")].count("\n") + 1
    init_line = [number for number, line in enumerate(text.split("\n"), 1) if line.startswith("posthog.init")]
    assert [line for vendor, line in found if vendor == "posthog"] == (init_line if has_code else [])
    assert ("meta-pixel", pixel_line) in found
    # add-ignore: a line of the front matter takes a `//` comment
    line_two = text.index("\n") + 1
    assert _in_frontmatter(text, line_two) == has_code


def test_markdown_front_matter_starts_on_the_first_line_unlike_astro():
    from phi_lint.frontmatter import front_matter, front_matter_span

    text = "\n---\nlayout: post\n---\n"
    assert front_matter(text) is None and front_matter_span(text) is None
    assert front_matter_span(text, leading_space=True) == (5, 18, 22)


def _generator(generator_id: str):
    from phi_lint.siteconfig.data import table

    return next(generator for generator in table().generators if generator.id == generator_id)


class _Files:
    """The two calls layout_edges makes of the repository."""

    def __init__(self, files: set[str]):
        self.files = files
        self.missing: list[tuple[str, str, int]] = []

    def first(self, candidates):
        return next((rel for rel in candidates if rel in self.files), None)

    def note_missing(self, rel: str, name: str, line: int) -> None:
        self.missing.append((rel, name, line))


def _layout_edges(text: str):
    from phi_lint.frameworks.jekyll import layout_edges

    return layout_edges("posts/a.md", text, _Files({"_layouts/post.html", "posts/a.md"}))


# ------------------------------------------------------------------ YAML (site configs and Drupal)

INFO_YML = (
    "name: Clinic\n"
    "type : theme  # a blank before the colon is still the key\n"
    "libraries:\n"
    "  - clinic/global  # on every page\n"
    "  - 'clinic/forms'\n"
    "  - not-a-library\n"
    "dependencies:\n"
    "  - drupal:node\n"
)


def test_drupal_info_yml_is_read_by_the_shared_yaml_reader():
    from phi_lint.frameworks.drupal import _read_info
    from phi_lint.siteconfig.values import yaml_keys

    extension = _read_info("clinic", "themes/clinic/clinic.info.yml", INFO_YML)
    assert (extension.type, extension.root) == ("theme", "themes/clinic")
    assert extension.libraries == ["clinic/global", "clinic/forms"]
    keys = yaml_keys(INFO_YML)  # what a site config reader sees of the same text
    assert keys["type"].value == extension.type and keys["libraries"].value[:2] == extension.libraries


ROUTING_YML = (
    "# records\n"
    "clinic.records:\n"
    "  path: '/patient/records'\n"
    "  defaults:\n"
    "    _controller: '\\Drupal\\clinic\\Controller\\Records::page'\n"
    "    _title: 'Records #1'\n"
    "  requirements:\n"
    "    _user_is_logged_in: 'TRUE'\n"
    "    _permission: [view records]\n"
    "clinic.about:\n"
    "  path: /about\n"
    "  requirements:\n"
    "    _access: TRUE  # open to everyone\n"
)


def test_drupal_routes_are_read_by_the_shared_yaml_reader_with_their_values_as_written():
    from phi_lint.frameworks.drupal import read_routing
    from phi_lint.siteconfig.values import yaml_entries

    routes = read_routing(ROUTING_YML)
    assert [(route.name, route.line) for route in routes] == [("clinic.records", 2), ("clinic.about", 10)]
    assert routes[0].values == {
        "path": ("/patient/records", 3), "_controller": ("\\Drupal\\clinic\\Controller\\Records::page", 5),
        "_title": ("Records #1", 6), "_user_is_logged_in": ("TRUE", 8), "_permission": ("[view records]", 9)}
    assert routes[1].values == {"path": ("/about", 11), "_access": ("TRUE", 13)}
    # the route name's dots are not a path: the shared reader keeps each key whole
    assert ("clinic.records", "requirements", "_user_is_logged_in") in {entry.path for entry in yaml_entries(ROUTING_YML)}


def test_drupal_library_urls_are_keys_of_the_shared_yaml_reader_at_their_offsets():
    from phi_lint.siteconfig.libraries import library_facts

    text = (
        "analytics:\n"
        "  js:\n"
        "    https://www.googletagmanager.com/gtag/js?id=G-1: { type: external, attributes: { async: true } }\n"
        "    js/analytics.js: {}\n"
        "    '//cdn.example.com/pixel.js':\n"
        "      type: external\n"
        "  css:\n"
        "    theme:\n"
        "      https://fonts.example.com/a.css: { type: external }\n"
        "# https://old.example.com/x.js: {}\n"
    )
    facts = library_facts(text)
    assert [(url.value, text[url.start : url.end], url.context) for url in facts.urls] == [
        ("https://www.googletagmanager.com/gtag/js?id=G-1", "https://www.googletagmanager.com/gtag/js?id=G-1", "script"),
        ("//cdn.example.com/pixel.js", "//cdn.example.com/pixel.js", "script")]


def _front_matter_titles(text: str) -> list[tuple[str, int, str]]:
    from phi_lint.inference import health

    return [(found.text, found.line, found.zone) for found in health.titles_and_headings(text, text, health.Lines(text))
            if found.zone in ("title", "secondary")]


@pytest.mark.parametrize(("text", "titles"), [
    ("---\ntitle: Cardiology\ndescription: Heart care\n---\n", [("Cardiology", 2, "title"), ("Heart care", 3, "secondary")]),
    ("\ufeff---\r\ntitle: 'Cardiology'\r\n---\r\n", [("Cardiology", 2, "title")]),
    # the first `---` line closes the block: an empty one, and the title below it is page text
    ("---\n---\ntitle: Cardiology\n---\n", []),
])
def test_page_titles_come_from_the_shared_front_matter_reader(text, titles):
    from phi_lint.frontmatter import front_matter

    assert (front_matter(text) is not None) == (text.count("---") >= 2)
    assert _front_matter_titles(text) == titles


def test_page_titles_leave_a_front_matter_block_over_the_cap_unread():
    from phi_lint.inference.health import FRONT_MATTER_CHARS

    filler = "x" * (FRONT_MATTER_CHARS - len("title: Cardiology\n"))
    at_cap = f"---\ntitle: Cardiology\n{filler}\n---\n"
    assert _front_matter_titles(at_cap) == [("Cardiology", 2, "title")]
    assert _front_matter_titles(at_cap.replace(filler, filler + "x")) == []
