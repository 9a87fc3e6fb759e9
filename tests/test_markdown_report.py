"""The Markdown summary (PR comment / $GITHUB_STEP_SUMMARY): headline, table, counts, limits."""

from __future__ import annotations

import re

from helpers import scan_tree, write_tree

from phi_lint.reporters.markdown import (
    MAX_ROWS,
    code,
    escape_text,
    github_link_base,
    render_markdown,
)

PIXEL = (
    "<script>\n"
    "!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?"
    "n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;"
    "n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;"
    "s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window, document,'script',"
    "'https://connect.facebook.net/en_US/fbevents.js');\n"
    "fbq('init', '000111222333444');\nfbq('track', 'PageView');\n</script>\n"
)
GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123456"></script>\n'
TIKTOK = "<script>ttq.load('C4ABCDEFGHIJ12345678'); ttq.page();</script>\n"

CLINIC = {
    "templates/portal/dashboard.html": "{# phi-lint: authenticated #}\n<h1>Your visits</h1>\n" + PIXEL,
    "site/conditions/asthma.html": "<!-- phi-lint: health -->\n<h1>Asthma</h1>\n" + TIKTOK,
    "site/index.html": "<h1>Welcome</h1>\n" + GA,
}


def _table_rows(markdown: str) -> list[list[str]]:
    """The cells of every table row, split on unescaped pipes as GFM does."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = re.split(r"(?<!\\)\|", line)
            assert cells[0] == "" and cells[-1] == "", line
            rows.append([c.strip() for c in cells[1:-1]])
    return rows


def test_summary_of_a_clinic(tmp_path):
    write_tree(tmp_path, CLINIC)
    result = scan_tree(tmp_path)
    md = render_markdown(result)
    first = md.splitlines()[0]
    assert first == "## phi-lint: 2 problems (1 error, 1 warning) in 2 files"
    rows = _table_rows(md)
    findings = [r for r in rows if len(r) == 6 and r[0].startswith("`PHI")]
    # problems first (error before warning), then the inventory
    assert [r[:3] for r in findings] == [
        ["`PHI001`", "error", "Meta Pixel"],
        ["`PHI002`", "warning", "TikTok Pixel"],
        ["`PHI100`", "note", "Google Analytics"],
    ]
    assert findings[0][3] == "`templates/portal/dashboard.html:4`"
    assert findings[0][4] == "this file"
    assert "<details>" in md and "Inventory: 1 other tracker" in md
    # counts by rule and by vendor
    assert "| `PHI001` | tracker-on-authenticated-page | error | 1 |" in md
    assert "| Meta Pixel | `meta-pixel` | 1 | 0 |" in md
    assert "| Google Analytics | `google-analytics` | 0 | 1 |" in md
    assert "Scanned 3 files." in md
    assert "No page is known" not in md
    assert "Note:" not in md  # nothing cut


def test_partial_lists_the_pages_it_reaches(tmp_path):
    pages = {f"portal/p{i}.html": f"<!-- phi-lint: authenticated -->\n<p>{i}</p>\n" for i in range(1, 5)}
    pages["portal/p0.html"] = "<!-- phi-lint: authenticated -->\n" + PIXEL
    write_tree(tmp_path, pages)
    result = scan_tree(tmp_path)
    # a finding that reaches many pages: widen a real one, so that this test does not depend on
    # the include edges of the page graph
    finding = result.findings[0]
    from phi_lint.models import PageReach

    finding.pages = [PageReach(f"portal/p{i}.html", (f"portal/p{i}.html", "portal/p0.html")) for i in range(5)]
    md = render_markdown(result)
    row = [r for r in _table_rows(md) if len(r) == 6 and r[0] == "`PHI001`"][0]
    assert row[4] == "this file, `portal/p1.html`, `portal/p2.html`, +2 more"


def test_clean_repository(tmp_path):
    write_tree(tmp_path, {"index.html": "<h1>Hello</h1>\n"})
    md = render_markdown(scan_tree(tmp_path))
    assert md.splitlines()[0] == "## phi-lint: no trackers on authenticated or health pages"
    assert "| Rule |" not in md
    assert "No page is known to be authenticated or health-related" in md
    assert md.endswith("Scanned 1 file.\n")


def test_inventory_only_is_not_a_problem(tmp_path):
    write_tree(tmp_path, {"index.html": GA, "portal/x.html": "<!-- phi-lint: authenticated -->\n<p>hi</p>\n"})
    md = render_markdown(scan_tree(tmp_path))
    assert md.startswith("## phi-lint: no trackers on authenticated or health pages\n")
    assert "<summary>Inventory: 1 other tracker" in md
    assert "No page is known" not in md


def test_paths_cannot_inject_markup(tmp_path):
    name = "portal/a|b_*x*<img src=x onerror=alert(1)>[l](y).html"
    write_tree(tmp_path, {name: "<!-- phi-lint: authenticated -->\n" + PIXEL})
    md = render_markdown(scan_tree(tmp_path))
    # outside code spans (whose text is never markup) nothing of the name is left unescaped
    outside = re.sub(r"(`+).*?\1", "", md)
    assert "<img" not in outside and "[l](" not in outside
    rows = _table_rows(md)
    finding = [r for r in rows if len(r) == 6 and r[0] == "`PHI001`"][0]
    assert len(finding) == 6
    assert finding[3] == code(f"{name}:3")
    assert "\\|" in finding[3]


def test_escaping_helpers():
    assert escape_text("a|b *c* <d> & [e](f)\nnext") == "a\\|b \\*c\\* \\<d\\> &amp; \\[e\\](f) next"
    assert code("plain") == "`plain`"
    assert code("has `tick`") == "`` has `tick` ``"
    assert code("a|b") == "`a\\|b`"


def test_links_to_the_commit(tmp_path, monkeypatch):
    write_tree(tmp_path, {"portal/my page.html": "<!-- phi-lint: authenticated -->\n" + PIXEL})
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/clinic")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    base = github_link_base()
    assert base == "https://github.com/acme/clinic/blob/0123abc"
    md = render_markdown(scan_tree(tmp_path), link_base=base)
    assert "[`portal/my page.html:3`](https://github.com/acme/clinic/blob/0123abc/portal/my%20page.html#L3)" in md
    assert github_link_base({"GITHUB_REPOSITORY": "acme/clinic"}) is None


def test_rows_are_capped_with_a_note(tmp_path):
    files = {f"portal/page{i:03}.html": "<!-- phi-lint: authenticated -->\n" + PIXEL for i in range(MAX_ROWS + 10)}
    files.update({f"site/p{i}.html": GA for i in range(5)})
    write_tree(tmp_path, files)
    result = scan_tree(tmp_path)
    assert len(result.findings) == MAX_ROWS + 15
    md = render_markdown(result)
    rows = [r for r in _table_rows(md) if len(r) == 6 and r[0].startswith("`PHI")]
    assert len(rows) == MAX_ROWS
    assert all(r[0] == "`PHI001`" for r in rows)  # problems before the inventory
    assert f"this summary lists {MAX_ROWS} of {MAX_ROWS + 15} findings (10 problems and 5 inventory notes left out)" in md
    assert "Inventory: 5 other trackers (PHI100), not listed here." in md
    # the counts still cover everything
    assert f"| `PHI001` | tracker-on-authenticated-page | error | {MAX_ROWS + 10} |" in md


def test_byte_limit(tmp_path):
    files = {f"portal/{'deep/' * 10}page{i:03}.html": "<!-- phi-lint: authenticated -->\n" + PIXEL for i in range(60)}
    write_tree(tmp_path, files)
    result = scan_tree(tmp_path)
    limit = 8000
    md = render_markdown(result, max_bytes=limit)
    assert len(md.encode("utf-8")) <= limit
    rows = [r for r in _table_rows(md) if len(r) == 6 and r[0] == "`PHI001`"]
    assert 0 < len(rows) < 60
    assert f"this summary lists {len(rows)} of 60 findings" in md
    assert md.rstrip().endswith("Scanned 60 files.")  # the run line is never cut
    # the whole default output of a normal run is far below GitHub's 1 MiB
    assert len(render_markdown(result).encode("utf-8")) < 1024 * 1024


def test_notices_and_suppressions_are_counted(tmp_path):
    write_tree(tmp_path, {"index.html": GA, "bad.html": b"\x00\x01\x02binary\x00" * 10})
    result = scan_tree(tmp_path)
    result.suppressed = [result.findings[0]]
    md = render_markdown(result)
    warnings = [n for n in result.notifications if n.level == "warning"]
    if warnings:
        assert f"{len(warnings)} notice" in md
    assert "1 finding was suppressed" in md
