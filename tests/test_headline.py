"""Issue 12, "One glance": short headlines naming the strongest page, the source line with a
caret under the column, one arrow style for chains, and the same headline in every format."""

from __future__ import annotations

import json
import re

import pytest
from helpers import REPO, run_cli, scan_tree, write_tree

from phi_lint.catalogue import load_catalogue
from phi_lint.config import Config
from phi_lint.context import ContextBuilder
from phi_lint.fingerprint import assign_fingerprints
from phi_lint.headline import HEADLINE_WIDTH, headline, ranked_pages
from phi_lint.inference.model import Inference
from phi_lint.models import PageReach, Sighting, Span
from phi_lint.policy import decide
from phi_lint.reporters.excerpt import EXCERPT_WIDTH, excerpt
from phi_lint.reporters.text import TextOptions, render_text

FIXTURES = sorted(p.name for p in (REPO / "fixtures").iterdir() if p.is_dir())
DEMO = REPO / "fixtures" / "demo-clinic"
ESCAPE = re.compile("\x1b\\[")


@pytest.mark.parametrize("fixture", FIXTURES)
def test_headlines_fit_160_characters_on_every_fixture(fixture, monkeypatch):
    monkeypatch.chdir(REPO)  # paths shown as a user at the repository root sees them
    result = scan_tree(REPO / "fixtures" / fixture, use_cache=False)
    lines = render_text(result, TextOptions(quiet=True, show_inventory=True)).splitlines()
    assert len(lines) == len(result.findings) > 0
    for line in lines:
        assert len(line) <= HEADLINE_WIDTH, line
        assert " via " not in line and not line.endswith(" ")


# --- the strongest page ----------------------------------------------------------------------

PIXEL = Sighting("meta-pixel", "partials/tracking.html", Span(3, 1, 3, 20), "inline-script", "fbq('init')")


def _reach(page: str) -> PageReach:
    return PageReach(page, (page, "layouts/base.html", "partials/tracking.html"))


def _decide(builder, pages):
    reaches = [_reach(page) for page in pages]
    contexts = {r.page: builder.context(r.page) for r in reaches}
    findings = decide(PIXEL, reaches, contexts, load_catalogue(), set())
    assign_fingerprints(findings)
    return findings, contexts


def test_headline_names_the_strongest_page_not_the_first():
    builder = ContextBuilder(Config())
    builder.add_inference(Inference("patient/layout.html", "authenticated", "path segment `patient/`", "patient/layout.html", weak=True))
    builder.add_inference(Inference("account/billing.html", "authenticated", "@login_required on view `billing`", "views.py", 9))
    builder.add_tags("portal/inbox.html", [("authenticated", 1)])
    pages = ["patient/layout.html", "account/billing.html", "portal/inbox.html"]
    [finding], contexts = _decide(builder, pages)
    line = headline(finding, contexts)
    assert line.startswith("partials/tracking.html:3:1: PHI001 [Meta Pixel] runs on authenticated page portal/inbox.html")
    assert "(tagged `phi-lint: authenticated`)" in line and line.endswith("+2 more pages")
    assert "patient/layout.html" not in line and "billing" not in line
    assert [r.reach.page for r in ranked_pages(finding, contexts)] == ["portal/inbox.html", "account/billing.html", "patient/layout.html"]
    # the page list of the full message goes strongest first too, with one arrow style
    assert finding.message.index("portal/inbox.html") < finding.message.index("account/billing.html") < finding.message.index("patient/layout.html")
    assert "portal/inbox.html ← layouts/base.html ← partials/tracking.html (evidence: tagged" in finding.message
    # the finding's own page order (its first page is part of the fingerprint) is untouched
    assert [p.page for p in finding.pages] == pages


def test_evidence_strength_glob_guard_title_path():
    from pathlib import Path

    config = Config(root=Path("/repo"), pages={"health": ["globbed/**"]})
    config.path = Path("/repo/phi-lint.toml")
    builder = ContextBuilder(config)
    builder.add_config("globbed/a.html", Path("/repo/globbed/a.html"))
    builder.add_inference(Inference("guarded/b.html", "health", "served at the appointments view behind `@login_required`", "views.py", 3))
    builder.add_inference(Inference("titled/c.html", "health", "page title mentions `asthma`", "titled/c.html", 2))
    builder.add_inference(Inference("conditions/d.html", "health", "path segment `conditions/`", "conditions/d.html"))
    pages = ["conditions/d.html", "titled/c.html", "guarded/b.html", "globbed/a.html"]
    [finding], contexts = _decide(builder, pages)
    assert finding.rule_id == "PHI002"
    assert [r.reach.page for r in ranked_pages(finding, contexts)] == list(reversed(pages))
    assert "health page globbed/a.html (config glob `globbed/**`) +3 more pages" in headline(finding, contexts)


