"""The HTML report in a real headless Chromium: the demo repository's report loads from a
file:// URL without a console error, shows the matrix and a finding's detail, and its filters
hide findings. The screenshot is kept (docs/html-report.png is made the same way)."""

from __future__ import annotations

import tempfile

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from helpers import REPO

from phi_lint.reporters.html import render_html
from phi_lint.scan import ScanOptions, scan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    require_browser()
    result = scan(ScanOptions(paths=[REPO / "fixtures" / "demo-clinic"]))
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(result), encoding="utf-8")
    return path, result


def test_demo_report_in_chromium(report):
    from playwright.sync_api import sync_playwright

    path, result = report
    problems: list[str] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: problems.append(f"request {r.url}") if not r.url.startswith("file:") else None)
            page.goto(path.as_uri())
            page.screenshot(path=str(path.with_suffix(".png")))
            assert path.with_suffix(".png").stat().st_size > 10_000

            # the matrix: Hotjar on the portal's authenticated pages
            row = page.locator("table.matrix tr", has_text="Hotjar")
            assert row.locator("td.ctx-authenticated").inner_text().strip() == "1"
            # one finding's detail, by its text
            finding = next(f for f in result.findings if f.rule_id == "PHI003")
            article = page.locator(f"#finding-{finding.fingerprint}")
            assert "Hotjar" in article.inner_text() and "portal/layout.html:23" in article.inner_text()
            article.locator("details.suppress summary").click()
            assert article.locator("details.suppress").get_attribute("open") is not None
            assert "ignore[PHI003]" in article.inner_text()

            # filters: a rule hides the others; search narrows; a matrix cell filters
            total = page.locator("article.finding").count()
            page.select_option("#filter-rule", "PHI003")
            assert page.locator("article.finding:visible").count() == 1
            assert not page.locator("article.finding", has_text="TikTok Pixel").first.is_visible()
            assert page.locator("#filter-count").inner_text() == f"1 of {total} findings shown"
            page.click("#filter-reset")
            page.fill("#filter-search", "tiktok")
            assert 0 < page.locator("article.finding:visible").count() < total
            page.click("#filter-reset")
            page.click('table.matrix a[data-vendor="meta-pixel"][data-context="authenticated"]')
            visible = page.locator("article.finding:visible")
            assert visible.count() == 2
            assert all(a == "meta-pixel" for a in visible.evaluate_all("els => els.map(e => e.dataset.vendor)"))
        finally:
            browser.close()
    assert problems == []
