"""JUnit XML for CI test tabs: Azure DevOps (PublishTestResults, `testResultsFormat: JUnit`),
Jenkins (`junit` step), GitLab (`artifacts:reports:junit`).

One `<testsuite>` per file that holds failing findings, as eslint's and ruff's JUnit output do: a
finding is fixed in its file, and the test tabs group and count by suite. Each failing finding
(warning or error) is a `<testcase>` named `RULE Vendor at line:col`, with `classname` the file's
path, holding a `<failure>` whose message is the finding's message and whose text gives the
location, the code, the pages reached with their evidence, and the fix. Jenkins reads
`classname` as package.class, so it shows `templates/base.html` as class `html` of package
`templates/base`; Azure DevOps shows the suite, test name and failure text as written.

A run without failing findings is one suite `phi-lint` with one passing test case, so the report
is never empty (an empty report makes PublishTestResults warn, or fail with
`failTaskOnMissingResultsFile`). Inventory notes (PHI100) are not test cases. With
--include-suppressed, suppressed findings are `<skipped>` test cases naming the suppression.

The XML is written by ElementTree, which escapes markup; characters XML 1.0 cannot hold at all
(C0 controls, lone surrogates from file names that are not UTF-8, U+FFFE/U+FFFF) and bidi
controls are shown as visible escapes first, so the report always parses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from phi_lint.fingerprint import fingerprint
from phi_lint.generic.unread import caveat_of
from phi_lint.lazyre import lazy_pattern
from phi_lint.reporters.common import failing, page_entries, printable

MAX_PAGES_LISTED = 10
# what printable() leaves that XML 1.0 forbids: the non-characters U+FFFE and U+FFFF
_NOT_XML = lazy_pattern("[\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """One line of text every XML 1.0 parser accepts (newlines and tabs shown as \\n and \\t)."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(str(text)))


def xml_block(text: str) -> str:
    """Several lines of text that XML 1.0 accepts, line breaks kept."""
    return "\n".join(xml_safe(line) for line in str(text).split("\n"))


def _case_name(finding) -> str:
    s = finding.sighting
    return xml_safe(f"{finding.rule_id} {finding.vendor_name} at {s.span.line}:{s.span.column}")


def _failure_text(finding, result) -> str:
    s = finding.sighting
    lines = [
        f"{s.path}:{s.span.line}:{s.span.column}: {finding.rule_id} [{finding.vendor_name}] {finding.message}",
        "",
        f"  {' '.join(s.snippet.split())}",
        "",
    ]
    if finding.pages:
        lines.append(f"Pages ({len(finding.pages)}):")
        entries, more = page_entries(result, finding, MAX_PAGES_LISTED)
        for page, steps, why in entries:
            chain = "".join(f" ← {step}" for step in steps)
            lines.append(f"  {page}{chain}" + (f": {why}" if why else ""))
        if more:
            lines.append(f"  … and {more} more (phi-lint -v, or -f json)")
    if finding.evidence:
        lines.append("Evidence:")
        lines.extend(f"  {e.describe()}" for e in finding.evidence)
    if finding.help_hint:
        lines.append(f"Fix: {finding.help_hint}")
    lines.append(f"Fingerprint: {fingerprint(finding)}")
    return xml_block("\n".join(lines))


def _testcase(finding, result) -> ET.Element:
    case = ET.Element("testcase", {"name": _case_name(finding), "classname": xml_safe(finding.sighting.path), "time": "0"})
    if finding.suppression is not None:
        reason = finding.suppression.justification or "no reason given"
        ET.SubElement(case, "skipped", {"message": xml_safe(f"suppressed ({finding.suppression.kind}): {reason}")})
    else:
        failure = ET.SubElement(case, "failure", {"type": finding.rule_id, "message": xml_safe(finding.message)})
        failure.text = _failure_text(finding, result)
    return case


def _suite(name: str, cases: list[ET.Element]) -> ET.Element:
    failures = sum(1 for c in cases if c.find("failure") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    suite = ET.Element("testsuite", {
        "name": xml_safe(name), "tests": str(len(cases)), "failures": str(failures),
        "errors": "0", "skipped": str(skipped), "time": "0",
    })
    suite.extend(cases)
    return suite


def build_tree(result) -> ET.Element:
    reported = failing(result.findings)
    if getattr(result, "include_suppressed", False):
        reported = sorted(reported + failing(result.suppressed), key=lambda f: f.sort_key)
    by_file: dict[str, list] = defaultdict(list)
    for finding in reported:
        by_file[finding.sighting.path].append(finding)
    suites = [_suite(path, [_testcase(f, result) for f in by_file[path]]) for path in sorted(by_file)]
    if not any(s.get("failures") != "0" for s in suites):
        unread = caveat_of(result)
        name = ("no trackers on authenticated or health pages" if unread is None
                else f"no trackers found on the pages phi-lint could place; {unread.caveat()}")
        passed = ET.Element("testcase", {
            "name": name,
            "classname": "phi-lint", "time": "0",
        })
        suites.insert(0, _suite("phi-lint", [passed]))
    root = ET.Element("testsuites", {
        "name": "phi-lint",
        "tests": str(sum(int(s.attrib["tests"]) for s in suites)),
        "failures": str(sum(int(s.attrib["failures"]) for s in suites)),
        "errors": "0",
        "time": "0",
    })
    root.extend(suites)
    return root


def render_junit(result) -> str:
    tree = build_tree(result)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"
