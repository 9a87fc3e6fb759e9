"""Rails script helpers read as the script elements they write (phi_lint/parsers/erb_helpers.py)."""

from __future__ import annotations

from phi_lint.parsers.erb_helpers import rewrite_helpers
from phi_lint.parsers.indented import markup_text

BLOCK = """<head>
<%= javascript_tag do %>
  ga('create', 'UA-1-1');
<% end %>
</head>
"""


def test_a_block_becomes_a_script_element_on_the_same_lines():
    out = rewrite_helpers(BLOCK)
    assert out.split("\n")[1].rstrip() == "<script>"
    assert out.split("\n")[3].rstrip() == "</script>"
    assert out.count("\n") == BLOCK.count("\n")
    assert len(out) == len(BLOCK)  # padded: the body keeps its offsets


def test_nested_erb_blocks_do_not_close_the_script():
    text = "<%= javascript_tag do %>\n<% if x %>a();<% end %>\nb();\n<% end %>\n"
    lines = rewrite_helpers(text).split("\n")
    assert lines[1] == "<% if x %>a();<% end %>"
    assert lines[3].rstrip() == "</script>"


def test_an_unclosed_block_is_left_as_it_is():
    text = "<%= javascript_tag do %>\nga('create', 'UA-1-1');\n"
    assert rewrite_helpers(text) == text


def test_a_string_body_keeps_its_column_and_loses_its_escapes():
    text = """<%= javascript_tag "fbq(\\"init\\", '1')" %>"""
    out = rewrite_helpers(text)
    assert out.startswith("<script>") and out.endswith("</script>")
    assert out.index("fbq") == text.index("fbq")
    assert 'fbq("init", \'1\')' in out


def test_only_external_urls_of_a_loader_become_script_elements():
    text = '<%= javascript_include_tag "application", "https://tags.tiqcdn.com/utag/a/b/prod/utag.js", "//x.example/y.js", defer: true %>'
    out = rewrite_helpers(text)
    assert out.endswith(text)  # the tag stays for the page graph (its local names)
    assert out[: -len(text)] == '<script src="https://tags.tiqcdn.com/utag/a/b/prod/utag.js"></script><script src="//x.example/y.js"></script>'
    assert rewrite_helpers('<%= javascript_include_tag "application" %>') == '<%= javascript_include_tag "application" %>'


def test_helpers_in_comments_stay_comments_and_the_comments_stay():
    text = '<%# javascript_include_tag "https://tags.tiqcdn.com/utag/a/b/prod/utag.js" %>\n<%# phi-lint: ignore[PHI001] reason %>\n'
    assert markup_text("x.html.erb", text) == text


def test_other_dialects_are_not_rewritten():
    text = '<%= javascript_include_tag "https://tags.tiqcdn.com/utag/a/b/prod/utag.js" %>'
    assert markup_text("x.ejs", text) == text
    assert markup_text("x.html.erb", text) != text
