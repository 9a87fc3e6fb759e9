"""The template dialect table (rules/dialects.toml) and the stages that read it.

Every comment form of every dialect is checked end to end: a tracker pixel inside it is not
reported (markup parser), and health words inside it do not make the page a health page (health
inference), while the same pixel and words outside the comment are seen (so each case can fail).
"""

from __future__ import annotations

import re

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.dialects import dialect_for, parse_table, table
from phi_lint.discovery import classify
from phi_lint.parsers.template_comments import blank_comments, markup_flavour

PIXEL = '<img height="1" width="1" src="https://www.facebook.com/tr?id=123456789012345&ev=PageView&noscript=1"/>'
SCRIPT = "<script>fbq('init', '123456789012345');</script>"
TITLE = "<title>HIV treatment and care</title>"


def _comment_cases():
    params = {}
    for dialect in table().dialects:
        for form in table().forms(dialect.comments):
            for opener, closer in form.samples:
                key = f"{dialect.name}:{opener}{closer}"  # Liquid and Django share some spellings
                params[key] = pytest.param(dialect.name, dialect.endings[0], opener, closer, id=key)
    return list(params.values())


def test_every_comment_sample_matches_its_form():
    for syntax, forms in table().comment_forms.items():
        assert forms, syntax
        for form in forms:
            assert form.samples, (syntax, form.open)
            for opener, closer in form.samples:
                assert re.match(form.open, opener, re.IGNORECASE), (syntax, opener)
                if form.indent:  # no closer: the line and the lines nested under it
                    assert closer == "", (syntax, closer)
                    text = f"a\n  {opener} X\n    Y\n\n   Z\n  b\n"
                    assert blank_comments(text, (syntax,)).split() == ["a", "b"], text
                    assert blank_comments(f"a {opener} X\n", (syntax,)) == f"a {opener} X\n"  # not at a line start
                    continue
                assert re.search(f"(?:{form.close})$", closer, re.IGNORECASE), (syntax, closer)
                text = f"a {opener} X {closer} b"
                assert blank_comments(text, (syntax,), literal=form.literal).split() == ["a", "b"], text


def test_every_ending_is_markup_of_its_own_dialect():
    for dialect in table().dialects:
        for ending in dialect.endings:
            by_name = "generic" if ending in dialect.project_endings else "markup"  # decided after the walk
            assert classify("page" + ending) == by_name
            assert classify("PAGE" + ending.upper()) == by_name
            assert dialect_for("page" + ending) is dialect
            assert markup_flavour("page" + ending) == (dialect.flavour, dialect.comments)


def test_the_longest_ending_wins():
    assert dialect_for("resources/views/app.blade.php").name == "blade"
    assert dialect_for("index.php").name == "php"
    assert dialect_for("show.html.erb").name == "erb"
    assert dialect_for("jquery.min.html").name == "html"
    assert dialect_for("page.html.bak") is None and dialect_for("README") is None


def test_a_broken_table_names_the_entry():
    good = {"comments": {"x": {"forms": [{"open": "<%#", "close": "%>"}]}}, "includes": {}}
    with pytest.raises(ValueError, match="unknown comment syntax 'y'"):
        parse_table({**good, "dialect": [{"name": "a", "flavour": "html", "endings": [".a"], "comments": ["y"]}]})
    with pytest.raises(ValueError, match="ending '.a' of dialect b"):
        parse_table({**good, "dialect": [
            {"name": "a", "flavour": "html", "endings": [".a"]},
            {"name": "b", "flavour": "html", "endings": [".a"]},
        ]})


@pytest.mark.parametrize(
    "text",
    [
        '{% comment "removed 2024" %}X{% endcomment %}',
        "{%comment%}X{%endcomment%}",
        "{%- comment -%}X{%- endcomment -%}",
        "{% comment %}X{% endcomment %}",
        "{# X #}",
    ],
)
def test_django_comment_blocks_in_every_spelling(text):
    blanked = blank_comments(text, ("jinja",))
    assert "X" not in blanked and len(blanked) == len(text)


def test_what_is_not_a_comment_stays():
    for text in ("{% commentary %}X{% endcomment %}", "{{#if user}}X{{/if}} #}", "{% comment X"):
        assert blank_comments(text, ("jinja",)) == text
    # raw blocks are page text: only the page graph (literal=True) blanks them
    assert blank_comments("{% raw %}X{% endraw %}", ("liquid",)) == "{% raw %}X{% endraw %}"
    assert "X" not in blank_comments("{% raw %}X{% endraw %}", ("liquid",), literal=True)


def test_a_noted_django_comment_hides_its_pixel(tmp_path):
    page = (
        "{# phi-lint: authenticated #}\n<h1>Portal</h1>\n"
        '{% comment "removed 2024" %}\n' + PIXEL + "\n{% endcomment %}\n"
    )
    write_tree(tmp_path, {"templates/portal/home.html": page})
    assert [line for line in finding_lines(scan_tree(tmp_path), tmp_path) if not line.startswith("PHI100")] == []
    # the pixel was PHI001 before