def test_fingerprint_does_not_depend_on_message_text():
    builder = ContextBuilder(Config())
    builder.add_tags("portal/inbox.html", [("authenticated", 1)])
    [finding], _ = _decide(builder, ["portal/inbox.html"])
    before = finding.fingerprint
    finding.message, finding.fingerprint = "something else entirely", ""
    assign_fingerprints([finding])
    assert finding.fingerprint == before


def test_long_paths_are_shortened_inside_the_cap():
    builder = ContextBuilder(Config())
    deep = "app/" + "nested/" * 12 + "portal/inbox.html"
    builder.add_tags(deep, [("authenticated", 1)])
    [finding], contexts = _decide(builder, [deep])
    line = headline(finding, contexts)
    assert len(line) <= HEADLINE_WIDTH and len(headline(finding, contexts, width=1000)) > HEADLINE_WIDTH
    # leading directories go first; the evidence stays whole
    assert "page …/nested/" in line and line.endswith("/portal/inbox.html (tagged `phi-lint: authenticated`)")


# --- the source excerpt ----------------------------------------------------------------------


def _under_caret(cut) -> str:
    return cut.text[cut.caret_start: cut.caret_start + cut.caret_width]


def test_excerpt_of_a_short_line_is_the_line():
    cut = excerpt("  fbq('init', '1');\n", 3, 6)
    assert cut.text == "  fbq('init', '1');" and cut.caret_start == 2 and _under_caret(cut) == "fbq"


def test_excerpt_of_a_long_line_is_cut_around_the_column():
    line = "x" * 563 + "ttq.load('C4ABC');" + "y" * 3000
    cut = excerpt(line, 564, 572)
    assert len(cut.text) <= EXCERPT_WIDTH + 2 and cut.text.startswith("…") and cut.text.endswith("…")
    assert _under_caret(cut) == "ttq.load"
    # a column near the end: only the left side is cut
    end = excerpt("a" * 200 + "fbq()", 201, 206)
    assert end.text.startswith("…") and end.text.endswith("fbq()") and _under_caret(end) == "fbq()"


def test_tabs_controls_and_wide_characters_keep_the_caret_in_place():
    tabbed = excerpt("\t\tfbq('x')", 3, 6)
    assert tabbed.text == " " * 8 + "fbq('x')" and _under_caret(tabbed) == "fbq"
    escaped = excerpt("\x1b[2J\u202efbq('x')", 6, 9)
    assert "\x1b" not in escaped.text and "\u202e" not in escaped.text
    assert _under_caret(escaped) == "fbq"
    wide = excerpt("名前 fbq('x')", 4, 7)
    # the two wide characters take two cells each: the caret moves two cells further
    assert wide.caret_start == 5 and wide.text[wide.caret_start - 2: wide.caret_start - 2 + 3] == "fbq"


# --- the text output -------------------------------------------------------------------------


def _demo_text(monkeypatch, **options):
    monkeypatch.chdir(REPO)
    return render_text(scan_tree(DEMO, use_cache=False), TextOptions(**options))


def test_text_shows_source_line_caret_and_help(monkeypatch):
    text = _demo_text(monkeypatch)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "migraine.html:18:564: PHI002 [TikTok Pixel]" in line)
    source, carets, help_line = lines[at + 1: at + 4]
    assert source.startswith("  18 | …") and source.endswith("…")
    assert len(source) <= len("  18 | ") + EXCERPT_WIDTH + 2  # an excerpt, never the 2,000-character line
    column = carets.index("^")
    line_18 = (DEMO / "site/conditions/migraine.html").read_text().splitlines()[17]
    shown = source[column:]
    assert line_18[563:].startswith(shown[: carets.count("^")])
    assert help_line.startswith("  help: ") and "`phi-lint rules PHI002`" in help_line and "suppress" in help_line
    assert not ESCAPE.search(text)


def test_quiet_prints_only_headlines(monkeypatch):
    quiet = _demo_text(monkeypatch, quiet=True).splitlines()
    full = _demo_text(monkeypatch).splitlines()
    assert quiet and all(re.match(r"\S+:\d+:\d+: PHI\d{3} \[", line) for line in quiet)
    assert [line for line in full if line in quiet] == quiet


def test_verbose_lists_every_page_with_chain_and_evidence(monkeypatch):
    text = _demo_text(monkeypatch, verbose=True)
    assert "  page: fixtures/demo-clinic/templates/portal/dashboard.html ← fixtures/demo-clinic/templates/portal/layout.html" in text
    assert "  page: fixtures/demo-clinic/templates/portal/messages.html ← fixtures/demo-clinic/templates/portal/layout.html" in text
    assert "    authenticated: @login_required on view `messages`" in text
    assert "  note: Hotjar suppresses keystrokes" in text
    assert " via " not in text


def test_colour_paints_rule_and_caret_only_when_on(monkeypatch):
    painted = _demo_text(monkeypatch, color=True)
    assert "\x1b[1;31mPHI001\x1b[0m" in painted
    assert re.search(r"\x1b\[1;33m\^+\x1b\[0m", painted)  # the warning's caret in its level colour
    plain = _demo_text(monkeypatch, color=False)
    assert not ESCAPE.search(plain) and re.search(r"^\s+\|\s+\^+$", plain, re.M)


