"""The generic fallback (phi_lint/generic): files of an ending no dialect models are read as plain
text for tracker snippets, and every report says which files were read only this way and which
frameworks were detected but not modelled."""

from __future__ import annotations

import json

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.dialects import table as dialect_table
from phi_lint.discovery import classify
from phi_lint.generic.frameworks import detect
from phi_lint.generic.reader import plain_text_facts
from phi_lint.reporters.json_report import render_json
from phi_lint.reporters.junit import render_junit
from phi_lint.reporters.markdown import render_markdown
from phi_lint.reporters.sarif import render_sarif
from phi_lint.reporters.text import TextOptions, render_text

PIXEL_ASP = (
    "<cfoutput><h1>#title#</h1></cfoutput>\n"
    "<noscript><img height=\"1\" width=\"1\" src=\"https://www.facebook.com/tr?id=123456789012345&ev=PageView&noscript=1\"/></noscript>\n"
)
PLAIN_PAGE = "<cfoutput><h1>#title#</h1></cfoutput>\n<p>Opening hours</p>\n"
SNIPPET = "<script>fbq('init', '123456789012345');</script>\n"
DRUPAL_COMPOSER = '{"require": {"drupal/core-recommended": "^10"}}\n'


# ------------------------------------------------------------------ which files are generic


@pytest.mark.parametrize("name", ["index.asp", "show.hamlc", "page.myt", "layout.tmpl", "legacy.cgi",
                                  "Page.vbhtml", "records.ep", "base.mak", "card.sface", "page.weird"])
def test_template_endings_and_unknown_endings_are_generic(name):
    assert classify(name) == "generic"


@pytest.mark.parametrize(("name", "kind"), [("base.gohtml", "markup"), ("layout.go.html", "markup"),
                                            ("app.html.heex", "markup"), ("show.html.eex", "markup"),
                                            ("Handler.go", "code"), ("router.ex", "code"), ("mix.exs", "code")])
def test_go_and_phoenix_files_are_read_by_their_modules_not_as_plain_text(name, kind):
    assert classify(name) == kind


@pytest.mark.parametrize("name", ["README.md", "NOTES.txt", "docs.rst", "logo.png", "font.woff2", "site.zip",
                                  "yarn.lock", "Gemfile.lock", "app.js.map", "styles.css", "types.d.ts",
                                  "config.yml", "Makefile", "LICENSE", ".env", ".gitignore", "feed.xml",
                                  "icon.svg", "phi-lint.sarif", "session.har"])
def test_documentation_media_data_and_names_without_an_ending_are_never_generic(name):
    # config.yml may be a site generator's config (read for the trackers it switches on), and a
    # .md file a static site's Markdown page (kept by discovery only in such a site): never plain text
    assert classify(name) == {"config.yml": "site-config", "README.md": "markdown"}.get(name)


def test_a_dialect_takes_its_endings_over():
    for dialect in dialect_table().dialects:
        for ending in dialect.endings:
            # an ending a dialect owns only in its projects (`.tmpl` below a go.mod) is decided by
            # discovery after the walk: by its name alone it stays plain text
            expected = "generic" if ending in dialect.project_endings else "markup"
            assert classify("page" + ending) == expected, ending


def test_a_framework_sign_of_no_other_kind_is_read_for_its_sign():
    assert classify("go.mod") == "sign"
    assert classify("Clinic.Web.csproj") == "sign"


# ------------------------------------------------------------------ reading as plain text


def _facts(text: str):
    return plain_text_facts(text, frozenset({"fbq", "gtag", "_fbq.push"}))


def test_a_url_in_a_quote_or_attribute_is_a_fact_and_a_url_in_prose_is_not():
    facts = _facts('%script{src: "https://www.googletagmanager.com/gtag/js?id=G-X"}\n'
                   "see https://connect.facebook.net/en_US/fbevents.js in the docs\n")
    assert [(f.value, f.context) for f in facts.urls] == [("https://www.googletagmanager.com/gtag/js?id=G-X", "script")]


