"""The gitlab-sast and junit reports: valid against our own schemas of what GitLab and the CI test
tabs require (tests/data/README.md says what each checks), read back by a JUnit consumer library,
complete, stable, and safe with hostile names."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from helpers import REPO, run_cli, scan_tree, write_tree

from phi_lint.reporters.gitlab import build_report, render_gitlab
from phi_lint.reporters.junit import render_junit
from phi_lint.scan import ScanOptions, scan

DATA = REPO / "tests" / "data"
FIXTURES = ("flask-portal", "nextjs-app", "rails-portal", "static-health-site", "gtm-exports")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

PORTAL = {
    "app.py": "from flask_login import login_required\n@app.route('/portal')\n@login_required\ndef portal():\n    return render_template('portal/home.html')\n",
    "templates/portal/home.html": (
        "<html><head><title>My chart</title></head><body>\n"
        "{# phi-lint: ignore[PHI001] reviewed: BAA ticket SEC-9 #}\n"
        "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-ABCDE12345\"></script>\n"
        "<script src=\"https://static.hotjar.com/c/hotjar-123456.js?sv=6\"></script>\n"
        "</body></html>\n"
    ),
    "templates/conditions/asthma.html": (
        "<html><head><title>Asthma treatment</title></head><body>\n"
        "<script>!function(f,b,e,v,n,t,s){n=f.fbq=function(){};}(window,document,'script');"
        "fbq('init', '123456789012345');</script>\n</body></html>\n"
    ),
}


@pytest.fixture(scope="module")
def gitlab_validator():
    from jsonschema import Draft202012Validator

    schema = json.loads((DATA / "gitlab-sast-report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def junit_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(DATA / "junit-report.xsd"))


@pytest.fixture(scope="module")
def fixture_results():
    return {name: scan(ScanOptions(paths=[REPO / "fixtures" / name], use_cache=False)) for name in FIXTURES}


def _errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


# --- GitLab SAST ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_gitlab_report_of_each_fixture_is_valid_against_gitlabs_schema(name, fixture_results, gitlab_validator):
    result = fixture_results[name]
    document = json.loads(render_gitlab(result))
    assert _errors(gitlab_validator, document) == []
    assert len(document["vulnerabilities"]) == len(result.findings) > 0
    assert document["version"] == "15.0.7" and document["schema"].endswith("/v15.0.7/dist/sast-report-format.json")


def _set(path: str, value):
    """A change to a report: set the value at a slash-separated path (DELETE removes the key)."""

    def change(document):
        *parents, last = path.split("/")
        node = document
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value

    return change


DELETE = object()
GITLAB_BREAKAGES = {
    # what GitLab requires, broken one at a time: (change, the path the error must point at)
    "no version": (_set("version", DELETE), ""),
    "version not x.y.z": (_set("version", "15.0"), "version"),
    "no scan": (_set("scan", DELETE), ""),
    "no vulnerabilities": (_set("vulnerabilities", DELETE), ""),
    "no analyzer": (_set("scan/analyzer", DELETE), "scan"),
    "analyzer without vendor": (_set("scan/analyzer/vendor", DELETE), "scan/analyzer"),
    "scanner without version": (_set("scan/scanner/version", DELETE), "scan/scanner"),
    "scanner vendor name empty": (_set("scan/scanner/vendor/name", ""), "scan/scanner/vendor/name"),
    "scan type not sast": (_set("scan/type", "dast"), "scan/type"),
    "start time with a space": (_set("scan/start_time", "2024-01-01 10:00:00"), "scan/start_time"),
    "end time with a zone": (_set("scan/end_time", "2024-01-01T10:00:00Z"), "scan/end_time"),
    "status not in the enum": (_set("scan/status", "ok"), "scan/status"),
    "message level not in the enum": (_set("scan/messages", [{"level": "warning", "value": "x"}]), "scan/messages/0/level"),
    "vulnerability without id": (_set("vulnerabilities/0/id", DELETE), "vulnerabilities/0"),
    "severity not in the enum": (_set("vulnerabilities/0/severity", "error"), "vulnerabilities/0/severity"),
    "no identifiers": (_set("vulnerabilities/0/identifiers", []), "vulnerabilities/0/identifiers"),
    "identifier without value": (_set("vulnerabilities/0/identifiers/0/value", DELETE), "vulnerabilities/0/identifiers/0"),
    "identifier url not a web address": (_set("vulnerabilities/0/identifiers/0/url", "mailto:x@example.org"), "vulnerabilities/0/identifiers/0/url"),
    "no location": (_set("vulnerabilities/0/location", DELETE), "vulnerabilities/0"),
    "location without file (ours)": (_set("vulnerabilities/0/location/file", DELETE), "vulnerabilities/0/location"),
    "start line not an integer (ours)": (_set("vulnerabilities/0/location/start_line", "3"), "vulnerabilities/0/location/start_line"),
    "name over 255": (_set("vulnerabilities/0/name", "n" * 256), "vulnerabilities/0/name"),
    "solution over 7000": (_set("vulnerabilities/0/solution", "s" * 7001), "vulnerabilities/0/solution"),
    "description over 1 MiB": (_set("vulnerabilities/0/description", "d" * (1024 * 1024 + 1)), "vulnerabilities/0/description"),
    "flag of an unknown type": (
        _set("vulnerabilities/0/flags", [{"type": "false-positive", "origin": "phi-lint", "description": "x"}]),
        "vulnerabilities/0/flags/0/type",
    ),
    "text detail without value": (_set("vulnerabilities/0/details/category/value", DELETE), "vulnerabilities/0/details/category"),
}


@pytest.mark.parametrize("breakage", sorted(GITLAB_BREAKAGES))
def test_the_schema_rejects_a_report_that_breaks_a_gitlab_requirement(breakage, gitlab_validator, fixture_results):
    """Our schema is not a pushover: each requirement, broken alone, fails it exactly there."""
    document = json.loads(render_gitlab(fixture_results["flask-portal"]))  # as GitLab reads it
    assert _errors(gitlab_validator, document) == []
    change, where = GITLAB_BREAKAGES[breakage]
    change(document)
    errors = [e for e in gitlab_validator.iter_errors(document)]
    assert errors, f"{breakage}: accepted"
    assert {"/".join(map(str, e.absolute_path)) for e in errors} == {where}, _errors(gitlab_validator, document)


def test_gitlab_vulnerability_fields(fixture_results):
    result = fixture_results["flask-portal"]
    document = build_report(result)
    by_location = {(v["location"]["file"], v["location"]["start_line"], v["identifiers"][0]["value"]): v for v in document["vulnerabilities"]}
    for finding in result.findings:
        s = finding.sighting
        vulnerability = by_location[(s.path, s.span.line, finding.rule_id)]
        assert UUID.match(vulnerability["id"])
        assert vulnerability["id"].replace("-", "") == finding.fingerprint
        assert vulnerability["identifiers"][0]["type"] == "phi_lint_rule_id"
        assert vulnerability["identifiers"][0]["url"].startswith("https://")
        assert vulnerability["raw_source_code_extract"] == s.snippet
        assert vulnerability["solution"]
        assert vulnerability["details"]["fingerprint"]["value"] == finding.fingerprint
        for reach in finding.pages[:10]:
            assert reach.page in vulnerability["description"]
    scan_part = document["scan"]
    assert scan_part["analyzer"]["id"] == scan_part["scanner"]["id"] == "phi-lint"
    assert scan_part["status"] == "success" and scan_part["type"] == "sast"
    assert scan_part["start_time"] <= scan_part["end_time"]
    assert {i["value"] for i in scan_part["primary_identifiers"]} == result.rules


def test_gitlab_severity_follows_security_severity_capped_by_level(fixture_results):
    from phi_lint.reporters.gitlab import severity
    from phi_lint.rulebook import load_rules

    rules = load_rules()
    seen = {}
    for result in fixture_results.values():
        for finding in result.findings:
            seen[(finding.rule_id, finding.level)] = severity(finding, rules[finding.rule_id])
    assert seen[("PHI001", "error")] == "High"
    assert seen[("PHI002", "warning")] == "Medium"
    assert seen[("PHI003", "error")] == "High"
    assert seen[("PHI004", "error")] == "Critical"
    assert seen[("PHI100", "note")] == "Info"
    # a warning is never above Medium, whatever the rule's score
    assert all(value in ("Medium", "Low", "Info") for (rule, level), value in seen.items() if level == "warning")


def test_gitlab_ids_are_stable_between_runs_and_moves(tmp_path):
    root = write_tree(tmp_path / "site", PORTAL)
    first = {v["identifiers"][0]["value"] + v["location"]["file"]: v["id"] for v in build_report(scan_tree(root, use_cache=False))["vulnerabilities"]}
    page = root / "templates/portal/home.html"
    page.write_text("\n\n\n" + page.read_text(encoding="utf-8"), encoding="utf-8")  # every line moves
    second = {v["identifiers"][0]["value"] + v["location"]["file"]: v["id"] for v in build_report(scan_tree(root, use_cache=False))["vulnerabilities"]}
    assert first == second and first


def test_gitlab_leaves_suppressed_findings_out_unless_asked_then_flags_them(tmp_path, gitlab_validator):
    root = write_tree(tmp_path / "site", PORTAL)
    result = scan_tree(root, use_cache=False)
    assert result.suppressed, "the inline ignore must cover the GA finding"
    plain = build_report(result)
    ids = {v["id"] for v in plain["vulnerabilities"]}
    suppressed_ids = {f.fingerprint for f in result.suppressed}
    assert not {i.replace("-", "") for i in ids} & suppressed_ids
    result.include_suppressed = True
    full = build_report(result)
    assert _errors(gitlab_validator, full) == []
    flagged = [v for v in full["vulnerabilities"] if v.get("flags")]
    assert {v["id"].replace("-", "") for v in flagged} == suppressed_ids
    assert all("reviewed: BAA ticket SEC-9" in v["flags"][0]["description"] for v in flagged)
    assert all(v["flags"][0]["type"] == "flagged-as-likely-false-positive" for v in flagged)


def test_gitlab_description_escapes_markdown_from_the_repository(tmp_path, gitlab_validator):
    hostile = "templates/portal/[click](https:evil.example)*x*.html"
    root = write_tree(tmp_path / "site", {**PORTAL, hostile: PORTAL["templates/portal/home.html"].replace("{#", "{#x")})
    document = build_report(scan_tree(root, use_cache=False))
    assert _errors(gitlab_validator, document) == []
    described = [v["description"] for v in document["vulnerabilities"] if "click" in v["description"]]
    assert described and all("[click](" not in text and "\\[click\\]" in text for text in described)


def test_gitlab_and_junit_formats_through_the_cli(tmp_path, gitlab_validator, junit_schema):
    root = write_tree(tmp_path / "site", PORTAL)
    out = tmp_path / "gl-sast-report.json"
    done = run_cli("-f", "gitlab-sast", "-o", str(out), "--no-cache", str(root))
    assert done.returncode == 1, done.stderr
    assert _errors(gitlab_validator, json.loads(out.read_text(encoding="utf-8"))) == []
    done = run_cli("--format", "junit", "--no-cache", str(root))
    assert done.returncode == 1, done.stderr
    junit_schema.validate(done.stdout)


# --- JUnit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_junit_report_of_each_fixture_is_valid_against_our_junit_xsd(name, fixture_results, junit_schema):
    from phi_lint.reporters.common import failing

    result = fixture_results[name]
    text = render_junit(result)
    junit_schema.validate(text)
    root = ET.fromstring(text)
    failing_findings = failing(result.findings)
    assert int(root.get("failures")) == len(failing_findings) == len(root.findall(".//failure"))
    # a suite per file, each counting its own cases
    assert [s.get("name") for s in root.findall("testsuite")] == sorted({f.sighting.path for f in failing_findings})
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))


def test_junit_failure_holds_message_location_pages_and_fix(fixture_results):
    result = fixture_results["flask-portal"]
    root = ET.fromstring(render_junit(result))
    for finding in [f for f in result.findings if f.level != "note"]:
        s = finding.sighting
        case = next(
            c for c in root.iter("testcase")
            if c.get("classname") == s.path and c.get("name") == f"{finding.rule_id} {finding.vendor_name} at {s.span.line}:{s.span.column}"
        )
        failure = case.find("failure")
        assert failure.get("type") == finding.rule_id
        assert failure.get("message") == finding.message
        assert f"{s.path}:{s.span.line}:{s.span.column}" in failure.text
        assert f"Fix: {finding.help_hint}" in failure.text
        assert all(reach.page in failure.text for reach in finding.pages[:10])


def _readback_mismatches(text: str, result) -> list[str]:
    """What junitparser, a JUnit consumer library, reads from a report that differs from the
    failing findings: counts at each level, and each failure's file, rule and message."""
    from junitparser import Failure, JUnitXml

    from phi_lint.reporters.common import failing

    report = JUnitXml.fromstring(text)
    findings = failing(result.findings)
    mismatches = []
    suites = list(report)
    if report.failures != len(findings):
        mismatches.append(f"report failures {report.failures} != {len(findings)} findings")
    if report.tests != sum(len(list(suite)) for suite in suites):
        mismatches.append(f"report tests {report.tests} != the test cases in it")
    read = []
    for suite in suites:
        cases = list(suite)
        failed = [(case, r) for case in cases for r in case.result if isinstance(r, Failure)]
        if (suite.tests, suite.failures) != (len(cases), len(failed)):
            mismatches.append(f"suite {suite.name}: tests {suite.tests}, failures {suite.failures} != {len(cases)}, {len(failed)}")
        read.extend((suite.name, case.classname, r.type, r.message) for case, r in failed)
    wanted = [(f.sighting.path, f.sighting.path, f.rule_id, f.message) for f in findings]
    if sorted(read) != sorted(wanted):
        mismatches.append(f"failures read {sorted(read)} != findings {sorted(wanted)}")
    return mismatches


