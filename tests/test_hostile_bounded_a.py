"""Bounded work on hostile input (issue 11, items 7 and 8): tag-manager exports, the page graph,
inline ignores and users' vendor patterns. Each case is built small in tmp_path, must finish in
seconds (a wall-clock guard, generous for slow CI machines) and must still say what it found:
the finding is reported, or a notice says what was not looked at.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from helpers import finding_lines, scan_tree, write_tree

sys.path.insert(0, str(Path(__file__).parent / "tagmanager_cases"))
from gtmbuild import cond, export, html_tag, p, tag, template, trig  # noqa: E402

GUARD = 10.0  # seconds; each case takes well under one on a laptop
META_PIXEL = (
    "<script>!function(f,b,e,v,n,t,s){}(window,document,'script',"
    "'https://connect.facebook.net/en_US/fbevents.js');fbq('init', '123456789012345');</script>"
)
HOTJAR = [p("hotjar_site_id", "3712345")]


def timed_scan(root: Path, **kwargs):
    started = time.monotonic()
    result = scan_tree(root, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < GUARD, f"took {elapsed:.1f} s"
    return result


def _elapsed(function, *args):
    """CPU seconds of this process: the bound is about the work done, and other processes on a
    loaded machine (parallel test workers) must not make a linear pass look slow."""
    started = time.process_time()
    value = function(*args)
    return value, time.process_time() - started


def notes(result) -> list[str]:
    return [n.message for n in result.notifications]


def tag_findings(result) -> dict[str, object]:
    return {f.sighting.details["tagName"]: f for f in result.findings if f.sighting.kind == "tag-manager-tag"}


# --- tag-manager exports ---------------------------------------------------------------------------


def test_catastrophic_match_regex_runs_in_linear_time(tmp_path):
    # with Python's `re`, `(a+)+\.com/z` against `https://aaa…a.com/…` backtracks for ever
    value = r"^https://(a+)+\.com/z|" + "a" * 540 + ".com"
    portal = trig("5", "Portal", filters=[cond("MATCH_REGEX", "Page URL", value)])
    write_tree(tmp_path, {"gtm/container.json": export([tag("Hotjar", "hjtc", HOTJAR, firing=["5"])], [portal])})
    result = timed_scan(tmp_path)
    assert tag_findings(result)["Hotjar"].rule_id == "PHI005"  # may fire on any page: the safe answer


def test_regex_that_re2_rejects_is_a_notice_and_may_match(tmp_path):
    lookahead = trig("5", "Not public", filters=[cond("MATCH_REGEX", "Page Path", "^/(?!public)")])
    careers = trig("6", "Careers", filters=[cond("STARTS_WITH", "Page Path", "/careers")])
    write_tree(tmp_path, {"gtm/container.json": export(
        [tag("Hotjar", "hjtc", HOTJAR, firing=["5"]), tag("LinkedIn", "bzi", [p("id", "4412345")], firing=["6"])],
        [lookahead, careers],
    )})
    result = timed_scan(tmp_path)
    found = tag_findings(result)
    assert found["Hotjar"].rule_id == "PHI005"
    assert found["LinkedIn"].rule_id == "PHI100"  # a supported condition is still judged exactly
    [message] = [m for m in notes(result) if "RE2" in m]
    assert "trigger `Not public`: RegEx `^/(?!public)` is not supported by RE2" in message
    assert "treated as one that may match" in message


def test_thousands_of_costly_regexes_are_compiled_up_to_a_budget(tmp_path):
    # each `\p{L}{1000}` costs RE2 milliseconds to refuse; 3,000 of them fit in 600 KB
    triggers = [trig(str(10 + i), f"t{i}", filters=[cond("MATCH_REGEX", "Page Path", "\\p{L}{1000}" + str(i), ignore_case=True)])
                for i in range(3000)]
    tags = [tag("Hotjar", "hjtc", HOTJAR, firing=[str(10 + i) for i in range(3000)])]
    write_tree(tmp_path, {"gtm/container.json": export(tags, triggers, indent=None)})
    result = timed_scan(tmp_path)
    assert tag_findings(result)["Hotjar"].rule_id == "PHI005"
    said = notes(result)
    assert "Google Tag Manager export: more than 100 different RegEx conditions; 2900 more are not compiled and are treated as ones that may match" in said
    assert len([m for m in said if "is not supported by RE2 (pattern too large" in m]) == 100


def test_custom_html_with_an_unclosed_reference_and_many_newlines(tmp_path):
    # `{{` and 30,000 newlines: the old `\{\{\s*([^{}]{1,200}?)\s*\}\}` took minutes
    body = META_PIXEL + "{{" + "\n" * 30000 + "{{ Page Path }}"
    write_tree(tmp_path, {"gtm/container.json": export([html_tag("Meta Pixel", body)])})
    result = timed_scan(tmp_path)
    assert tag_findings(result)["Meta Pixel"].rule_id == "PHI005"


def test_condition_operand_with_many_spaces_and_no_closing_braces(tmp_path):
    operand = "{{" + " " * 30000 + "Page Path"
    spaced = {"type": "CONTAINS", "parameter": [p("arg0", operand), p("arg1", "/careers")]}
    write_tree(tmp_path, {"gtm/container.json": export(
        [tag("Hotjar", "hjtc", HOTJAR, firing=["5"])], [trig("5", "t", filters=[spaced])])})
    result = timed_scan(tmp_path)
    assert tag_findings(result)["Hotjar"].rule_id == "PHI005"  # not the page path: may fire anywhere


def test_url_condition_with_a_long_run_without_dots():
    # host names are looked for in a URL condition's value: `(?:[a-z0-9-]+\.)+…` was quadratic here (10 s)
    from phi_lint.tagmanager.firing import condition_holds

    long_value = {"variable": "Page URL", "on": "url", "op": "contains", "value": "https://" + "a-" * 20000,
                  "negate": False, "ignoreCase": False}
    held, elapsed = _elapsed(condition_holds, long_value, "/portal")
    assert held is False and elapsed < 1.0


def test_url_condition_naming_thousands_of_hosts(tmp_path):
    # each named host was a test per page probed (273 probes × 40,000 hosts)
    value = "|".join(f"https://h{i}.example.com/careers" for i in range(40000))
    write_tree(tmp_path, {
        "gtm/container.json": export([tag("Hotjar", "hjtc", HOTJAR, firing=["5"])],
                                     [trig("5", "t", filters=[cond("CONTAINS", "Page URL", value, negate=True)])]),
        "phi-lint.toml": "max-file-size = 4000000\n",
    })
    result = timed_scan(tmp_path)
    assert tag_findings(result)["Hotjar"].rule_id == "PHI005"  # not evaluated: may fire


def test_custom_html_reads_patterns_are_linear(tmp_path):
    body = META_PIXEL + "querySelector(" * 30000 + "fbq('init'," * 10000 + "getElementsBy" * 30000
    jsm = {"type": "jsm", "name": "JS", "parameter": [p("javascript", "function(){" + "getElementBy" * 30000 + "}")]}
    write_tree(tmp_path, {
        "gtm/container.json": export([html_tag("Meta Pixel", body + "{{JS}}")], variables=[jsm]),
        "phi-lint.toml": "max-file-size = 4000000\n",
    })
    result = timed_scan(tmp_path)
    assert tag_findings(result)["Meta Pixel"].rule_id == "PHI005"


def _self_listing_group(times: int = 40) -> dict:
    members = [p(str(i), "10", "TRIGGER_REFERENCE") for i in range(times)]
    return trig("10", "group", "TRIGGER_GROUP", filters=[cond("CONTAINS", "Page Path", "/")],
                parameter=[{"type": "LIST", "key": "triggerIds", "list": members}])


def test_trigger_group_listing_itself_forty_times(tmp_path):
    # 3 KB: was 80 s, 4.6 GB of memory and a 700 MB report
    write_tree(tmp_path, {"gtm/container.json": export(
        [tag("Hotjar", "hjtc", HOTJAR, firing=["10"])], [_self_listing_group()], indent=None)})
    result = timed_scan(tmp_path)
    finding = tag_findings(result)["Hotjar"]
    assert finding.rule_id == "PHI005"
    assert finding.sighting.details["scope"]["rules"][0]["when"]["conditions"] == [
        {"variable": "Page Path", "on": "path", "op": "contains", "value": "/", "negate": False, "ignoreCase": False}
    ]
    assert "trigger group 'group' contains itself; the repeated member is left out" in "\n".join(notes(result))


def test_trigger_groups_in_a_cycle_deep_nesting_and_many_conditions(tmp_path):
    def group(trigger_id, members, filters=()):
        refs = [p(str(i), str(m), "TRIGGER_REFERENCE") for i, m in enumerate(members)]
        return trig(trigger_id, f"group {trigger_id}", "TRIGGER_GROUP", filters=list(filters),
                    parameter=[{"type": "LIST", "key": "triggerIds", "list": refs}])

    cycle = [group("20", ["21"]), group("21", ["20", "20", "20"])]
    chain = [group(str(100 + i), [str(101 + i)], [cond("CONTAINS", "Page Path", "/")]) for i in range(30)]
    wide = [trig(str(300 + i), f"t{i}", filters=[cond("EQUALS", "Page Hostname", f"h{i}.example")]) for i in range(150)]
    # blocks everywhere if all its conditions were known to hold: cut short, it must not block
    blocker = group("30", [str(300 + i) for i in range(150)], [cond("CONTAINS", "Page Path", "/")])
    tags = [tag("cycle", "hjtc", HOTJAR, firing=["20"]), tag("deep", "hjtc", HOTJAR, firing=["100"]),
            tag("blocked", "hjtc", HOTJAR, blocking=["30"])]
    write_tree(tmp_path, {"gtm/container.json": export(tags, [*cycle, *chain, *wide, blocker], indent=None)})
    result = timed_scan(tmp_path)
    found = tag_findings(result)
    assert {name: f.rule_id for name, f in found.items()} == {"cycle": "PHI005", "deep": "PHI005", "blocked": "PHI005"}
    said = "\n".join(notes(result))
    assert "trigger group 'group 21' contains itself" in said
    assert "is nested more than 8 groups deep" in said
    assert "trigger 'group 30' has more than 100 conditions" in said


def _template_loading(url_count: int) -> dict:
    junk = "".join(f"injectScript('https://cdn{i}.example-cdn.org/lib.js');\n" for i in range(url_count))
    code = junk + "injectScript('https://connect.facebook.net/en_US/fbevents.js');\n"
    return template("31", "Pixel helper", "___INFO___\n\n{}\n\n___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n" + code)


def test_template_vendor_after_many_other_urls(tmp_path, monkeypatch):
    # the 51st URL of a template used to be ignored without a word
    write_tree(tmp_path, {"gtm/container.json": export([tag("Meta", "cvt_2_31")], templates=[_template_loading(60)])})
    assert tag_findings(timed_scan(tmp_path))["Meta"].sighting.vendor_id == "meta-pixel"
    from phi_lint.tagmanager import gtm, vendors

    monkeypatch.setattr(vendors, "MAX_TEMPLATE_URLS", 20)
    monkeypatch.setattr(gtm, "MAX_TEMPLATE_URLS", 20)
    result = timed_scan(tmp_path, use_cache=False)
    assert "Meta" not in tag_findings(result)
    assert any("template cvt_2_31 names more than 20 URLs; the last 41 are not looked up" in m for m in notes(result))


def test_one_large_trigger_named_by_many_tags_does_not_swell_the_report(tmp_path):
    # 330 KB of export: each tag's scope carried the 200 KB trigger, a 318 MB report and 1 GB of memory
    from phi_lint.reporters.json_report import render_json

    large = trig("5", "large", filters=[cond("CONTAINS", "Page Path", f"/x{i}" + "y" * 2000) for i in range(100)])
    small = trig("6", "portal", filters=[cond("STARTS_WITH", "Page Path", "/portal")])
    tags = [tag(f"Hotjar {i}", "hjtc", HOTJAR, firing=["5"]) for i in range(500)]
    tags.append(tag("LinkedIn", "bzi", [p("id", "4412345")], firing=["6"]))
    write_tree(tmp_path, {"gtm/container.json": export(tags, [large, small], indent=None)})
    result = timed_scan(tmp_path)
    found = tag_findings(result)
    assert found["Hotjar 499"].rule_id == "PHI005"  # may fire anywhere: the safe answer
    assert "portal" in found["LinkedIn"].message  # a tag of ordinary size is judged as before
    assert "500 tag(s) have triggers too large to evaluate and report ('Hotjar 0', 'Hotjar 1', 'Hotjar 2' …)" in "\n".join(notes(result))
    assert len(render_json(result)) < 5_000_000


def test_more_than_five_thousand_tags_are_all_analysed(tmp_path):
    # tag 5,001, a Meta Pixel on All Pages, used to be dropped without a word
    tags = [tag(f"Conversion Linker {i}", "gclidw") for i in range(5000)] + [html_tag("Meta Pixel", META_PIXEL)]
    write_tree(tmp_path, {"gtm/container.json": export(tags, indent=None)})
    result = timed_scan(tmp_path)
    assert tag_findings(result)["Meta Pixel"].rule_id == "PHI005"


def test_many_tags_sharing_one_setup_tag_stay_linear(tmp_path):
    mains = [tag(f"main {i}", "gclidw", firing=[str(1000 + i)], setupTag=[{"tagName": "helper"}] * 20) for i in range(1500)]
    triggers = [trig(str(1000 + i), f"t{i}", filters=[cond("EQUALS", "Page Path", f"/p{i}")]) for i in range(1500)]
    helper = tag("helper", "hjtc", HOTJAR, firing=None)
    write_tree(tmp_path, {"gtm/container.json": export([*mains, helper], triggers, indent=None)})
    result = timed_scan(tmp_path)
    helper_finding = tag_findings(result)["helper"]
    assert helper_finding.rule_id == "PHI005"  # fires with each of its 1,500 main tags: too large to list
    assert "1500 trigger rule(s), too large to evaluate" in helper_finding.message


def test_adobe_rule_with_too_many_path_combinations_may_fire_anywhere(tmp_path):
    paths = [{"value": f"/public-{i}", "valueIsRegex": False} for i in range(10)]
    conditions = ",".join(
        '{"modulePath": "core/src/lib/conditions/path.js", "settings": {"paths": ' + json.dumps(paths) + '}}'
        for _ in range(3)
    )
    library = (
        "window._satellite = window._satellite || {};\n_satellite.container = {\"rules\": [{\"id\": \"RL1\", "
        "\"name\": \"FB\", \"events\": [{\"modulePath\": \"core/src/lib/events/libraryLoaded.js\"}], "
        f"\"conditions\": [{conditions}], \"actions\": [{{\"modulePath\": \"core/src/lib/actions/customCode.js\", "
        "\"settings\": {\"source\": \"fbq('init', '123456789012345');\"}}]}]};\n"
    )
    write_tree(tmp_path, {"static/launch-EN0123456789abcdef0123456789abcd.js": library})
    result = timed_scan(tmp_path)
    [finding] = [f for f in result.findings if f.sighting.details and f.sighting.details.get("tagName") == "FB"]
    assert finding.rule_id == "PHI005"
    assert any("more than 50 combinations of path conditions" in m for m in notes(result))


# --- inline ignores ---------------------------------------------------------------------------------


def test_nineteen_thousand_inline_ignores_are_parsed_in_linear_time():
    from phi_lint.suppress import parse_directives

    text = "".join(f"<!-- phi-lint: ignore[PHI001] reviewed {i} -->\n" for i in range(19500))
    directives, elapsed = _elapsed(parse_directives, "portal/page.html", text)
    assert elapsed < 2.0  # was 7 s: each line number counted from the top of the file
    assert [d.line for d in directives[-2:]] == [19499, 19500]


def test_many_findings_against_many_inline_ignores_in_linear_time():
    from phi_lint.models import Finding, Sighting, Span
    from phi_lint.suppress import Directive, apply_inline

    count = 20000
    directives = {"page.html": [
        Directive("page.html", 2 * i + 1, 1, ("PHI001",), "reviewed", False, "phi-lint: ignore[PHI001] reviewed")
        for i in range(count)
    ]}
    directives["page.html"].append(Directive("page.html", 1, 1, ("PHI002",), "all", True, "phi-lint: file-ignore[PHI002] all"))
    findings = [
        Finding(rule, "error", Sighting("meta-pixel", "page.html", Span(2 * i + 2, 1, 2 * i + 2, 9), "pixel", "img",
                                        lines=(2 * i + 2,)), "Meta Pixel", "advertising", "m")
        for i in range(count) for rule in ("PHI001", "PHI002")
    ]
    _, elapsed = _elapsed(apply_inline, findings, directives)
    assert elapsed < 3.0  # was every finding against every directive: minutes
    assert all(f.suppression is not None for f in findings)
    assert {f.suppression.where for f in findings if f.rule_id == "PHI002"} == {"page.html:1"}
    assert findings[-2].suppression.where == f"page.html:{2 * count - 1}"


def test_scan_with_thousands_of_inline_ignores(tmp_path):
    lines = ["<!-- phi-lint: authenticated -->", "<!-- phi-lint: ignore[PHI001] BAA pending -->", META_PIXEL]
    lines += [f"<!-- phi-lint: ignore[PHI001] reviewed {i} -->" for i in range(5000)]  # below it: cover nothing
    write_tree(tmp_path, {"portal/page.html": "\n".join(lines) + "\n"})
    result = timed_scan(tmp_path)
    assert [f.suppression.justification for f in result.suppressed] == ["BAA pending"]
    assert len([f for f in result.findings if f.rule_id == "PHI900"]) == 5000  # each unused ignore is said


# --- the page graph ---------------------------------------------------------------------------------


def _template_chain(root: Path, count: int, folder: str, top_label: str | None = None) -> None:
    """t0 holds the pixel; t1 extends t0, t2 extends t1, …"""
    files = {f"{folder}/t0.html": META_PIXEL + "\n"}
    for i in range(1, count):
        label = f"{{# phi-lint: {top_label} #}}\n" if top_label and i == count - 1 else ""
        files[f"{folder}/t{i}.html"] = f'{label}{{% extends "t{i - 1}.html" %}}\n'
    write_tree(root, files)


def test_twelve_hundred_templates_extending_each_other(tmp_path):
    # 30 KB of templates: 600 took 19 s, 5.6 GB and a 790 MB report; 1,200 were killed
    from phi_lint.pagegraph.graph import MAX_CHAIN, Elided
    from phi_lint.reporters.json_report import render_json

    _template_chain(tmp_path, 1200, "portal")  # every page is under portal/: all authenticated
    result = timed_scan(tmp_path)
    [finding] = [f for f in result.findings if f.rule_id == "PHI001"]
    # every template is judged; the 1,199 that another extends are its layouts, not pages
    assert [reach.page for reach in finding.pages] == ["portal/t1199.html"]
    farthest = finding.pages[-1]
    assert farthest.page == "portal/t1199.html" and len(farthest.chain) == MAX_CHAIN
    assert [e.left_out for e in farthest.chain if isinstance(e, Elided)] == [1180]
    assert farthest.chain[-1] == "portal/t0.html"
    assert any("extends more than 32 layouts" in m for m in notes(result))
    started = time.monotonic()
    report = render_json(result)
    assert time.monotonic() - started < GUARD and len(report) < 50_000_000


def test_long_chain_in_sarif_steps_over_the_elided_middle(tmp_path):
    import json

    from phi_lint.reporters.sarif import render_sarif

    _template_chain(tmp_path, 60, "templates", top_label="authenticated")
    result = timed_scan(tmp_path)
    [finding] = [f for f in result.findings if f.rule_id == "PHI001"]
    assert [r.page for r in finding.pages] == ["templates/t59.html"]
    assert "… 40 more …" in finding.message
    [sarif_result] = json.loads(render_sarif(result))["runs"][0]["results"]
    steps = [loc["message"]["text"] for loc in sarif_result["relatedLocations"] if "Include chain" in loc["message"]["text"]]
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in sarif_result["relatedLocations"]]
    assert not any("more" in uri for uri in uris)  # the elided middle is not a file
    assert steps[0] == "Include chain of templates/t59.html, step 1: templates/t58.html renders templates/t57.html"
    assert "step 50: templates/t9.html renders templates/t8.html" in steps[8]  # numbered as in the whole chain
    assert steps[-1] == "Include chain of templates/t59.html, step 58: templates/t1.html renders templates/t0.html"
    assert len(steps) == 17


def test_page_and_layout_caps_are_said(monkeypatch):
    from phi_lint.models import Notification
    from phi_lint.pagegraph import graph as graph_module
    from phi_lint.pagegraph.model import Edge

    monkeypatch.setattr(graph_module, "MAX_PAGES", 50)
    said: list[Notification] = []
    edges = [Edge(f"page{i}.html", "partial.html", "include") for i in range(200)]
    edges += [Edge(f"l{i}.html", f"l{i + 1}.html", "extends") for i in range(100)]
    graph = graph_module.PageGraph(edges, said)
    assert len(graph.pages_reaching("partial.html")) == 50
    assert len(graph.layouts_of("l0.html")) == graph_module.MAX_LAYOUTS
    assert [(n.path, n.message) for n in said] == [
        ("partial.html", "page graph: more than 50 files render this one; the 50 nearest are judged"),
        ("l0.html", "page graph: this page extends more than 32 layouts; it takes its context from the 32 nearest"),
    ]
    graph.pages_reaching("partial.html")
    graph.layouts_of("l0.html")
    assert len(said) == 2  # worked out once


# --- users' vendor files ----------------------------------------------------------------------------

USER_VENDOR = (
    'id = "acme-beacon"\nname = "Acme Beacon"\ncategory = "analytics"\nkeywords = ["acme-beacon", "acmebeacon"]\n'
    "id_pattern = '^(a+)+$'\n"
    "[[urls]]\npattern = '{pattern}'\n"
    "[[calls]]\ncallee = \"acmeBeacon\"\nargs = ['^(a|a)+$']\nid_arg = 0\n"
)


def test_user_vendor_patterns_with_nested_quantifiers_run_in_linear_time(tmp_path):
    long_a = "a" * 5000
    write_tree(tmp_path, {
        "phi-lint.toml": 'vendor-dirs = ["tools/vendors"]\n[pages]\nauthenticated = ["portal/**"]\n',
        "tools/vendors/acme-beacon.toml": USER_VENDOR.format(pattern=r"acme-beacon\.example/(a+)+$"),
        "portal/url.html": (
            f'<script src="https://acme-beacon.example/{long_a}!"></script>\n'
            + "<p>…</p>\n" * 30
            + '<script src="https://acme-beacon.example/aaaa"></script>\n'
        ),
        "portal/call.js": f"acmeBeacon('{long_a}!');\n" + "var x = 1;\n" * 30 + f"acmeBeacon('{long_a}');\n",
    })
    result = timed_scan(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 portal/call.js:32 acme-beacon", "PHI001 portal/url.html:32 acme-beacon"]
    [call] = [f for f in result.findings if f.sighting.path == "portal/call.js"]
    assert call.sighting.account_id == long_a  # id_pattern `^(a+)+$` too


def test_user_vendor_pattern_that_re2_rejects_is_a_config_error(tmp_path):
    from phi_lint.errors import UserError

    write_tree(tmp_path, {
        "phi-lint.toml": 'vendor-dirs = ["v"]\n',
        "v/acme-beacon.toml": USER_VENDOR.format(pattern=r"acme-beacon\.example/(?=x)(a)\1"),
        "a.html": "",
    })
    with pytest.raises(UserError, match=r"acme-beacon\.toml: `urls\[0\]\.pattern`: .* is not supported by RE2"):
        scan_tree(tmp_path)


def test_shipped_vendor_patterns_stay_on_pythons_re():
    import re

    from phi_lint.catalogue import load_catalogue

    catalogue = load_catalogue()
    assert all(isinstance(sig.pattern.compiled(), re.Pattern) for vendor in catalogue for sig in vendor.urls)