def test_an_image_url_is_a_pixel_in_html_haml_and_pug():
    for text in ('<img src="https://www.facebook.com/tr?id=1">', '%img{src: "https://www.facebook.com/tr?id=1"}',
                 'img(src="https://www.facebook.com/tr?id=1")'):
        assert [f.context for f in _facts(text).urls] == ["img"], text


def test_calls_keep_their_string_arguments():
    facts = _facts("window.fbq('init', '123456789012345', {em: user.email});\ngtag ( \"config\" , id );\n")
    assert [(c.callee, c.args) for c in facts.calls] == [
        ("fbq", ("init", "123456789012345", None)), ("gtag", ("config", None)),
    ]


def test_a_name_inside_a_longer_name_is_no_call():
    assert _facts("myfbq('init', '1'); x.gtag('config');").calls == []


def test_an_html_comment_hides_a_snippet_but_keeps_lines():
    facts = _facts("<!--\n" + SNIPPET + "-->\n" + SNIPPET)
    assert len(facts.calls) == 1 and facts.calls[0].start == len("<!--\n" + SNIPPET + "-->\n") + len("<script>")


# ------------------------------------------------------------------ scans


def test_a_pixel_in_a_asp_page_is_inventory_that_says_it_was_read_as_plain_text(tmp_path):
    write_tree(tmp_path, {"index.asp": PIXEL_ASP})
    result = scan_tree(tmp_path, use_cache=False)
    assert finding_lines(result, tmp_path) == ["PHI100 index.asp:2 meta-pixel"]
    assert "read as plain text: its pages and guards are unknown" in result.findings[0].message.lower()


def test_a_readme_that_quotes_a_snippet_is_not_a_finding(tmp_path):
    write_tree(tmp_path, {"README.md": "Paste this:\n\n```html\n" + SNIPPET + "```\n", "notes.txt": SNIPPET})
    result = scan_tree(tmp_path, use_cache=False)
    assert result.findings == [] and not result.unread


def test_an_unknown_ending_is_read_only_when_it_holds_markup(tmp_path):
    write_tree(tmp_path, {
        "views/home.page": "<html><body>\n" + SNIPPET + "</body></html>\n",
        "lib/tracking.exs": "defmodule T do\n  def go, do: \"fbq('init', '123456789012345')\"\nend\n",
    })
    result = scan_tree(tmp_path, use_cache=False)
    assert finding_lines(result, tmp_path) == ["PHI100 views/home.page:2 meta-pixel"]
    assert dict(result.unread.plain_text) == {".page": ("views/home.page",)}


def test_binary_files_are_not_read_as_plain_text(tmp_path):
    write_tree(tmp_path, {"blob.weird": b"\x00\x01<script>fbq('init', '123456789012345')</script>",
                          "page.asp": b"\x00\x01" + SNIPPET.encode()})
    result = scan_tree(tmp_path, use_cache=False)
    assert result.findings == [] and not result.unread
    # a template ending that turns out binary is said, as any template's; an unknown ending is not
    assert [n.path for n in result.notifications if "binary" in n.message] == ["page.asp"]


def test_undecodable_files_of_an_unknown_ending_are_not_read(tmp_path):
    write_tree(tmp_path, {"page.weird": b"<html>\xff\xfe\xfa" + SNIPPET.encode()})
    result = scan_tree(tmp_path, use_cache=False)
    assert result.findings == [] and not result.unread and result.notifications == []


def test_only_files_with_a_catalogue_keyword_are_parsed(tmp_path, monkeypatch):
    import phi_lint.generic.sightings as generic_sightings

    parsed = []
    real = generic_sightings.plain_text_facts
    monkeypatch.setattr(generic_sightings, "plain_text_facts", lambda text, callees: parsed.append(text) or real(text, callees))
    write_tree(tmp_path, {f"p{i}.asp": PLAIN_PAGE for i in range(5)} | {"tracked.asp": PIXEL_ASP})
    scan_tree(tmp_path, use_cache=False, jobs=1)
    assert parsed == [PIXEL_ASP]


# ------------------------------------------------------------------ what could not be read


