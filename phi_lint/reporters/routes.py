"""`-f routes`: the sensitive pages a live check should load, and what it should expect there.

A static scan says which trackers reach which pages; only a browser on the running site can
confirm what is sent. For each sensitive page (authenticated or health) that a finding reaches
and that phi-lint knows a URL for (phi_lint/reporters/page_urls.py), the document lists the URL
pattern, an example URL with its parameters filled, the page's labels and evidence, and the
vendors expected there with the request hosts each is known by. Suppressed findings count: a
suppressed tracker still loads. docs/check_live_site.py reads this document. The shape is
documented in the README ("Output formats") and checked by tests/test_routes_report.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from phi_lint import __version__
from phi_lint.reporters.common import json_utf8, tracker_findings
from phi_lint.reporters.page_urls import PageUrl, example_url, page_url
from phi_lint.thirdparty import HOST_KEY, is_host_sighting
from phi_lint.thirdparty.cdns import library_cdns
from phi_lint.thirdparty.vendorhosts import VendorHosts

SCHEMA_VERSION = 1


@dataclass
class _Expected:
    """One vendor expected on a page: the rules its findings there carry, its hosts."""

    name: str
    rules: set[str] = field(default_factory=set)
    hosts: set[str] = field(default_factory=set)
    suppressed: bool = True  # every finding of it on this page is suppressed


def _sensitive_pages(result, findings) -> dict[str, dict[str, _Expected]]:
    """page -> vendor id -> what is expected there, for the sensitive pages findings reach."""
    hosts = VendorHosts(result.catalogue, library_cdns())
    seen_hosts = _hosts_by_file(result.sightings)
    pages: dict[str, dict[str, _Expected]] = {}
    for finding in findings:
        sighting = finding.sighting
        for reach in finding.pages:
            context = result.contexts.get(reach.page)
            if context is None or not context.sensitive:
                continue
            expected = pages.setdefault(reach.page, {}).setdefault(sighting.vendor_id, _Expected(finding.vendor_name))
            expected.rules.add(finding.rule_id)
            expected.suppressed = expected.suppressed and finding.suppression is not None
            if is_host_sighting(sighting):
                expected.hosts.add(sighting.details[HOST_KEY])
            else:
                expected.hosts.update(hosts.hosts_of(sighting.vendor_id))
                expected.hosts.update(seen_hosts.get((sighting.path, sighting.vendor_id), ()))
    return pages


def _hosts_by_file(sightings) -> dict[tuple[str, str], set[str]]:
    """(file, vendor id) -> the hosts that file loads and the catalogue classified as the vendor."""
    found: dict[tuple[str, str], set[str]] = {}
    for sighting in sightings:
        classified = (sighting.details or {}).get("classified") if is_host_sighting(sighting) else None
        if classified and classified != "library-cdn":
            found.setdefault((sighting.path, classified), set()).add(sighting.details[HOST_KEY])
    return found


def _evidence(context) -> list[dict]:
    return [
        {"label": label, "text": e.text, "path": e.path, "line": e.line}
        for label in sorted(context.labels) for e in context.labels[label]
    ]


def _vendors(expected: dict[str, _Expected]) -> list[dict]:
    return [
        {"vendor": vendor_id, "name": item.name, "rules": sorted(item.rules), "hosts": sorted(item.hosts),
         "suppressed": item.suppressed}
        for vendor_id, item in sorted(expected.items())
    ]


def _route(page: str, url: PageUrl, context, expected: dict[str, _Expected]) -> dict:
    vendors = _vendors(expected)
    return {
        "pattern": url.pattern,
        "exampleUrl": example_url(url.pattern),
        "page": page,
        "source": url.source,
        "sourceEvidence": {"text": url.because, "path": url.path, "line": url.line},
        "labels": sorted(label for label in context.labels if context.has(label)),
        "evidence": _evidence(context),
        "vendors": vendors,
        "hosts": sorted({host for vendor in vendors for host in vendor["hosts"]}),
    }


def route_entries(result) -> tuple[list[dict], list[dict]]:
    """(routes, sensitive pages with no known URL), each sorted."""
    findings = tracker_findings(list(result.findings) + list(getattr(result, "suppressed", None) or []))
    routes, unrouted = [], []
    for page, expected in sorted(_sensitive_pages(result, findings).items()):
        context = result.contexts[page]
        evidence = [e for label in sorted(context.labels) for e in context.labels[label]]
        url = page_url(page, evidence, (getattr(result, "route_urls", None) or {}).get(page))
        if url is None:
            unrouted.append({"page": page, "labels": sorted(context.labels), "vendors": _vendors(expected)})
        else:
            routes.append(_route(page, url, context, expected))
    routes.sort(key=lambda r: (r["pattern"], r["page"]))
    return routes, unrouted


def render_routes(result) -> str:
    routes, unrouted = route_entries(result)
    document = {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "phi-lint", "version": __version__},
        "root": str(result.root),
        "routes": routes,
        "pagesWithoutRoute": unrouted,
    }
    return json_utf8(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