def test_a_vanished_file_shows_no_source_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"portal/a.html": "<!-- phi-lint: authenticated -->\n<script>fbq('init', '1');</script>\n"})
    result = scan_tree(tmp_path, use_cache=False)
    (tmp_path / "portal/a.html").unlink()
    lines = render_text(result, TextOptions()).splitlines()
    assert lines[0].endswith("PHI001 [Meta Pixel] runs on this authenticated page (tagged `phi-lint: authenticated`)")
    assert lines[1].startswith("  help: ")


# --- the other formats -----------------------------------------------------------------------


def test_json_sarif_and_annotations_carry_the_headline(monkeypatch):
    from phi_lint.reporters.github import render_github
    from phi_lint.reporters.json_report import render_json
    from phi_lint.reporters.sarif import render_sarif

    monkeypatch.chdir(REPO)
    result = scan_tree(DEMO, use_cache=False)
    data = json.loads(render_json(result))
    hotjar = next(f for f in data["findings"] if f["rule"] == "PHI003")
    assert hotjar["headline"].startswith("runs with session replay on authenticated page ")
    assert hotjar["headline"].endswith("+1 more page") and hotjar["headlinePage"] in [p["page"] for p in hotjar["pages"]]
    assert hotjar["notes"] and hotjar["notes"][0].startswith("Hotjar suppresses keystrokes")
    assert all(p["chain"] and p["evidence"] for p in hotjar["pages"])  # the full page list stays
    assert "reaches 2 authenticated pages" in hotjar["message"]

    sarif = json.loads(render_sarif(result))["runs"][0]["results"]
    replay = next(r for r in sarif if r["ruleId"] == "PHI003")
    assert replay["message"]["text"].startswith("Hotjar runs with session replay on authenticated page ")
    assert "reaches 2" not in replay["message"]["text"] and "Fix: turn session replay off" in replay["message"]["text"]
    related = replay["relatedLocations"]
    assert related[0]["message"]["text"].startswith("Authenticated page fixtures/demo-clinic/templates/portal/")
    assert " ← fixtures/demo-clinic/templates/portal/layout.html: matches `templates/portal/**`" in related[0]["message"]["text"]
    assert replay["properties"]["explanation"] == hotjar["message"]

    github = render_github(result)
    line = next(line for line in github.splitlines() if "title=PHI003" in line)
    assert "::Hotjar runs with session replay on authenticated page" in line and "reaches 2" not in line


def test_markdown_finding_column_is_the_headline(tmp_path):
    from phi_lint.reporters.markdown import render_markdown

    write_tree(tmp_path, {"portal/a.html": "<!-- phi-lint: authenticated -->\n<script>fbq('init', '1');</script>\n"})
    markdown = render_markdown(scan_tree(tmp_path, use_cache=False))
    assert "| Rule | Level | Vendor | Location | Pages | Finding |" in markdown
    assert "| this file | runs on this authenticated page (tagged \\`phi-lint: authenticated\\`) |" in markdown


def test_cli_quiet_prints_headlines_only(tmp_path):
    write_tree(tmp_path, {"portal/a.html": "<!-- phi-lint: authenticated -->\n<script>fbq('init', '1');</script>\n"})
    proc = run_cli("-q", ".", cwd=tmp_path)
    assert proc.stdout.splitlines() == [
        "portal/a.html:2:9: PHI001 [Meta Pixel] runs on this authenticated page (tagged `phi-lint: authenticated`)"
    ]


def test_readme_sample_is_real_output(monkeypatch):
    """The README's quick-start sample is copied from a run: every line it shows is printed."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("The first command prints something like (shortened):\n\n```\n")
    block = readme[start:].split("```\n", 2)[1]
    sample = [line for line in block.splitlines() if line != "..."]
    printed = _demo_text(monkeypatch).splitlines()
    assert len(sample) > 10 and [line for line in sample if line not in printed] == []


def test_excerpt_of_a_huge_line_is_quick():
    import time

    line = "a" * 3_000_000 + "fbq('init')" + "b" * 3_000_000
    started = time.perf_counter()
    cut = excerpt(line, 3_000_001, 3_000_012)
    assert time.perf_counter() - started < 0.5
    assert _under_caret(cut) == "fbq('init')" and cut.text.startswith("…") and cut.text.endswith("…")
    assert len(cut.text) <= EXCERPT_WIDTH + 2


def test_source_text_given_with_the_result_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"portal/a.html": "<!-- phi-lint: authenticated -->\n<script>fbq('init', '1');</script>\n"})
    result = scan_tree(tmp_path, use_cache=False)
    result.source_texts = {"portal/a.html": "<!-- from stdin -->\n<script>fbq('init', '1'); // stdin</script>\n"}
    lines = render_text(result, TextOptions()).splitlines()
    assert lines[1] == "  2 | <script>fbq('init', '1'); // stdin</script>"
