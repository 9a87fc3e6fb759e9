"""`-f html`: the report's structure read back with BeautifulSoup (no browser): the matrix counts
are the findings, every text from the repository is escaped, the embedded JSON cannot end its
script element, nothing is loaded from the network, and new/fixed follow the baseline."""

from __future__ import annotations

import json
from collections import Counter

from bs4 import BeautifulSoup
from helpers import REPO, scan_tree, write_tree

from phi_lint.baseline import entries_for, write_baseline
from phi_lint.reporters.html import embedded_json, render_html

PIXEL = (
    "<script>\n!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){};t=b.createElement(e);"
    "t.src=v;}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');\n"
    "fbq('init', '000111222333444');\nfbq('track', 'PageView');\n</script>\n"
)
HOTJAR = "<script>(function(h){h.hj=function(){};})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>\n"
TIKTOK = "<script>ttq.load('C4ABCDEFGHIJ12345678'); ttq.page();</script>\n"
GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123456"></script>\n'

CLINIC = {
    "templates/portal/dashboard.html": "{# phi-lint: authenticated #}\n<h1>Your visits</h1>\n" + PIXEL + HOTJAR,
    "site/conditions/asthma.html": "<!-- phi-lint: health -->\n<h1>Asthma</h1>\n" + TIKTOK + PIXEL,
    "site/index.html": "<h1>Welcome</h1>\n" + GA,
}


def _soup(result) -> BeautifulSoup:
    return BeautifulSoup(render_html(result), "html.parser")


def _data(soup: BeautifulSoup) -> dict:
    return json.loads(soup.find("script", id="phi-lint-data").string)


def test_matrix_counts_are_the_findings_of_each_vendor_and_context(tmp_path):
    write_tree(tmp_path, CLINIC)
    result = scan_tree(tmp_path)
    soup = _soup(result)
    articles = soup.select("article.finding")
    assert len(articles) == len(result.findings) > 0
    expected = Counter()
    for article in articles:
        for context in article["data-contexts"].split():
            expected[(article["data-vendor"], context)] += 1
    shown = Counter()
    for row in soup.select("table.matrix tbody tr"):
        for cell in row.select("td.count"):
            context = next(c.removeprefix("ctx-") for c in cell["class"] if c.startswith("ctx-"))
            shown[(row["data-vendor"], context)] += int(cell.get_text())
    assert +shown == +expected
    # the clinic's own facts: the pixel on the portal (authenticated) and on the asthma page (health)
    assert shown[("meta-pixel", "authenticated")] == expected[("meta-pixel", "authenticated")] >= 1
    assert shown[("meta-pixel", "health")] >= 1 and shown[("tiktok-pixel", "health")] >= 1
    assert shown[("google-analytics", "public")] >= 1 and shown[("google-analytics", "authenticated")] == 0


def test_a_matrix_cell_links_to_the_list_of_its_findings(tmp_path):
    write_tree(tmp_path, CLINIC)
    soup = _soup(scan_tree(tmp_path))
    link = soup.select_one('table.matrix a[data-vendor="meta-pixel"][data-context="authenticated"]')
    target = soup.find(id=link["href"][1:])
    assert target is not None
    finding_links = [a["href"][1:] for a in target.select("a")]
    assert len(finding_links) == int(link.get_text())
    for anchor in finding_links:
        article = soup.find(id=anchor)
        assert article.name == "article" and article["data-vendor"] == "meta-pixel"


def test_a_finding_shows_evidence_fix_suppression_and_fingerprint(tmp_path):
    write_tree(tmp_path, CLINIC)
    result = scan_tree(tmp_path)
    soup = _soup(result)
    finding = next(f for f in result.findings if f.rule_id == "PHI001")
    article = soup.find(id=f"finding-{finding.fingerprint}")
    text = article.get_text(" ")
    assert "tagged `phi-lint: authenticated`" in text  # the page's evidence
    assert finding.help_hint in text
    assert "phi-lint: ignore[PHI001] reason" in text
    assert finding.fingerprint in article.select_one(".fingerprint").get_text()


