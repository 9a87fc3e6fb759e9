"""A third-party host sighting × the pages it reaches → PHI006, inventory (PHI100) or nothing.

- unclassified host on an authenticated or health page: PHI006 (warning), with those pages;
- unclassified host elsewhere: inventory;
- a public library CDN: inventory wherever it is, saying what the CDN still receives;
- a catalogue vendor's host whose URL matches none of its signatures: inventory naming the
  vendor (phi_lint.thirdparty.classify says why it is not a sighting of the vendor);
- a URL a vendor signature matches: nothing here, the vendor's own sighting is the finding.
"""

from __future__ import annotations

from phi_lint import frameworks_data
from phi_lint.models import Finding, Headline, PageContext, PageReach, Sighting
from phi_lint.thirdparty.cdns import LIBRARY_CDN
from phi_lint.thirdparty.classify import HOST, SIGNATURE

UNIDENTIFIED = "unidentified"  # the category of a host no catalogue knows
CDN_NOTE = (
    "A library CDN still receives each visitor's IP address and, without a Referrer-Policy, the "
    "address of the page; self-host the file to keep both."
)


# Route handlers answer requests on the server and render nothing in a browser (Next.js
# `app/**/route.ts`, `pages/api/**`, SvelteKit `+server.ts`; the path shapes are
# `server-handler-patterns` in rules/frameworks/web.toml): a request they make leaves from the
# server, not from the visitor's page, so it is no third-party load on a page (server-side
# senders are another rule's matter). Seen on dubinc/dub: Slack and Twitter API calls in OAuth
# handlers were PHI006 on "pages" that were route handlers.
_server_handler = frameworks_data.derived(lambda: frameworks_data.pattern("web", "server-handler-patterns"))


def _in_browser(reach: PageReach) -> bool:
    return not _server_handler().search(reach.page)


def decide_host(sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext], catalogue) -> list[Finding]:
    from phi_lint.findings import evidence_of, make_finding, where_both

    reaches = [r for r in reaches if _in_browser(r)]

    details = sighting.details or {}
    host = sighting.vendor_id
    load = details.get("load", sighting.kind)
    classified, match = details.get("classified"), details.get("match")
    if match == SIGNATURE:
        return []
    auth = [r for r in reaches if contexts[r.page].authenticated]
    health = [r for r in reaches if contexts[r.page].health and not contexts[r.page].authenticated]
    sensitive = auth + health
    where = where_both(sighting, auth, health, contexts) if sensitive else "on a page not known to be authenticated or health-related"
    if classified == LIBRARY_CDN:
        name = details.get("libraryCdn") or "a library CDN"
        message = f"{host} ({name}, a public library CDN) is loaded by {load} {where}; inventory only. {CDN_NOTE}"
        headline = Headline("library CDN", detail=load, after="; inventory only", pages=False)
        return [make_finding("PHI100", sighting, host, LIBRARY_CDN, message, sensitive, evidence_of(sensitive, contexts),
                             headline=headline, notes=(CDN_NOTE,))]
    if match == HOST and isinstance(classified, str):  # a host match names the vendor's id
        vendor = catalogue.get(classified)
        vendor_name, category = (vendor.name, vendor.category) if vendor is not None else (classified, "unknown")
        message = (
            f"{host} is a host of {vendor_name} ({category}); this {load} {where} matches none of the catalogue's "
            f"{vendor_name} signatures, so what it loads is not known; inventory only."
        )
        headline = Headline(f"a {vendor_name} host matching no signature", detail=load,
                            after="; inventory only", pages=False)
        return [make_finding("PHI100", sighting, vendor_name, category, message, sensitive, evidence_of(sensitive, contexts),
                             headline=headline)]
    if sensitive:
        message = (
            f"Unidentified third party {host} is loaded by {load} {where}. No catalogue knows this host: it "
            "receives the visitor's IP address, cookies and the page address, and may run code or collect data "
            "on the page."
        )
        headline = Headline("unidentified third party", detail=load)
        return [make_finding("PHI006", sighting, host, UNIDENTIFIED, message, sensitive, evidence_of(sensitive, contexts),
                             headline=headline)]
    message = f"Unidentified third party {host} is loaded by {load} {where}; inventory only."
    headline = Headline("unidentified third party", detail=load, after=" on pages not known to be sensitive; inventory only", pages=False)
    return [make_finding("PHI100", sighting, host, UNIDENTIFIED, message, [], [], headline=headline)]
