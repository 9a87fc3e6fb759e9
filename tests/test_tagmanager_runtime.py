"""Committed tag-manager runtimes: compiled gtm.js, Adobe Launch and Tealium utag.js."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import finding_lines, scan_tree

from phi_lint.tagmanager.firing import fires
from phi_lint.tagmanager.runtime import _js_string, _object_literal, analyze_runtime, looks_like_runtime

CASES = Path(__file__).parent / "tagmanager_cases" / "runtime"
LAUNCH = "launch-EN0f1e2d3c4b5a69788796a5b4c3d2e1f0-development.js"


def _read(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["gtm.js", LAUNCH, "utag.js"])
def test_recognised(name):
    assert looks_like_runtime(f"static/js/{name}", _read(name))


@pytest.mark.parametrize(
    "text",
    [
        "window.dataLayer = window.dataLayer || []; dataLayer.push({event: 'gtm.js'});",
        "var data = {\"items\": []};",
        "utag.view({page_name: 'home'});",
        "_satellite.track('booking');",
        "",
    ],
)
def test_ordinary_scripts_are_not_runtimes(text):
    assert not looks_like_runtime("static/js/app.js", text)


def test_compiled_gtm_js(analyzer):
    result = analyze_runtime("static/js/gtm.js", _read("gtm.js"), analyzer)
    assert result.problems == [] and result.container_id == "GTM-RT1ME2X"
    by_vendor = {s.vendor_id: s for s in result.sightings}
    assert sorted(by_vendor) == ["google-ads", "google-analytics", "google-tag-manager", "hotjar", "meta-pixel"]
    assert by_vendor["google-tag-manager"].details["inventory"] is True
    assert by_vendor["google-analytics"].account_id == "G-RT1ME2TEST"
    assert by_vendor["meta-pixel"].account_id == "123456789012345"  # from the escaped Custom HTML body
    ads = by_vendor["google-ads"].details["scope"]
    assert fires(ads, "/Book/now") is True and fires(ads, "/about") is False  # _re with ignore_case
    hotjar = by_vendor["hotjar"].details["scope"]
    assert fires(hotjar, "/portal/inbox") is False and fires(hotjar, "/about") is True  # block rule
    assert all(s.span.line > 1 for s in result.sightings)


def test_adobe_launch(analyzer):
    result = analyze_runtime(f"static/{LAUNCH}", _read(LAUNCH), analyzer)
    assert result.container_id == "launch-EN0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    found = [(s.vendor_id, s.details["tagName"]) for s in result.sightings]
    assert found == [
        ("adobe-launch", "Adobe Launch runtime"),
        ("adobe-analytics", "All pages - page view beacon"),
        ("meta-pixel", "Appointments - Meta pixel"),
        ("adobe-analytics", "Careers - page view beacon"),
    ]
    careers = result.sightings[3].details["scope"]
    assert fires(careers, "/careers") is True and fires(careers, "/jobs") is True and fires(careers, "/portal") is False
    meta = result.sightings[2]
    assert meta.account_id == "123456789012345" and fires(meta.details["scope"], "/appointments/new") is True


def test_tealium_is_inventory(analyzer):
    result = analyze_runtime("static/utag.js", _read("utag.js"), analyzer)
    (sighting,) = result.sightings
    assert sighting.vendor_id == "tealium" and sighting.account_id == "lakeside"
    assert sighting.details["profile"] == "lakeside.main"
    assert [t["uid"] for t in sighting.details["tags"]] == ["3", "7"]
    assert sighting.details["tags"][1]["load"] == "utag.cond[4]"


def test_runtimes_in_a_scan(tmp_path):
    for name in ("gtm.js", LAUNCH, "utag.js"):
        shutil.copy(CASES / name, tmp_path / name)
    result = scan_tree(tmp_path)
    lines = finding_lines(result, tmp_path)
    assert "PHI100 gtm.js:4 google-tag-manager" in lines
    assert "PHI005 gtm.js:9 google-ads" in lines
    assert f"PHI005 {LAUNCH}:50 meta-pixel" in lines
    assert f"PHI100 {LAUNCH}:59 adobe-analytics" in lines
    assert "PHI100 utag.js:6 tealium" in lines
    assert [n for n in result.notifications if n.level == "warning"] == []


def test_broken_runtimes_do_not_crash(analyzer):
    text = _read("gtm.js")
    for cut in (60, 200, 800, len(text) // 2):
        result = analyze_runtime("gtm.js", text[:cut], analyzer)
        assert result.problems or result.sightings is not None
    assert analyze_runtime("launch-x.js", "window._satellite.container = {", analyzer).sightings is not None
    weird = "window._satellite.container = {rules: [1, null, {actions: 'x', events: 5, conditions: [{}]}], extensions: 3};"
    assert analyze_runtime("launch-x.js", weird, analyzer).problems == []


def test_object_literal_and_js_strings():
    text = "x = {a: 'it\\'s', \"b\": [1, 2.5, true, null, function () { return 1; }], c: {d: `t`}};"
    value, positions = _object_literal(text, text.index("{"))
    assert value == {"a": "it's", "b": [1, 2.5, True, None, None], "c": {"d": None}}
    assert positions[id(value)][0] == text.index("{")
    assert _js_string("'\\u003Cscript\\x3e\\n'") == "<script>\n"