def test_vendor_section_has_category_baa_files_and_include_chain(tmp_path):
    write_tree(tmp_path, {
        "templates/portal/layout.html": "{# phi-lint: authenticated #}\n<html>{% block body %}{% endblock %}\n" + HOTJAR + "</html>\n",
        "templates/portal/home.html": "{% extends 'portal/layout.html' %}\n{% block body %}<h1>Home</h1>{% endblock %}\n",
    })
    soup = _soup(scan_tree(tmp_path))
    section = soup.find(id="vendor-hotjar")
    text = section.get_text(" ")
    assert "session-replay" in text and "does not sign BAAs" in text
    assert "templates/portal/layout.html" in section.select_one("ul.files").get_text()
    chains = [[li.get_text() for li in chain.select("li")] for chain in section.select("ol.chain")]
    assert ["templates/portal/home.html", "templates/portal/layout.html"] in chains


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_hostile_file_names_and_snippets_are_text_not_markup(tmp_path):
    name = "templates/portal/x<script>alert(1)</script>.html"
    write_tree(tmp_path, {
        name: "{# phi-lint: authenticated #}\n" + PIXEL.replace("PageView", HOSTILE.replace("'", "")),
    })
    result = scan_tree(tmp_path)
    assert result.findings
    page = render_html(result)
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.find_all("script")
    # only the report's own two scripts: the JSON data and the filter code
    assert [s.get("type") for s in scripts] == ["application/json", None]
    assert not soup.find_all("img") and not soup.find_all(attrs={"onerror": True})
    assert "x<script>alert(1)</script>.html" in soup.get_text()  # shown, as text
    data = _data(soup)
    assert any("<script>alert(1)" in f["path"] for f in data["findings"])  # the JSON round-trips
    assert "</script>alert" not in page.split('id="phi-lint-data">', 1)[1].split("</script>", 1)[0]


def test_embedded_json_cannot_close_its_script_element():
    text = embedded_json({"a": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & -->"}


def test_no_network_and_a_policy_that_allows_only_the_reports_own_script(tmp_path):
    write_tree(tmp_path, CLINIC)
    soup = _soup(scan_tree(tmp_path))
    for tag in soup.find_all(["script", "img", "link", "iframe"]):
        assert not tag.get("src") and not tag.get("href"), tag
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy and "unsafe-inline'; img" not in policy


def test_control_and_bidi_characters_are_shown_escaped(tmp_path):
    write_tree(tmp_path, {"templates/portal/a\u202eb.html": "{# phi-lint: authenticated #}\n" + PIXEL})
    soup = _soup(scan_tree(tmp_path))
    assert "\u202e" not in str(soup.find(id="findings"))
    assert "a\\u202eb.html" in soup.find(id="findings").get_text()


def test_new_and_fixed_since_the_baseline(tmp_path):
    write_tree(tmp_path, CLINIC)
    old = scan_tree(tmp_path)
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, entries_for(old.findings))
    # the portal pixel is removed (fixed), a pixel is added to a new portal page (new)
    write_tree(tmp_path, {
        "templates/portal/dashboard.html": "{# phi-lint: authenticated #}\n<h1>Your visits</h1>\n" + HOTJAR,
        "templates/portal/billing.html": "{# phi-lint: authenticated #}\n<h1>Bills</h1>\n" + TIKTOK,
    })
    result = scan_tree(tmp_path, baseline=baseline)
    soup = _soup(result)
    new = soup.select('article.finding[data-status="new"]')
    assert {a["data-vendor"] for a in new} == {"tiktok-pixel"}
    fixed = soup.select("#baseline li.fixed-entry")
    assert fixed and all("meta-pixel" in li.get_text() for li in fixed)
    assert any("templates/portal/dashboard.html" in li.get_text() for li in fixed)
    data = _data(soup)
    assert {e["vendor"] for e in data["fixed"]} == {"meta-pixel"}


def test_without_a_baseline_there_is_no_new_or_fixed(tmp_path):
    write_tree(tmp_path, CLINIC)
    soup = _soup(scan_tree(tmp_path))
    assert soup.find(id="baseline") is None and not soup.select("article.finding[data-status=new]")


def test_the_html_assets_are_package_files():
    from phi_lint.reporters.html import ASSETS

    assert {p.name for p in ASSETS.iterdir()} >= {"report.html", "report.css", "report.js"}
    assert ASSETS.parent == REPO / "phi_lint" / "reporters"
