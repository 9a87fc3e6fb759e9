"""ColdFusion, Velocity and Mako as template dialects (issue 15): nesting comments, the request
functions of an Application.cfc, its guards, and hostile input staying linear."""

from __future__ import annotations

import time

from helpers import finding_lines, scan_tree, write_tree

from phi_lint.discovery import classify
from phi_lint.frameworks.coldfusion import read_application
from phi_lint.pagegraph.templates_server import function_bodies
from phi_lint.parsers.template_comments import blank_comments

GTAG = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>'


def test_coldfusion_comments_nest_and_win_over_html_comments():
    text = "a <!--- x <!--- y ---> z ---> b <!-- c --> d"
    assert blank_comments(text, ("html", "coldfusion")).split() == ["a", "b", "d"]
    # HTML's own comment ends at the first `-->`: only the nesting form hides `z`
    assert "z" in blank_comments(text, ("html",))


def test_an_unclosed_nesting_comment_is_no_comment_and_stays_linear():
    assert blank_comments("a <!--- x <!--- y ---> z", ("coldfusion",)) == "a <!--- x <!--- y ---> z"
    hostile = "<!--- " * 40000 + "--->" * 100
    start = time.perf_counter()
    blank_comments(hostile, ("html", "coldfusion"))
    assert time.perf_counter() - start < 2


def test_velocity_and_mako_line_comments():
    assert blank_comments("a ## x\nb #* y *# c", ("velocity",)).split() == ["a", "b", "c"]
    assert blank_comments("a\n  ## x\nb <%doc>y</%doc> c", ("mako",)).split() == ["a", "b", "c"]
    assert blank_comments("<a href='x'>color##</a>", ("mako",)) == "<a href='x'>color##</a>"  # mid-word: no comment


def test_request_functions_in_tag_and_script_syntax():
    tags = '<cfcomponent><cffunction name="onRequestStart">A</cffunction><cffunction name="onError">B</cffunction></cfcomponent>'
    assert [(name, tags[s:e]) for name, s, e in function_bodies(tags, ("onrequeststart",))] == [("onrequeststart", "A")]
    script = 'component { function onRequestStart(t) { if (x) { y("}"); } } function onError(e) { z(); } }'
    ((name, start, end),) = function_bodies(script, ("onrequeststart",))
    assert script[start:end].strip() == 'if (x) { y("}"); }'


def test_only_a_negated_check_that_redirects_is_a_guard():
    guarded = read_application("Application.cfm", '<cfif NOT isDefined("session.user")><cflocation url="login.cfm"></cfif>')
    assert [g.line for g in guarded.guards] == [1] and guarded.sign_in[0] == "login.cfm"
    for text in ('<cfif isDefined("session.user")><cflocation url="home.cfm"></cfif>',
                 '<cfif NOT isDefined("session.user")><cfset session.visits = 0></cfif>',
                 '<!--- <cfif NOT isDefined("session.user")><cflocation url="login.cfm"></cfif> --->'):
        assert read_application("Application.cfm", text).guards == (), text


def test_the_includes_of_on_error_reach_no_page(tmp_path):
    write_tree(tmp_path, {
        "Application.cfc": '<cfcomponent><cffunction name="onRequestStart"><cfif NOT isDefined("session.user")>'
                           '<cflocation url="login.cfm"></cfif></cffunction>\n'
                           '<cffunction name="onError"><cfinclude template="inc/error.cfm"></cffunction></cfcomponent>\n',
        "login.cfm": "<form><input type=password name=p></form>\n",
        "inc/error.cfm": GTAG + "\n",
        "records.cfm": "<h1>Records</h1>\n",
    })
    lines = finding_lines(scan_tree(tmp_path, use_cache=False), tmp_path)
    # inc/error.cfm is a guarded page of its own (the server would serve it), not part of records.cfm
    assert lines == ["PHI001 inc/error.cfm:1 google-analytics"]


def test_coldfusion_files_are_markup_and_the_framework_is_modelled(tmp_path):
    assert classify("index.cfm") == classify("Application.cfc") == classify("x.vm") == classify("x.mako") == "markup"
    write_tree(tmp_path, {"Application.cfc": "<cfcomponent></cfcomponent>\n", "index.cfm": "<h1>Hi</h1>\n"})
    result = scan_tree(tmp_path, use_cache=False)
    assert not result.unread.plain_text and not result.unread.frameworks


def test_pages_the_check_lets_through_are_page_names_in_conditions_or_lists():
    text = ('<cffunction name="onRequestStart"><cfset local.pages = ["signup.cfm","login.cfm"]>\n'
            '<cfif NOT structKeyExists(session,"username") AND NOT arrayFindNoCase(local.pages, ListLast(CGI.SCRIPT_NAME,"/"))>\n'
            '<cflocation url="login.cfm"></cfif></cffunction>')
    app = read_application("Application.cfc", text)
    assert app.exempt == {"signup.cfm", "login.cfm"} and not app.guards[0].weak
    # a word that may as well name the guarded page is no exemption; the redirect under it is weak
    script = ('component { function onRequestStart(t) { if (!structKeyExists(session, "user")) {\n'
              'if (find("contact", t) > 0) { location("/app/pages/login.cfm", false); } } } }')
    app = read_application("Application.cfc", script)
    assert app.exempt == frozenset() and app.guards[0].weak