@pytest.mark.parametrize("name", FIXTURES)
def test_junitparser_reads_back_the_findings(name, fixture_results):
    result = fixture_results[name]
    assert _readback_mismatches(render_junit(result), result) == []


def _drop_first_failure(root):
    case = next(c for c in root.iter("testcase") if c.find("failure") is not None)
    case.remove(case.find("failure"))


def _first(root, tag):
    return next(root.iter(tag))


JUNIT_READBACK_BREAKAGES = {
    "a failure dropped": _drop_first_failure,
    "a message changed": lambda root: _first(root, "failure").set("message", "something else"),
    "a rule changed": lambda root: _first(root, "failure").set("type", "PHI999"),
    "a suite's failures miscounted": lambda root: _first(root, "testsuite").set("failures", "0"),
    "the total miscounted": lambda root: root.set("tests", str(int(root.get("tests")) + 1)),
    "a case moved to another file": lambda root: _first(root, "testcase").set("classname", "elsewhere.html"),
}


@pytest.mark.parametrize("breakage", sorted(JUNIT_READBACK_BREAKAGES))
def test_junitparser_read_back_catches_a_broken_report(breakage, fixture_results):
    result = fixture_results["flask-portal"]
    root = ET.fromstring(render_junit(result))
    JUNIT_READBACK_BREAKAGES[breakage](root)
    assert _readback_mismatches(ET.tostring(root, encoding="unicode"), result)


