"""GitLab SAST report (`gl-sast-report.json`, `artifacts:reports:sast`), schema 15.0.7.

GitLab shows each vulnerability in the merge request widget, the pipeline's Security tab and the
vulnerability report, and matches a vulnerability across pipelines by its primary identifier
(the rule) and location; the `id` is the finding's content fingerprint written as a UUID, so it
stays the same when lines move, as SARIF's `partialFingerprints` do.

Severity follows what GitHub does with SARIF `security-severity` (9.0 and up Critical, 7.0 High,
4.0 Medium, above 0 Low, else Info), capped by the finding's own level: a warning is at most
Medium, a note (inventory) is Info. So PHI004 is Critical, PHI001/PHI003/PHI005 High, PHI002
Medium, PHI900 Low and PHI100 Info, the same order GitHub's alerts show.

Suppressed findings (inline ignores, ignore file, baseline, --since) are left out, as in SARIF;
with --include-suppressed they are written with GitLab's only flag,
`flagged-as-likely-false-positive`, whose description says which suppression covers them.
Descriptions are GitLab-flavoured Markdown: text from the scanned repository is escaped so a
file name cannot add links or markup.
"""

from __future__ import annotations

import datetime as _dt
import json
import re

from phi_lint import __version__
from phi_lint.fingerprint import fingerprint
from phi_lint.lazyre import lazy_pattern
from phi_lint.reporters.common import json_utf8, page_entries, printable
from phi_lint.rulebook import load_rules

SCHEMA_VERSION = "15.0.7"
SCHEMA_URL = (
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/"
    f"v{SCHEMA_VERSION}/dist/sast-report-format.json"
)
INFORMATION_URI = "https://pypi.org/project/phi-lint/"
TOOL = {"id": "phi-lint", "name": "phi-lint", "url": INFORMATION_URI, "vendor": {"name": "phi-lint"}, "version": __version__}
IDENTIFIER_TYPE = "phi_lint_rule_id"

# limits of the schema: name 255, solution 7,000, description 1 MiB characters
MAX_NAME = 255
MAX_SOLUTION = 7000
MAX_DESCRIPTION = 1024 * 1024
MAX_PAGES_LISTED = 10
MAX_MESSAGES = 1000
_LEVEL_CAP = {"error": "Critical", "warning": "Medium", "note": "Info"}
_ORDER = ["Info", "Low", "Medium", "High", "Critical"]
_MARKDOWN_SPECIAL = lazy_pattern(r"([\\`*_\[\]<>|~])")  # `(` needs none once `[` is escaped


def severity(finding, rule) -> str:
    """GitLab's severity of a finding (see the module docstring)."""
    score = float(rule.security_severity or 0)
    by_score = "Critical" if score >= 9 else "High" if score >= 7 else "Medium" if score >= 4 else "Low" if score > 0 else "Info"
    cap = _LEVEL_CAP.get(finding.level, "Info")
    return min(by_score, cap, key=_ORDER.index)


def vulnerability_id(finding) -> str:
    """The finding's fingerprint (32 hex digits) written as a UUID: stable across runs."""
    digits = fingerprint(finding)
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:32]}"


