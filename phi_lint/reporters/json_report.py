"""JSON output: a stable, documented shape (see README, "JSON output")."""

from __future__ import annotations

import json
from collections import Counter

from phi_lint import __version__
from phi_lint.fingerprint import fingerprint
from phi_lint.generic.unread import caveat_of
from phi_lint.headline import headline_message, ranked_pages
from phi_lint.profiles import DEFAULT_PROFILE
from phi_lint.reporters.common import json_utf8, tracker_findings
from phi_lint.rulebook import load_rules

SCHEMA_VERSION = 1


def finding_dict(finding, result) -> dict:
    s = finding.sighting
    rules = load_rules()
    return {
        "rule": finding.rule_id,
        "name": rules[finding.rule_id].name,
        "level": finding.level,
        "vendor": s.vendor_id,
        "vendorName": finding.vendor_name,
        "category": finding.category,
        "path": s.path,
        "line": s.span.line,
        "column": s.span.column,
        "endLine": s.span.end_line,
        "endColumn": s.span.end_column,
        "kind": s.kind,
        "snippet": s.snippet,
        "accountId": s.account_id,
        "capabilities": list(s.capabilities),
        "message": finding.message,
        # the one-line message the text output shows after `RULE [Vendor]` (from the repository
        # root), the page it names, and the sentences of `message` beyond pages and evidence
        "headline": headline_message(finding, result.contexts),
        "headlinePage": _headline_page(finding, result),
        "notes": list(finding.notes),
        "pages": [
            {
                "page": reach.page,
                "chain": list(reach.chain),
                "labels": sorted(result.contexts[reach.page].labels) if reach.page in result.contexts else [],
                "evidence": [
                    {"text": e.text, "path": e.path, "line": e.line}
                    for label_evidence in result.contexts.get(reach.page).labels.values()
                    for e in label_evidence
                ] if reach.page in result.contexts else [],
            }
            for reach in finding.pages
        ],
        "details": s.details,
        "host": (s.details or {}).get("thirdPartyHost"),  # PHI006 and third-party inventory: the host loaded
        "fix": finding.help_hint,
        "loweredFrom": list(finding.lowered_from),  # the rules a baa-vendors entry turned into PHI100
        "fingerprint": fingerprint(finding),
        "suppressed": (
            {"kind": finding.suppression.kind, "justification": finding.suppression.justification,
             "where": finding.suppression.where}
            if finding.suppression else None
        ),
    }


def _headline_page(finding, result) -> str | None:
    ranked = ranked_pages(finding, result.contexts) if finding.headline is None or finding.headline.pages else []
    return ranked[0].reach.page if ranked else None


def _lowered(findings) -> dict:
    """{vendor id: {rule: count}} of the problems baa-vendors turned into inventory."""
    out: dict[str, Counter] = {}
    for finding in findings:
        out.setdefault(finding.sighting.vendor_id, Counter()).update(finding.lowered_from)
    return {vendor: dict(sorted(counts.items())) for vendor, counts in sorted(out.items())}


def _output_findings(result) -> list:
    if getattr(result, "include_suppressed", False):
        return sorted(result.findings + result.suppressed, key=lambda f: f.sort_key)
    return result.findings


def _unread(result) -> dict:
    unread = caveat_of(result)
    return unread.as_json() if unread is not None else {"plainText": [], "unmodelledFrameworks": []}


def render_json(result) -> str:
    document = {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "phi-lint", "version": __version__},
        "root": str(result.root),
        "config": result.config.source,
        "profile": getattr(result.config, "profile", DEFAULT_PROFILE),  # rules/profiles/<id>.toml
        "findings": [finding_dict(f, result) for f in _output_findings(result)],
        "notifications": [
            {"path": n.path, "level": n.level, "message": n.message} for n in result.notifications
        ],
        "summary": {
            "filesScanned": result.files_scanned,
            "filesSkipped": result.files_skipped,
            "filesExcluded": result.files_excluded,
            "suppressed": len(result.suppressed),
            "suppressedByKind": dict(sorted(Counter(f.suppression.kind for f in result.suppressed).items())),
            "byRule": dict(sorted(Counter(f.rule_id for f in result.findings).items())),
            # trackers only: PHI900 reports on a suppression comment, phi-lint is not a vendor
            "byVendor": dict(sorted(Counter(f.sighting.vendor_id for f in tracker_findings(result.findings)).items())),
            "loweredByBaaVendors": _lowered(getattr(result, "baa_lowered", [])),
        },
        # host -> {classified: vendor id | "library-cdn" | null, pages, files}, sorted by host
        "thirdPartyHosts": getattr(result, "third_party_hosts", {}) or {},
        # what could not be placed on pages: files read only as plain text (by ending) and web
        # frameworks detected but not modelled (phi_lint.generic.unread)
        "unread": _unread(result),
    }
    return json_utf8(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