def _move_first_case_to_the_root(root):
    suite = _first(root, "testsuite")
    case = suite.find("testcase")
    suite.remove(case)
    root.append(case)


def _rename_the_root_testsuite(root):
    root.tag = "testsuite"


def _skip_a_failing_case_too(root):
    ET.SubElement(next(c for c in root.iter("testcase") if c.find("failure") is not None), "skipped")


JUNIT_XSD_BREAKAGES = {
    "root is a testsuite": _rename_the_root_testsuite,
    "suite without name": lambda root: _first(root, "testsuite").attrib.pop("name"),
    "suite without skipped count": lambda root: _first(root, "testsuite").attrib.pop("skipped"),
    "tests not a number": lambda root: _first(root, "testsuite").set("tests", "many"),
    "negative time": lambda root: _first(root, "testcase").set("time", "-1"),
    "case without classname": lambda root: _first(root, "testcase").attrib.pop("classname"),
    "case outside a suite": _move_first_case_to_the_root,
    "failure without message": lambda root: _first(root, "failure").attrib.pop("message"),
    "failure without type": lambda root: _first(root, "failure").attrib.pop("type"),
    "failure and skipped in one case": _skip_a_failing_case_too,
    "failure with child elements": lambda root: ET.SubElement(_first(root, "failure"), "b"),
}


