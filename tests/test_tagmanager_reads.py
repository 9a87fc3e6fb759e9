"""What a tag can read: {{Variable}} references followed through variables and lookup tables
to DOM elements, JavaScript, custom JavaScript, data-layer keys, user-provided data and the
Form/Click built-ins; unresolved variables are notifications."""

from __future__ import annotations

import sys
from pathlib import Path

from phi_lint.tagmanager import analyze_export

sys.path.insert(0, str(Path(__file__).parent / "tagmanager_cases"))
from gtmbuild import export, html_tag, lst, p, row, tag, var  # noqa: E402


def ga4_event(*values: str) -> dict:
    rows = [row(name=f"p{i}", value=v) for i, v in enumerate(values)]
    return tag("GA4 event", "gaawe", [p("eventName", "submit"), p("measurementIdOverride", "G-AB12CD34EF"),
                                      lst("eventParameters", rows)])


def reads_of(analyzer, tags, variables=(), builtins=()):
    result = analyze_export("x.json", export(tags, variables=variables, builtins=builtins), analyzer)
    return {t["tagName"]: t["reads"] for t in result.tags}, result


def test_dom_element_js_variable_and_custom_javascript(analyzer):
    variables = [
        var("DOM - reason", "d", p("selectorType", "CSS"), p("elementSelector", "#visit-reason"), p("attributeName", "value")),
        var("JS - user", "j", p("name", "sessionStorage.gtm_user_data")),
        var("CJS - name", "jsm", p("javascript", "function(){var i=document.querySelector('input[name=\"name\"]');return i?i.value:undefined;}")),
        var("CJS - constant", "jsm", p("javascript", "function(){return 'x';}")),
    ]
    found, result = reads_of(analyzer, [ga4_event("{{DOM - reason}}", "{{JS - user}}", "{{CJS - name}}", "{{CJS - constant}}")], variables)
    assert result.problems == []
    reads = found["GA4 event"]
    assert [r["variable"] for r in reads] == ["DOM - reason", "JS - user", "CJS - name"]
    assert reads[0]["type"] == "d" and "#visit-reason" in reads[0]["what"]
    assert "sessionStorage.gtm_user_data" in reads[1]["what"]


def test_data_layer_keys_name_personal_or_health_data(analyzer):
    variables = [
        var("DLV - email", "v", p("name", "user_data.email_address")),
        var("DLV - reason", "v", p("name", "ecommerce.visit_reason")),
        var("DLV - page type", "v", p("name", "page.type")),
        var("DLV - event name", "v", p("name", "event.name")),
    ]
    found, _ = reads_of(analyzer, [ga4_event("{{DLV - email}}", "{{DLV - reason}}", "{{DLV - page type}}", "{{DLV - event name}}")], variables)
    assert [r["variable"] for r in found["GA4 event"]] == ["DLV - email", "DLV - reason"]


def test_followed_through_lookup_tables_and_nested_references(analyzer):
    variables = [
        var("Lookup - reason by path", "smm", p("input", "{{Page Path}}"), lst("map", [row(key="/intake", value="{{DOM - reason}}")]),
            p("defaultValue", "none")),
        var("DOM - reason", "d", p("selectorType", "ID"), p("elementId", "reason")),
        var("RegEx - email", "remm", p("input", "{{CJS - email}}")),
        var("CJS - email", "jsm", p("javascript", "function(){return document.getElementById('email').value;}")),
    ]
    found, _ = reads_of(analyzer, [ga4_event("{{Lookup - reason by path}}", "{{RegEx - email}}")], variables)
    reads = {r["variable"]: r for r in found["GA4 event"]}
    assert reads["DOM - reason"]["via"] == ["Lookup - reason by path"]
    assert reads["CJS - email"]["via"] == ["RegEx - email"]


def test_user_provided_data_and_google_tag_settings(analyzer):
    variables = [
        var("UPD - auto", "awec", p("mode", "AUTO")),
        var("UPD - manual", "awec", p("mode", "MANUAL"), p("email", "{{DLV - email}}")),
        var("DLV - email", "v", p("name", "email")),
        var("GT settings", "gtcs", lst("configSettingsTable", [row(parameter="user_data.email_address", parameterValue="{{DLV - email}}")])),
        var("GT settings - plain", "gtcs", lst("configSettingsTable", [row(parameter="send_page_view", parameterValue="true")])),
    ]
    ads = tag("Ads", "awct", [p("conversionId", "123456789"), p("userDataVariable", "{{UPD - auto}}")])
    manual = tag("Ads manual", "awct", [p("conversionId", "123456789"), p("userDataVariable", "{{UPD - manual}}")])
    google = tag("Google tag", "googtag", [p("tagId", "G-AB12CD34EF"), p("configSettingsVariable", "{{GT settings}}")])
    plain = tag("Google tag plain", "googtag", [p("tagId", "G-AB12CD34EF"), p("configSettingsVariable", "{{GT settings - plain}}")])
    found, _ = reads_of(analyzer, [ads, manual, google, plain], variables)
    assert "automatic mode" in found["Ads"][0]["what"]
    assert [r["variable"] for r in found["Ads manual"]] == ["UPD - manual", "DLV - email"]
    assert [r["variable"] for r in found["Google tag"]] == ["GT settings", "DLV - email"]
    assert found["Google tag plain"] == []


def test_form_and_click_built_ins_and_auto_event_variables(analyzer):
    variables = [var("AEV - text", "aev", p("varType", "TEXT")), var("AEV - url", "aev", p("varType", "URL"))]
    found, result = reads_of(analyzer, [ga4_event("{{Form Text}}", "{{Click Element}}", "{{Page Path}}", "{{AEV - text}}",
                                                  "{{AEV - url}}", "{{Form ID}}")], variables)
    assert [r["variable"] for r in found["GA4 event"]] == ["Form Text", "Click Element", "AEV - text"]
    assert result.problems == []


def test_custom_html_reads(analyzer):
    body = ("<script>var v = document.querySelector('#dob').value;"
            "fbq('init', '123456789012345', {em: '{{DLV - email}}'});</script>")
    found, _ = reads_of(analyzer, [html_tag("Meta", body)], [var("DLV - email", "v", p("name", "user.email"))])
    whats = [r["what"] for r in found["Meta"]]
    assert any("data layer key user.email" in w for w in whats)
    assert any("form field" in w for w in whats) and any("advanced-matching" in w for w in whats)


def test_unresolved_variables_are_notifications_not_errors(analyzer):
    found, result = reads_of(analyzer, [ga4_event("{{MG - Track Calls}}", "{{Page URL}}", "{{Custom Built-in}}")],
                             builtins=[("CUSTOM_BUILT_IN", "Custom Built-in")])
    assert found["GA4 event"] == []
    (problem,) = result.problems
    assert "{{MG - Track Calls}}" in problem and "unresolved" in problem and "Page URL" not in problem


def test_reads_go_into_the_sighting_details(analyzer):
    result = analyze_export("x.json", export([ga4_event("{{DOM - reason}}")],
                                             variables=[var("DOM - reason", "d", p("elementSelector", "#r"))]), analyzer)
    (sighting,) = result.sightings
    assert sighting.details["reads"][0]["variable"] == "DOM - reason"