def test_the_clean_message_carries_the_caveat(tmp_path):
    write_tree(tmp_path, {f"site/p{i}.asp": PLAIN_PAGE for i in range(12)} | {"site/a.hamlc": "<p>hi</p>\n"})
    result = scan_tree(tmp_path, use_cache=False)
    text = render_text(result, TextOptions())
    assert "No trackers on authenticated or health pages." not in text
    assert ("No trackers found on the pages phi-lint could place; 12 .asp files, 1 .hamlc file were read as "
            "plain text (pages unknown).") in text
    assert "Read as plain text (pages and guards unknown): 12 .asp files, 1 .hamlc file." in text
    notes = sorted(n.message.split(":")[0] for n in result.notifications if n.code == "plain-text")
    assert notes == ["1 .hamlc file read as plain text", "12 .asp files read as plain text"]


def test_the_clean_message_stays_when_everything_was_placed(tmp_path):
    write_tree(tmp_path, {"index.html": "<h1>Hi</h1>\n"})
    result = scan_tree(tmp_path, use_cache=False)
    assert "No trackers on authenticated or health pages." in render_text(result, TextOptions())
    assert json.loads(render_json(result))["unread"] == {"plainText": [], "unmodelledFrameworks": []}


def test_the_caveat_is_in_json_markdown_and_junit(tmp_path):
    write_tree(tmp_path, {"a.asp": PLAIN_PAGE, "go.mod": 'require github.com/gofiber/fiber/v2 v2.52.0\n'})
    result = scan_tree(tmp_path, use_cache=False)
    unread = json.loads(render_json(result))["unread"]
    assert unread == {
        "plainText": [{"ending": ".asp", "files": 1, "paths": ["a.asp"]}],
        "unmodelledFrameworks": [{"id": "go-fiber", "name": "Go Fiber (its routes and middleware; net/http, chi, gin and echo are modelled)", "path": "go.mod"}],
    }
    markdown = render_markdown(result)
    assert "no trackers on authenticated or health pages" not in markdown
    assert "modelled) (go.mod)" in markdown
    junit = render_junit(result)
    assert "no trackers on authenticated or health pages" not in junit
    assert "modelled) is detected but not modelled" in junit


def test_go_web_and_phoenix_are_modelled_not_unread(tmp_path):
    write_tree(tmp_path, {"index.html": "<h1>Hi</h1>\n", "mix.exs": 'defp deps, do: [{:phoenix, "~> 1.7"}]\n',
                          "go.mod": "module x\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
                          "templates/base.gohtml": "<h1>{{template \"x\" .}}</h1>\n",
                          "lib/app_web/components/layouts/root.html.heex": "<main><%= @inner_content %></main>\n"})
    result = scan_tree(tmp_path, use_cache=False)
    assert json.loads(render_json(result))["unread"] == {"plainText": [], "unmodelledFrameworks": []}


def test_the_caveat_is_said_next_to_problems_too(tmp_path):
    write_tree(tmp_path, {"portal/home.html": "<!-- phi-lint: authenticated -->\n" + SNIPPET, "b.asp": PLAIN_PAGE})
    text = render_text(scan_tree(tmp_path, use_cache=False), TextOptions())
    assert "Found 1 problem" in text and "Read as plain text (pages and guards unknown): 1 .asp file." in text


def test_sarif_names_what_could_not_be_read_and_still_validates(tmp_path, sarif_validator):
    write_tree(tmp_path, {"a.asp": PIXEL_ASP, "web/go.mod": 'require github.com/gofiber/fiber/v2 v2.52.0\n'})
    data = json.loads(render_sarif(scan_tree(tmp_path, use_cache=False)))
    assert not list(sarif_validator.iter_errors(data))
    (run,) = data["runs"]
    texts = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any(t.startswith(".: 1 .asp file read as plain text: pages and guards unknown") for t in texts)
    assert any(t.startswith("web/go.mod: Go Fiber (its routes and middleware; net/http, chi, gin and echo are modelled) detected but not modelled") for t in texts)
    assert run["properties"]["unread"]["plainText"][0]["ending"] == ".asp"
    assert "Read as plain text" in run["results"][0]["properties"]["explanation"]


