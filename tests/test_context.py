"""Explicit page context: inline tags in every comment syntax, front matter, config globs."""

from __future__ import annotations

import pytest
from helpers import scan_tree, write_tree

from phi_lint.config import Config
from phi_lint.context import ContextBuilder, inline_tags

TAGGED = [
    ("html comment", "<!-- phi-lint: authenticated -->"),
    ("jinja comment", "{# phi-lint: authenticated #}"),
    ("django comment block", "{% comment %} phi-lint: authenticated {% endcomment %}"),
    ("erb comment", "<%# phi-lint: authenticated %>"),
    ("blade comment", "{{-- phi-lint: authenticated --}}"),
    ("handlebars comment", "{{!-- phi-lint: authenticated --}}"),
    ("js line comment", "// phi-lint: authenticated"),
    ("js block comment", "/* phi-lint: authenticated */"),
    ("jsx comment", "{/* phi-lint: authenticated */}"),
    ("upper case", "<!-- PHI-LINT: Authenticated -->"),
]


@pytest.mark.parametrize("label,line", TAGGED, ids=[t[0] for t in TAGGED])
def test_inline_tag_in_comment_syntaxes(label, line):
    assert inline_tags(f"<html>\n{line}\n</html>") == [("authenticated", 2)]


def test_several_labels_and_front_matter():
    assert inline_tags("<!-- phi-lint: authenticated, health -->") == [("authenticated", 1), ("health", 1)]
    assert inline_tags("---\ntitle: Asthma\nphi_lint: health\n---\n<h1>x</h1>") == [("health", 3)]
    assert inline_tags("---\nphi_lint: [health, public]\n---\n") == [("health", 2), ("public", 2)]


def test_prose_and_other_markers_are_not_tags():
    assert inline_tags("<p>Add phi-lint: authenticated to a comment.</p>") == []
    assert inline_tags("<!-- phi-lint: ignore[PHI001] vendor has a BAA -->") == []
    assert inline_tags("<p>phi-lint: confidential</p>") == []


def _context(tmp_path, config_text, files):
    write_tree(tmp_path, {"phi-lint.toml": config_text, **files})
    return scan_tree(tmp_path).contexts


def test_config_globs_are_relative_to_the_config_file(tmp_path):
    contexts = _context(
        tmp_path,
        'infer = false\n[pages]\nauthenticated = ["portal/**"]\nhealth = ["conditions/*.html"]\n',
        {"portal/a/b.html": "<p></p>", "conditions/flu.html": "<p></p>", "other/portal/x.html": "<p></p>"},
    )
    assert contexts["portal/a/b.html"].authenticated is True
    assert contexts["conditions/flu.html"].health is True
    assert contexts["other/portal/x.html"].sensitive is False


def test_precedence_inline_beats_config_and_public_carves_out(tmp_path):
    contexts = _context(
        tmp_path,
        'infer = false\n[pages]\nauthenticated = ["portal/**"]\npublic = ["portal/login.html"]\n',
        {
            "portal/login.html": "<p>Sign in</p>",
            "portal/help.html": "<!-- phi-lint: public -->",
            "portal/home.html": "<p></p>",
            "about.html": "<!-- phi-lint: health -->",
        },
    )
    assert contexts["portal/login.html"].authenticated is False
    assert contexts["portal/help.html"].authenticated is False
    assert contexts["portal/home.html"].authenticated is True
    assert contexts["about.html"].health is True
    evidence = contexts["portal/home.html"].labels["authenticated"][0]
    assert "portal/**" in evidence.text and "phi-lint.toml" in evidence.text


def test_inline_public_does_not_override_inline_sensitive_when_both_given(tmp_path):
    builder = ContextBuilder(Config(root=tmp_path))
    builder.add_inline("a.html", "<!-- phi-lint: authenticated -->\n{# phi-lint: public #}")
    context = builder.context("a.html")
    assert context.authenticated is False  # public from the same source wins: explicit carve-out
    assert context.has("public")


def test_pages_are_judged_where_a_tracker_reaches_them(tmp_path):
    # a page says it is about health (title); it is judged only when a tracker reaches it
    gout = "<html><head><title>Gout treatment</title></head><body><h1>Gout</h1></body></html>\n"
    pixel = "<script>fbq('init', '123456789012345');</script>\n"
    write_tree(tmp_path, {"site/article.html": gout, "site/about.html": "<h1>About us</h1>\n" + pixel})
    result = scan_tree(tmp_path)
    assert "site/article.html" in result.contexts and len(result.contexts) == 2
    assert list(result.contexts)[0] == "site/about.html"  # worked out while deciding findings
    assert result.contexts["site/article.html"].labels == {}  # no tracker reaches it: not read twice
    write_tree(tmp_path, {"site/article.html": gout.replace("</body>", pixel + "</body>")})
    result = scan_tree(tmp_path)
    assert "page title mentions `gout`" in result.contexts["site/article.html"].labels["health"][0].text
    assert [f.rule_id for f in result.findings if f.sighting.path == "site/article.html"] == ["PHI002"]