@pytest.mark.parametrize("breakage", sorted(JUNIT_XSD_BREAKAGES))
def test_the_junit_xsd_rejects_a_broken_report(breakage, fixture_results, junit_schema):
    root = ET.fromstring(render_junit(fixture_results["flask-portal"]))
    assert junit_schema.is_valid(ET.tostring(root, encoding="unicode"))
    JUNIT_XSD_BREAKAGES[breakage](root)
    assert not junit_schema.is_valid(ET.tostring(root, encoding="unicode"))


def test_junit_is_never_empty_when_nothing_fails(tmp_path, junit_schema):
    root = write_tree(tmp_path / "site", {"index.html": "<html><body>Hello</body></html>\n"})
    text = render_junit(scan_tree(root, use_cache=False))
    junit_schema.validate(text)
    tree = ET.fromstring(text)
    cases = list(tree.iter("testcase"))
    assert len(cases) == 1 and cases[0].find("failure") is None
    assert tree.get("tests") == "1" and tree.get("failures") == "0"


def test_junit_marks_suppressed_findings_skipped_only_when_asked(tmp_path, junit_schema):
    root = write_tree(tmp_path / "site", PORTAL)
    result = scan_tree(root, use_cache=False)
    assert len(ET.fromstring(render_junit(result)).findall(".//skipped")) == 0
    result.include_suppressed = True
    text = render_junit(result)
    junit_schema.validate(text)
    skipped = ET.fromstring(text).findall(".//skipped")
    assert len(skipped) == len([f for f in result.suppressed if f.level != "note"]) > 0
    assert all("reviewed: BAA ticket SEC-9" in s.get("message") for s in skipped)