def _md(text: str) -> str:
    """One line of repository text as inert Markdown."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", printable(" ".join(str(text).split())).replace("&", "&amp;"))
    return "\\" + escaped if escaped.startswith(("#", "-", "+", "=")) else escaped


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _timestamp(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _description(finding, result) -> str:
    lines = [_md(finding.message), ""]
    if finding.pages:
        lines.append(f"**Pages** ({len(finding.pages)}):")
        entries, more = page_entries(result, finding, MAX_PAGES_LISTED)
        for page, steps, why in entries:
            chain = "".join(f" ← {_md(step)}" for step in steps)
            lines.append(f"- {_md(page)}{chain}" + (f": {_md(why)}" if why else ""))
        if more:
            lines.append(f"- … and {more} more (see `phi-lint -v` or JSON output)")
        lines.append("")
    if finding.evidence:
        lines.append("**Evidence:**")
        lines.extend(f"- {_md(e.describe())}" for e in finding.evidence)
        lines.append("")
    if finding.suppression is not None:
        where = f" ({_md(finding.suppression.where)})" if finding.suppression.where else ""
        lines.append(f"**Suppressed** ({finding.suppression.kind}{where}): {_md(finding.suppression.justification)}")
    return _cut("\n".join(lines).strip(), MAX_DESCRIPTION)


def _details(finding) -> dict:
    s = finding.sighting
    details: dict[str, dict] = {  # GitLab's named fields: text ones and a list one
        "vendor": {"name": "Vendor", "type": "text", "value": f"{printable(finding.vendor_name)} ({printable(s.vendor_id)})"},
        "category": {"name": "Category", "type": "text", "value": printable(finding.category)},
        "fingerprint": {"name": "phi-lint fingerprint", "type": "text", "value": fingerprint(finding)},
    }
    if s.account_id:
        details["account_id"] = {"name": "Account or container id", "type": "text", "value": printable(s.account_id)}
    if finding.pages:
        details["pages"] = {
            "name": "Sensitive pages",
            "type": "list",
            "items": [{"type": "text", "value": printable(reach.page)} for reach in finding.pages[:MAX_PAGES_LISTED]],
        }
    return details


def _vulnerability(finding, result, rules) -> dict:
    s = finding.sighting
    rule = rules[finding.rule_id]
    vulnerability = {
        "id": vulnerability_id(finding),
        "category": "sast",  # read by GitLab versions before the 15.x schemas; harmless after
        "name": _cut(f"{rule.id} {rule.name}: {rule.short}", MAX_NAME),
        "description": _description(finding, result),
        "severity": severity(finding, rule),
        "solution": _cut(finding.help_hint or rule.fix, MAX_SOLUTION),
        "identifiers": [
            {"type": IDENTIFIER_TYPE, "name": f"phi-lint {rule.id} {rule.name}", "value": rule.id, "url": INFORMATION_URI},
        ],
        "location": {"file": s.path, "start_line": s.span.line, "end_line": max(s.span.end_line, s.span.line)},
        "raw_source_code_extract": s.snippet,
        "details": _details(finding),
    }
    vendor = result.catalogue.get(s.vendor_id) if hasattr(result.catalogue, "get") else None
    docs = getattr(vendor, "docs", None)
    if isinstance(docs, str) and re.match(r"^https?://.+", docs):
        vulnerability["links"] = [{"name": f"{printable(finding.vendor_name)} documentation", "url": docs}]
    if finding.suppression is not None:
        vulnerability["flags"] = [{
            "type": "flagged-as-likely-false-positive",
            "origin": "phi-lint",
            "description": _cut(
                f"Suppressed ({finding.suppression.kind}): {printable(finding.suppression.justification) or 'no reason given'}",
                MAX_SOLUTION,
            ),
        }]
    return vulnerability


def _messages(result) -> list[dict]:
    notes = [n for n in result.notifications if n.level == "warning"]
    messages = [{"level": "warn", "value": printable(f"{n.path}: {n.message}")} for n in notes[:MAX_MESSAGES]]
    if len(notes) > MAX_MESSAGES:
        messages.append({"level": "info", "value": f"{len(notes) - MAX_MESSAGES} more notices; run phi-lint -f json for all"})
    return messages


def build_report(result, now: _dt.datetime | None = None) -> dict:
    rules = load_rules()
    end = now or _dt.datetime.now(_dt.timezone.utc)
    start = getattr(result, "started_at", None) or end
    findings = list(result.findings)
    if getattr(result, "include_suppressed", False):
        findings = sorted(findings + result.suppressed, key=lambda f: f.sort_key)
    scan = {
        "analyzer": dict(TOOL),
        "scanner": dict(TOOL),
        "type": "sast",
        "start_time": _timestamp(start),
        "end_time": _timestamp(end),
        "status": "success",
        "primary_identifiers": [
            {"type": IDENTIFIER_TYPE, "name": f"phi-lint {rules[r].id} {rules[r].name}", "value": r, "url": INFORMATION_URI}
            for r in sorted(result.rules)
        ],
    }
    messages = _messages(result)
    if messages:
        scan["messages"] = messages
    return {
        "version": SCHEMA_VERSION,
        "schema": SCHEMA_URL,
        "scan": scan,
        "vulnerabilities": [_vulnerability(f, result, rules) for f in findings],
    }


def render_gitlab(result) -> str:
    return json_utf8(json.dumps(build_report(result), indent=2, ensure_ascii=False)) + "\n"
