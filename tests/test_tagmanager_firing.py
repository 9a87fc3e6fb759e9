"""Where a tag fires: built-in All Pages ids, unfiltered page-view triggers, every condition
operator with and without negation, blocking triggers, setup/teardown inheritance, custom
events, interactions, trigger groups, unknown triggers, regex examples."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from phi_lint.tagmanager import analyze_export
from phi_lint.tagmanager.firing import fires, is_broad, regex_examples, summary, witnesses

sys.path.insert(0, str(Path(__file__).parent / "tagmanager_cases"))
from gtmbuild import cond, export, p, tag, trig, var  # noqa: E402

HOTJAR = [p("hotjar_site_id", "3712345")]


def scopes(analyzer, tags, triggers=(), variables=(), spelling="export"):
    result = analyze_export("x.json", export(tags, triggers, variables, spelling=spelling), analyzer)
    return {s.details["tagName"]: s.details["scope"] for s in result.sightings}, result


def scope_of(analyzer, firing, triggers=(), blocking=(), variables=(), spelling="export"):
    found, result = scopes(analyzer, [tag("t", "hjtc", HOTJAR, firing=firing, blocking=blocking)], triggers, variables, spelling)
    return found["t"], result


@pytest.mark.parametrize("trigger_id", ["2147479553", "2147479572", "2147479573", "2147479574"])
def test_built_in_all_pages_ids(analyzer, trigger_id):
    scope, result = scope_of(analyzer, [trigger_id])
    assert result.problems == []
    assert fires(scope, "/") is True and fires(scope, "/portal/messages") is True
    assert is_broad(scope)


@pytest.mark.parametrize("kind", ["PAGEVIEW", "DOM_READY", "WINDOW_LOADED", "INIT", "CONSENT_INIT", "HISTORY_CHANGE"])
@pytest.mark.parametrize("spelling", ["export", "api"])
def test_unfiltered_page_view_like_triggers_fire_everywhere(analyzer, kind, spelling):
    scope, _ = scope_of(analyzer, ["5"], [trig("5", "pv", kind)], spelling=spelling)
    assert fires(scope, "/anything") is True


OPERATORS = [
    # op, value, path that matches, path that does not
    ("EQUALS", "/portal", "/portal", "/portal/x"),
    ("CONTAINS", "portal", "/my/portal/x", "/about"),
    ("STARTS_WITH", "/portal", "/portal/x", "/x/portal"),
    ("ENDS_WITH", "/thank-you", "/book/thank-you", "/thank-you/x"),
    ("MATCH_REGEX", "^/(book|schedule)", "/schedule/now", "/about/book"),
    ("MATCH_REGEX", "portal$", "/patient/portal", "/portal/x"),
]


@pytest.mark.parametrize("op,value,yes,no", OPERATORS)
@pytest.mark.parametrize("spelling", ["export", "api"])
def test_each_operator_and_its_negation(analyzer, op, value, yes, no, spelling):
    positive, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond(op, "Page Path", value)])], spelling=spelling)
    negative, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond(op, "Page Path", value, negate=True)])], spelling=spelling)
    assert (fires(positive, yes), fires(positive, no)) == (True, False)
    assert (fires(negative, yes), fires(negative, no)) == (False, True)


def test_regex_ignore_case_and_js_named_groups(analyzer):
    strict, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond("MATCH_REGEX", "Page Path", "^/Portal")])])
    loose, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond("MATCH_REGEX", "Page Path", "^/Portal", ignore_case=True)])])
    named, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond("MATCH_REGEX", "Page Path", "^/(?<area>portal)")])])
    broken, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond("MATCH_REGEX", "Page Path", "^/(portal")])])
    assert fires(strict, "/portal") is False and fires(loose, "/portal") is True and fires(named, "/portal") is True
    assert fires(broken, "/portal") is None  # an invalid regex: unknown, not "never"


def test_conditions_within_a_trigger_are_anded_triggers_are_ored(analyzer):
    both = trig("5", "both", filters=[cond("STARTS_WITH", "Page Path", "/book"), cond("CONTAINS", "Page Path", "dental")])
    other = trig("6", "other", filters=[cond("EQUALS", "Page Path", "/pharmacy")])
    scope, _ = scope_of(analyzer, ["5", "6"], [both, other])
    assert fires(scope, "/book/dental") is True
    assert fires(scope, "/book/eye") is False
    assert fires(scope, "/pharmacy") is True


def test_page_url_and_hostname_conditions(analyzer):
    url = trig("5", "url", filters=[cond("CONTAINS", "Page URL", "/patient-portal")])
    host_url = trig("6", "host url", filters=[cond("MATCH_REGEX", "Page URL", "^https://www\\.clinic\\.example/(book|schedule)")])
    hostname = trig("7", "host", filters=[cond("EQUALS", "Page Hostname", "www.clinic.example")])
    by_url, _ = scope_of(analyzer, ["5"], [url])
    by_host_url, _ = scope_of(analyzer, ["6"], [host_url])
    by_hostname, _ = scope_of(analyzer, ["7"], [hostname])
    assert fires(by_url, "/patient-portal/home") is True and fires(by_url, "/about") is False
    assert fires(by_host_url, "/book") is None and fires(by_host_url, "/about") is False  # depends on the host
    assert fires(by_hostname, "/portal") is None


def test_url_variable_with_a_path_component_counts_as_the_page_path(analyzer):
    path_var = var("URL - path", "u", p("component", "PATH"))
    query_var = var("URL - query", "u", p("component", "QUERY"), p("queryKey", "q"))
    scope, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond("STARTS_WITH", "URL - path", "/portal")])], variables=[path_var])
    other, _ = scope_of(analyzer, ["5"], [trig("5", "t", filters=[cond("EQUALS", "URL - query", "x")])], variables=[query_var])
    assert fires(scope, "/portal/x") is True and fires(scope, "/about") is False
    assert fires(other, "/portal") is None


def test_blocking_trigger_excludes_pages(analyzer):
    block = trig("8", "portal", filters=[cond("STARTS_WITH", "Page Path", "/portal")])
    scope, _ = scope_of(analyzer, ["2147479553"], [block], blocking=["8"])
    assert fires(scope, "/portal/inbox") is False
    assert fires(scope, "/appointments") is True
    assert is_broad(scope)
    assert "unless 'portal'" in summary(scope)


def test_blocking_trigger_that_cannot_be_evaluated_does_not_exclude(analyzer):
    block = trig("8", "clicks", "CLICK", auto=[cond("CONTAINS", "Click URL", "logout")])
    scope, _ = scope_of(analyzer, ["2147479553"], [block], blocking=["8"])
    assert fires(scope, "/portal") is None


def test_custom_events_interactions_and_groups(analyzer):
    event = trig("5", "ce", "CUSTOM_EVENT", custom=[cond("EQUALS", "_event", "appointment_booked")])
    event_on_path = trig("6", "ce path", "CUSTOM_EVENT", custom=[cond("EQUALS", "_event", "lead")],
                         filters=[cond("CONTAINS", "Page Path", "/appointments")])
    form = trig("7", "form", "FORM_SUBMISSION", filters=[cond("STARTS_WITH", "Page Path", "/intake")])
    click = trig("9", "click", "CLICK", auto=[cond("CONTAINS", "Click Text", "Book")])
    group = trig("10", "group", "TRIGGER_GROUP", parameter=[
        {"type": "LIST", "key": "triggerIds", "list": [p("0", "7", "TRIGGER_REFERENCE"), p("1", "2147479553", "TRIGGER_REFERENCE")]}])
    found, _ = scopes(analyzer, [
        tag("event", "hjtc", HOTJAR, firing=["5"]), tag("event path", "hjtc", HOTJAR, firing=["6"]),
        tag("form", "hjtc", HOTJAR, firing=["7"]), tag("click", "hjtc", HOTJAR, firing=["9"]),
        tag("group", "hjtc", HOTJAR, firing=["10"]),
    ], [event, event_on_path, form, click, group])
    assert fires(found["event"], "/anything") is None  # wherever the site pushes the event
    assert fires(found["event path"], "/appointments/new") is None and fires(found["event path"], "/about") is False
    assert fires(found["form"], "/intake/step-1") is True and fires(found["form"], "/about") is False
    assert fires(found["click"], "/about") is None
    assert fires(found["group"], "/intake/a") is True and fires(found["group"], "/about") is False


def test_paused_no_trigger_unknown_trigger_and_server(analyzer):
    result = analyze_export("x.json", export([
        tag("paused", "hjtc", HOTJAR, paused=True),
        tag("no trigger", "hjtc", HOTJAR, firing=None),
        tag("missing", "hjtc", HOTJAR, firing=["42"]),
    ]), analyzer)
    found = {s.details["tagName"]: s.details["scope"] for s in result.sightings}
    assert found["paused"]["kind"] == "never" and found["paused"]["reason"] == "paused"
    assert fires(found["paused"], "/") is False
    assert found["no trigger"]["kind"] == "never"
    assert found["missing"]["kind"] == "unknown" and fires(found["missing"], "/") is None
    assert any("trigger 42 (not in this export)" in problem for problem in result.problems)
    server = analyze_export("s.json", export([tag("GA4", "sgtmgaaw", firing=["1"])],
                                             [trig("1", "always", "ALWAYS")], usage="SERVER"), analyzer)
    (sighting,) = server.sightings
    assert sighting.details["scope"]["kind"] == "server" and server.usage == "server"


def test_setup_and_teardown_tags_inherit_their_main_tags_firing(analyzer):
    booking = trig("5", "booking", filters=[cond("STARTS_WITH", "Page Path", "/book")])
    careers = trig("6", "careers", filters=[cond("STARTS_WITH", "Page Path", "/careers")])
    tags = [
        tag("base", "hjtc", HOTJAR, firing=["6"]),
        tag("cleanup", "bzi", [p("id", "4412345")], firing=None),
        tag("event", "flc", [p("advertiserId", "8812345")], firing=["5"],
            setupTag=[{"tagName": "base", "stopOnSetupFailure": True}], teardownTag=[{"tagName": "cleanup"}]),
        tag("paused main", "awct", [p("conversionId", "123456789")], paused=True, setupTag=[{"tagName": "chained"}]),
        tag("chained", "baut", [p("tagId", "187654321")], firing=None),
    ]
    found, _ = scopes(analyzer, tags, [booking, careers])
    assert fires(found["base"], "/careers") is True and fires(found["base"], "/book/now") is True
    assert any(r["via"] == "setup tag of 'event'" for r in found["base"]["rules"])
    assert found["cleanup"]["kind"] == "pages" and fires(found["cleanup"], "/book") is True
    assert fires(found["cleanup"], "/careers") is False
    assert found["chained"]["kind"] == "never"  # its main tag is paused


def test_setup_inheritance_is_transitive(analyzer):
    booking = trig("5", "booking", filters=[cond("STARTS_WITH", "Page Path", "/book")])
    tags = [
        tag("a", "hjtc", HOTJAR, firing=["5"], setupTag=[{"tagName": "b"}]),
        tag("b", "bzi", [p("id", "4412345")], firing=None, setupTag=[{"tagName": "c"}]),
        tag("c", "baut", [p("tagId", "187654321")], firing=None, setupTag=[{"tagName": "a"}]),  # a cycle
    ]
    found, _ = scopes(analyzer, tags, [booking])
    assert all(fires(found[name], "/book") is True for name in "abc")


def test_regex_examples_and_witnesses(analyzer):
    assert regex_examples("^/(book|schedule)") == ["/book", "/schedule"]
    assert "/patient-portal/" in regex_examples("^/patient-portal/?")
    assert regex_examples("(") == []
    assert all(len(e) <= 200 for e in regex_examples("a{1000000}(b{99999}|c)+"))  # bounded
    booking = trig("5", "booking", filters=[cond("MATCH_REGEX", "Page Path", "^/(book|schedule)"),
                                           cond("CONTAINS", "Page Path", "/careers", negate=True)])
    scope, _ = scope_of(analyzer, ["5"], [booking])
    paths = [path for path, _condition in witnesses(scope)]
    assert paths == ["/book", "/schedule"]  # negated conditions name no witness