# ------------------------------------------------------------------ unmodelled frameworks


def _read(texts):
    return lambda path: texts.get(path)


def test_frameworks_are_detected_by_their_signs():
    texts = {"/r/mix.exs": '[{:phoenix, "~> 1.7"}]', "/r/go.mod": "require github.com/gofiber/fiber/v2 v2.52.0",
             "/r/Application.cfc": ""}
    files = [("mix.exs", "/r/mix.exs"), ("go.mod", "/r/go.mod"), ("Application.cfc", "/r/Application.cfc")]
    found = detect(files, frozenset(), _read(texts))
    # ColdFusion is modelled (phi_lint/frameworks/coldfusion.py): Application.cfc is no sign any more
    assert [(d.framework_id, d.path) for d in found] == [
        ("go-fiber", "go.mod"),
    ]  # Phoenix, ColdFusion, and Go's net/http, chi, gin and echo, are modelled (phi_lint/frameworks): no sign any more


def test_drupal_and_wordpress_are_modelled_now():
    """Drupal and WordPress have framework modules: their signs are off the unmodelled list."""
    texts = {"/r/composer.json": '{"require": {"drupal/core-recommended": "^10", "roots/wordpress": "^6"}}',
             "/r/wp-config.php": "<?php define( 'DB_NAME', 'clinic' );"}
    files = [("composer.json", "/r/composer.json"), ("wp-config.php", "/r/wp-config.php")]
    assert detect(files, frozenset(), _read(texts)) == []


def test_a_manifest_without_the_framework_is_no_sign():
    texts = {"/r/mix.exs": '[{:jason, "~> 1.0"}]', "/r/go.mod": "require golang.org/x/text v0.3.0",
             "/r/composer.json": '{"require": {"laravel/framework": "^10"}}'}
    files = [("mix.exs", "/r/mix.exs"), ("go.mod", "/r/go.mod"), ("composer.json", "/r/composer.json")]
    assert detect(files, frozenset(), _read(texts)) == []


def test_a_modelled_framework_is_not_reported():
    files = [("mix.exs", "/r/mix.exs")]
    assert detect(files, frozenset({"phoenix"}), _read({"/r/mix.exs": ":phoenix,"})) == []


def test_a_cached_run_says_the_same(tmp_path):
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(repo, {"a.asp": PIXEL_ASP, "b.asp": PLAIN_PAGE})
    first = scan_tree(repo, cache_dir=cache)
    second = scan_tree(repo, cache_dir=cache)
    assert first.unread == second.unread and dict(second.unread.plain_text) == {".asp": ("a.asp", "b.asp")}
    assert finding_lines(second, repo) == finding_lines(first, repo) == ["PHI100 a.asp:2 meta-pixel"]


@pytest.mark.multitool
def test_sarif_with_plain_text_files_is_clean_under_the_multitool(tmp_path, multitool, sarif_multitool_module):
    repo = tmp_path / "repo"
    write_tree(repo, {"a.asp": PIXEL_ASP, "go.mod": 'require github.com/gofiber/fiber/v2 v2.52.0\n'})
    out = tmp_path / "generic.sarif"
    out.write_text(render_sarif(scan_tree(repo, use_cache=False)), encoding="utf-8")
    assert sarif_multitool_module.validate(out) == []


def test_tmpl_is_a_go_template_only_below_a_go_mod(tmp_path):
    page = "<html><body>\n" + SNIPPET + "</body></html>\n"
    write_tree(tmp_path, {"svc/go.mod": "module example.com/svc\n", "svc/web/templates/home.tmpl": page,
                          "svc/main.go": "package main\n", "ops/mail/notice.tmpl": page})
    result = scan_tree(tmp_path, use_cache=False)
    assert dict(result.unread.plain_text) == {".tmpl": ("ops/mail/notice.tmpl",)}
    assert finding_lines(result, tmp_path) == ["PHI100 ops/mail/notice.tmpl:2 meta-pixel",
                                               "PHI100 svc/web/templates/home.tmpl:2 meta-pixel"]