def test_junit_survives_hostile_names_and_snippets(tmp_path, junit_schema):
    """Control characters (not allowed in XML 1.0), markup, quotes, bidi overrides and bytes that
    are not UTF-8 in file names and snippets: the report still parses and shows them escaped."""
    import os

    page = "<html><head><title>Patient portal</title></head><body>\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n<!-- \x1b[31m \x0c \ufffe --><script>fbq('init', '1234567890\x01');</script>\n</body></html>\n"
    root = write_tree(tmp_path / "site", {"portal/x.html": page})
    names = ["portal/a\x1b[2Jb.html", "portal/<x>&\"'.html", "portal/\u202eevil.html", "portal/tab\tnl.html"]
    for name in names:
        (root / name).write_text(page, encoding="utf-8")
    raw = os.fsencode(str(root / "portal")) + b"/bad\xff\xfe.html"
    with open(raw, "wb") as handle:
        handle.write(page.encode("utf-8"))
    result = scan_tree(root, use_cache=False)
    assert len({f.sighting.path for f in result.findings}) == 6, [f.sighting.path for f in result.findings]
    text = render_junit(result)
    junit_schema.validate(text)
    tree = ET.fromstring(text)
    suites = {s.get("name") for s in tree.findall("testsuite")}
    assert "portal/a\\x1b[2Jb.html" in suites
    assert "portal/<x>&\"'.html" in suites  # markup characters survive the round trip exactly
    assert "portal/\\u202eevil.html" in suites
    assert "portal/bad\\xff\\xfe.html" in suites
    assert "\x1b" not in text and "\u202e" not in text and "\x01" not in text
