"""Haml, Slim and Pug turned into HTML / ERB line for line (phi_lint.parsers.indented): the
elements the sightings parser and the page graph read, on the line (and at the column) they were
written, comments left for the stages to blank, and bounded time on hostile input."""

from __future__ import annotations

import time

import pytest

from phi_lint.dialects import dialect_for
from phi_lint.parsers.indented import markup_text, to_markup


def _convert(text: str, flavour: str) -> list[str]:
    out = to_markup(text, flavour, dialect_for("x." + flavour).comments)
    assert out.count("\n") == text.count("\n"), "one output line per input line"
    return out.split("\n")


def test_haml_elements_filters_and_ruby():
    lines = _convert(
        "%html\n"
        "  %head\n"
        '    %script{src: "https://cdn.example/a.js", async: true}\n'
        "    %script(src=\"https://cdn.example/b.js\")\n"
        "    :javascript\n"
        "      track('x');\n"
        "    = render partial: \"shared/pixel\",\n"
        "      locals: {a: 1}\n"
        "  %body.portal#main\n"
        "    - if signed_in?\n"
        "      %p= user.name\n"
        "    - else\n"
        "      %img{src: \"https://cdn.example/p.gif\", height: 1}\n",
        "haml",
    )
    assert lines[2] == '    <script src="https://cdn.example/a.js" async></script>'
    assert lines[3] == '    <script src="https://cdn.example/b.js"></script>'
    assert lines[4] == "    <script>" and lines[5] == "      track('x');</script>"
    assert lines[6] == '    <%= render partial: "shared/pixel", locals: {a: 1} %></head>' and lines[7] == ""
    assert lines[8] == '  <body class="portal" id="main">'
    assert lines[9] == "    <% if signed_in? %>" and lines[10] == "      <p><%= user.name %></p>"
    assert lines[11] == "    <% else %>"
    assert lines[12] == '      <img src="https://cdn.example/p.gif" height="1"><% end %></body></html>'


def test_slim_bare_attributes_engines_and_renders():
    lines = _convert(
        'script src="https://cdn.example/a.js" async=true\n'
        "javascript:\n"
        "  track('x');\n"
        'img src=image_path("x.png") alt="a" height=1\n'
        "== render 'shared/pixel'\n"
        "p\n"
        "  | Hello\n"
        "script\n"
        "  | track('y');\n",
        "slim",
    )
    assert lines[0] == '<script src="https://cdn.example/a.js" async></script>'
    assert lines[1] == "<script>" and lines[2] == "  track('x');</script>"
    assert lines[3] == '<img alt="a" height="1">'  # a value that is code is left out
    assert lines[4] == "<%= render 'shared/pixel' %>"
    assert lines[8] == "    track('y');</script>"


def test_pug_scripts_includes_and_block_expansion():
    lines = _convert(
        "extends layout\n"
        "block content\n"
        "  include partials/head\n"
        "  script(src='https://cdn.example/a.js' async)\n"
        "  script.\n"
        "    track('x');\n"
        "  script\n"
        "    track('y');\n"
        "  li: a(href='/x') Link\n"
        "  img(src=url)\n",
        "pug",
    )
    assert lines[0] == "extends layout" and lines[1] == "" and lines[2] == "  include partials/head"
    assert lines[3] == '  <script src="https://cdn.example/a.js" async></script>'
    assert lines[4] == "  <script>" and lines[5] == "    track('x');</script>"
    assert lines[7] == "    track('y');</script>"
    assert lines[8] == '  <li><a href="/x">Link</a></li>'
    assert lines[9] == "  <img>"


@pytest.mark.parametrize(
    "flavour,comment",
    [("haml", "-#"), ("haml", "/"), ("slim", "/"), ("slim", "/!"), ("pug", "//-"), ("pug", "//")],
)
def test_comments_are_left_as_written(flavour, comment):
    element = {"haml": '%img{src: "https://cdn.example/p.gif"}', "slim": 'img src="https://cdn.example/p.gif"',
               "pug": "img(src='https://cdn.example/p.gif')"}[flavour]
    text = f"{comment} old\n  {element}\n{element}\n"
    lines = _convert(text, flavour)
    assert lines[:2] == [f"{comment} old", f"  {element}"]  # the stages blank it (rules/dialects.toml)
    assert lines[2].startswith("<img src=")


def test_other_files_are_unchanged():
    text = "%p not haml\n"
    assert markup_text("templates/page.html", text) is text
    assert markup_text("app/views/x.html.haml", text) == "<p>not haml</p>\n"
    assert markup_text("views/x.JADE", "p hi\r\n") == "<p>hi</p>\r\n"


def _bounded(text: str, flavour: str, seconds: float = 3.0) -> list[str]:
    start = time.process_time()
    lines = _convert(text, flavour)
    assert time.process_time() - start < seconds
    return lines


@pytest.mark.parametrize("flavour", ["haml", "slim", "pug"])
def test_hostile_deep_nesting(flavour):
    tag = {"haml": "%div", "slim": "div", "pug": "div"}[flavour]
    text = "".join(" " * depth + tag + "\n" for depth in range(5000))
    lines = _bounded(text, flavour)
    assert lines[-2].endswith("</div>" * 5000)


@pytest.mark.parametrize("flavour", ["haml", "slim", "pug"])
def test_hostile_fifty_thousand_lines_with_tabs_and_unclosed_attributes(flavour):
    rows = {
        "haml": ['%p{a: "x"', "\t%img{src: 'https://cdn.example/p.gif'}", " \t- if x", ":javascript", "\t  y()"],
        "slim": ["p(a='x'", "\timg src='https://cdn.example/p.gif'", " \t- if x", "javascript:", "\t  y()"],
        "pug": ["p(a='x'", "\timg(src='https://cdn.example/p.gif')", " \tif x", "script.", "\t  y()"],
    }[flavour]
    text = "\n".join(rows[i % len(rows)] for i in range(50_000)) + "\n"
    _bounded(text, flavour, seconds=4.0)


def test_hostile_long_line_of_brackets():
    text = "%p{" + "{(" * 50_000 + "\n" + "x\n" * 100
    _bounded(text, "haml")
    _bounded("p(" + "'(" * 50_000 + "\n", "pug")