def test_a_spaceless_comment_gives_no_health_label(tmp_path):
    page = "<h1>Welcome</h1>\n{%comment%}" + TITLE + "{%endcomment%}\n" + SCRIPT + "\n"
    write_tree(tmp_path, {"site/page.html": page})
    result = scan_tree(tmp_path)
    assert [line for line in finding_lines(result, tmp_path) if not line.startswith("PHI100")] == []  # PHI002 ("page title mentions `hiv treatment`") before
    assert not result.contexts["site/page.html"].has("health")


@pytest.mark.parametrize("dialect,ending,opener,closer", _comment_cases())
def test_no_stage_reads_inside_a_comment(tmp_path, dialect, ending, opener, closer):
    """For every dialect and comment form: parser and health inference both skip its content."""
    files = {
        "phi-lint.toml": '[pages]\nauthenticated = ["portal/**"]\n',
        f"portal/inside{ending}": f"<p>x</p>\n{opener} {PIXEL} {closer}\n<p>y</p>\n",
        f"portal/outside{ending}": f"<p>x</p>\n{PIXEL}\n<p>y</p>\n",
        f"site/inside{ending}": f"{opener} {TITLE} {closer}\n<h1>Welcome</h1>\n{SCRIPT}\n",
        f"site/outside{ending}": f"{TITLE}\n<h1>Welcome</h1>\n{SCRIPT}\n",
    }
    write_tree(tmp_path, files)
    got = [line for line in finding_lines(scan_tree(tmp_path), tmp_path) if line.startswith(("PHI001", "PHI002"))]
    assert got == [f"PHI001 portal/outside{ending}:2 meta-pixel", f"PHI002 site/outside{ending}:3 meta-pixel"]


def test_a_broken_shipped_table_is_a_clear_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    """An edited install (a missing key, a bad regex, invalid TOML) stops the scan with exit 2
    and a message naming the file, before any worker starts."""
    import shutil

    from cli_runner import run_here

    from phi_lint import dialects, resources

    rules = tmp_path / "rules"
    shutil.copytree(resources.rules_dir(), rules)
    project = tmp_path / "site"
    project.mkdir()
    (project / "index.html").write_text("<h1>Hi</h1>\n", encoding="utf-8")
    monkeypatch.setattr(dialects, "rules_dir", lambda: rules)
    original = (rules / "dialects.toml").read_text(encoding="utf-8")
    for broken, says in (
        (original.replace('flavour = ', 'flavor = ', 1), "malformed entry (KeyError: 'flavour')"),
        (original + '\n[comments.bad]\nforms = [{open = "(", close = "x"}]\n', "comments.bad open is not a valid regular expression"),
        ("[[dialect]\n", "cannot be read"),
    ):
        (rules / "dialects.toml").write_text(broken, encoding="utf-8")
        dialects.table.cache_clear()
        try:
            result = run_here(monkeypatch, capsys, str(project), "--no-cache", "-j", "1")
        finally:
            dialects.table.cache_clear()
        assert result.returncode == 2, result.stderr
        assert "dialects.toml" in result.stderr and says in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_every_shipped_table_is_checked_before_the_workers(tmp_path, monkeypatch, capsys):
    """A broken signed-in-conditions, generic-files, unmodelled-frameworks or config-trackers file
    stops the run with a message naming it (exit 2), like a broken dialect table."""
    import shutil

    from cli_runner import run_here

    from phi_lint import resources
    from phi_lint.generic import files, frameworks
    from phi_lint.signedin import conditions
    from phi_lint.siteconfig import data

    project = tmp_path / "site"
    project.mkdir()
    (project / "index.html").write_text("<h1>Hi</h1>\n", encoding="utf-8")
    caches = (files.table, frameworks.signs, conditions.table, data.table)
    for name, module in (("signed-in-conditions.toml", conditions), ("generic-files.toml", files),
                         ("unmodelled-frameworks.toml", frameworks), ("config-trackers.toml", data)):
        rules = tmp_path / f"rules-{name}"
        shutil.copytree(resources.rules_dir(), rules)
        (rules / name).write_text("[[broken\n", encoding="utf-8")
        monkeypatch.setattr(module, "rules_dir", lambda rules=rules: rules)
        for cache in caches:
            cache.cache_clear()
        try:
            result = run_here(monkeypatch, capsys, str(project), "--no-cache", "-j", "1")
        finally:
            monkeypatch.undo()
            for cache in caches:
                cache.cache_clear()
        assert result.returncode == 2, (name, result.stderr)
        assert name in result.stderr and "cannot be read" in result.stderr and "Traceback" not in result.stderr
