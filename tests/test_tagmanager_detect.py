"""GTM exports: detection by content, both enum spellings, BOM / junk / .json.js, the
position-keeping parse, and bad input (never a crash, a notification instead)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.discovery import classify
from phi_lint.tagmanager import analyze_export, looks_like_export
from phi_lint.tagmanager.gtm import parse_export, parse_json

sys.path.insert(0, str(Path(__file__).parent / "tagmanager_cases"))
from gtmbuild import ALL_PAGES, cond, export, p, tag, trig  # noqa: E402

CASES = Path(__file__).parent / "tagmanager_cases"
HOTJAR = tag("Hotjar", "hjtc", [p("hotjar_site_id", "3712345")])
REGEX_FLOODLIGHT = [
    tag("Floodlight", "flc", [p("advertiserId", "8812345")], firing=["9"]),
]
BOOKING = trig("9", "Booking", "PAGEVIEW", filters=[cond("MATCH_REGEX", "Page Path", "^/(book|schedule)")])


def _vendors(result):
    return sorted(s.vendor_id for s in result.sightings)


# --- detection ----------------------------------------------------------------------------------


def test_detects_export_by_content_not_name():
    assert looks_like_export(export([HOTJAR]))
    assert not looks_like_export('{"name": "portal", "version": "1.0.0", "dependencies": {}}')
    assert not looks_like_export('{"compilerOptions": {"paths": {"@/*": ["src/*"]}}}')
    assert not looks_like_export('{"exportFormatVersion": 2}')  # no containerVersion: not an export
    assert not looks_like_export("")


@pytest.mark.parametrize("spelling", ["export", "api"])
def test_both_spellings_give_the_same_sightings(analyzer, spelling):
    text = export([HOTJAR, *REGEX_FLOODLIGHT], [BOOKING], spelling=spelling)
    if spelling == "api":
        assert '"pageview"' in text and '"matchRegex"' in text and "PAGEVIEW" not in text
    else:
        assert '"PAGEVIEW"' in text and '"MATCH_REGEX"' in text
    result = analyze_export("GTM-TEST123_workspace1.json", text, analyzer)
    assert result.problems == []
    assert result.container_ids == ["GTM-TEST123"]
    assert _vendors(result) == ["google-floodlight", "hotjar"]
    floodlight = next(s for s in result.sightings if s.vendor_id == "google-floodlight")
    (rule,) = floodlight.details["scope"]["rules"]
    assert rule["when"]["type"] == "pageview"
    assert rule["when"]["conditions"][0]["op"] == "matchregex"


def test_bom_junk_and_trailing_semicolon(analyzer):
    text = export([HOTJAR])
    for variant in ("\ufeff" + text, "I'mការ" + text, "// exported from GTM\nvar container = " + text.rstrip() + ";\n"):
        assert looks_like_export(variant)
        result = analyze_export("GTM-TEST123_v8.json.js", variant, analyzer)
        assert result.problems == [] and _vendors(result) == ["hotjar"]


def test_junk_with_braces_before_the_export(analyzer):
    text = "/* {not json} */ {junk: 1}\n" + export([HOTJAR])
    result = analyze_export("x.json", text, analyzer)
    assert _vendors(result) == ["hotjar"] and result.problems == []


def test_key_order_does_not_matter(analyzer):
    data = json.loads(export([HOTJAR]))
    reordered = json.dumps({"containerVersion": data["containerVersion"], "exportFormatVersion": 2}, sort_keys=True)
    assert looks_like_export(reordered)
    assert _vendors(analyze_export("x.json", reordered, analyzer)) == ["hotjar"]


def test_json_js_and_json_names_are_read_as_json():
    assert classify("GTM-TNM9JZ3S_v36.json.js") == "json"
    assert classify("GTM-THXXJNP_workspace4 (1).json") == "json"
    assert classify("package.json") == "manifest"


def test_scan_finds_exports_under_any_name(tmp_path):
    text = export([HOTJAR], public_id="GTM-AAAA111")
    write_tree(tmp_path, {
        "gtm/GTM-AAAA111_v3.json.js": "\ufeffjunk " + text,
        "cypress/fixtures/GTM-sample.json": text,  # excluded by default (test fixtures)
        "config/container.json": text,
        "config/settings.json": '{"exportFormatVersion": "nope"}',
    })
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == [
        "PHI005 config/container.json:18 hotjar",
        "PHI005 gtm/GTM-AAAA111_v3.json.js:18 hotjar",
    ]
    assert [n for n in result.notifications if n.level == "warning"] == []


# --- positions ------------------------------------------------------------------------------------


def test_positions_point_at_each_tag_object(analyzer):
    text = export([HOTJAR, *REGEX_FLOODLIGHT], [BOOKING])
    lines = text.splitlines()
    result = analyze_export("x.json", text, analyzer)
    for sighting in result.sightings:
        line = lines[sighting.span.line - 1]
        assert line.strip() == "{", line
        assert f'"name": "{sighting.details["tagName"]}"' in "\n".join(lines[sighting.span.line: sighting.span.line + 5])
        assert sighting.span.line > 1 and sighting.span.end_line > sighting.span.line


def test_positions_in_a_one_line_export(analyzer):
    text = "junk " + export([HOTJAR, *REGEX_FLOODLIGHT], [BOOKING], indent=None)
    result = analyze_export("x.json", text, analyzer)
    spans = sorted(s.span for s in result.sightings)
    assert all(s.line == 1 for s in spans)
    assert len({s.column for s in spans}) == 2 and all(s.column > 20 for s in spans)
    for span in spans:
        assert text[span.column - 1] == "{"


def test_parse_json_keeps_container_positions():
    text = '  {"a": [1, {"b": "x\\"y"}], "c": {}}'
    parsed = parse_json(text, 2)
    assert parsed.error is None
    value = parsed.value
    assert value == {"a": [1, {"b": 'x"y'}], "c": {}}
    assert parsed.positions[id(value)] == (2, len(text))
    inner = value["a"][1]
    start, end = parsed.positions[id(inner)]
    assert text[start:end] == '{"b": "x\\"y"}'


# --- bad input -------------------------------------------------------------------------------------


def test_truncated_export_is_analysed_as_far_as_it_goes(analyzer):
    text = (CASES / "truncated" / "GTM-PT4RTL7_v6.json").read_text(encoding="utf-8")
    result = analyze_export("GTM-PT4RTL7_v6.json", text, analyzer)
    (problem,) = result.problems
    assert "truncated" in problem and "4 complete tag(s), 1 cut off" in problem and "line 173" in problem
    assert result.container_ids == ["GTM-PT4RTL7"]
    assert _vendors(result) == ["google-analytics", "hotjar", "linkedin-insight", "meta-pixel"]


def test_truncated_export_in_a_scan_is_a_warning_not_a_crash(tmp_path):
    text = (CASES / "truncated" / "GTM-PT4RTL7_v6.json").read_text(encoding="utf-8")
    write_tree(tmp_path, {"GTM-PT4RTL7_v6.json": text})
    result = scan_tree(tmp_path)
    warnings = [n for n in result.notifications if n.level == "warning"]
    assert len(warnings) == 1 and "invalid JSON at line 173" in warnings[0].message
    assert finding_lines(result, tmp_path) == [
        "PHI005 GTM-PT4RTL7_v6.json:41 meta-pixel",
        "PHI005 GTM-PT4RTL7_v6.json:71 google-analytics",
        "PHI005 GTM-PT4RTL7_v6.json:96 hotjar",
        "PHI100 GTM-PT4RTL7_v6.json:124 linkedin-insight",
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        ('{"exportFormatVersion": 2, "containerVersion": ', "truncated"),
        ('{"exportFormatVersion": 2, "containerVersion": {"tag": [}}', "unexpected '}'"),
        ('{"exportFormatVersion": 2, "containerVersion": {"tag": "x" "y"}}', "expected ','"),
        ('{"exportFormatVersion": 2, "containerVersion": {"tag": [@]}}', "unexpected character '@'"),
        ('{"exportFormatVersion": 2, "containerVersion": "oops"}', "no containerVersion object"),
        ('{"exportFormatVersion": 2, "containerVersion": {"tag": "unterminated', "not closed"),
        ('["exportFormatVersion", "containerVersion"]', "no containerVersion object"),
    ],
)
def test_invalid_exports_give_a_problem(analyzer, text, expected):
    result = analyze_export("x.json", text, analyzer)
    assert result.sightings == []
    assert len(result.problems) == 1 and expected in result.problems[0], result.problems


def test_odd_shapes_never_crash(analyzer):
    odd = {
        "exportFormatVersion": 2,
        "containerVersion": {
            "container": {"publicId": 7, "usageContext": "WEB", "tagIds": "GTM-X"},
            "tag": [1, None, "x", {"type": 5}, {"name": ["a"], "type": "html", "parameter": {"key": "html"}},
                    {"name": "t", "type": "hjtc", "parameter": [None, {"key": 1}], "firingTriggerId": "2147479553",
                     "setupTag": "nope", "teardownTag": [{"tagName": "t"}], "paused": "maybe", "consentSettings": []}],
            "trigger": [{"triggerId": None}, {"triggerId": "1", "type": None, "filter": [None, {"parameter": None}]}],
            "variable": [{"name": None}, {"name": "v", "type": "smm", "parameter": [{"key": "map", "list": [None]}]}],
            "customTemplate": [{"templateId": None, "templateData": 5}],
        },
    }
    result = analyze_export("odd.json", json.dumps(odd), analyzer)
    assert isinstance(result.problems, list)
    assert all(s.kind == "tag-manager-tag" for s in result.sightings)


def test_deep_nesting_does_not_recurse(analyzer):
    deep = '{"exportFormatVersion": 2, "containerVersion": {"tag": [' + "[" * 100000 + "]" * 100000 + "]}}"
    result = analyze_export("deep.json", deep, analyzer)
    assert result.sightings == [] and result.problems == []
    variable_loop = export(
        [tag("GA4", "gaawe", [p("eventName", "x"), p("measurementIdOverride", "{{A}}")])],
        variables=[{"name": "A", "type": "smm", "parameter": [p("input", "{{B}}")]},
                   {"name": "B", "type": "smm", "parameter": [p("input", "{{A}}")]}],
    )
    assert _vendors(analyze_export("loop.json", variable_loop, analyzer)) == ["google-analytics"]


def test_random_truncations_never_raise(analyzer):
    text = (Path(__file__).parent.parent / "fixtures" / "gtm-exports" / "GTM-K7CL1N4_workspace12.json").read_text(encoding="utf-8")
    rng = random.Random(4)
    for cut in sorted(rng.sample(range(1, len(text)), 60)):
        result = analyze_export("cut.json", text[:cut], analyzer)
        assert result.problems, cut
    for _ in range(40):
        i = rng.randrange(len(text))
        mangled = text[:i] + rng.choice(['"', "{", "]", ",", "\\", "\x00", "é"]) + text[i + 1:]
        analyze_export("mangled.json", mangled, analyzer)


def test_parse_export_finds_the_real_start():
    text = 'x = {"a": 1}; ' + export([HOTJAR])
    parsed = parse_export(text)
    assert isinstance(parsed.value, dict) and "containerVersion" in parsed.value


def test_all_pages_id_constant():
    assert ALL_PAGES == "2147479553"
