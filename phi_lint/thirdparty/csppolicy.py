"""A CSP sighting × the pages its policy applies to → one inventory finding (PHI100).

Never PHI001/2/3: the policy allows the vendor, the code does not show it loaded. The message
names the policy, the host and the directive, and the sensitive pages the policy covers (a
project-wide policy with no sensitive page is reported once, at its file).
"""

from __future__ import annotations

from phi_lint.models import Finding, Headline, PageContext, PageReach, Sighting
from phi_lint.thirdparty.csp import LOADS


def decide_csp(sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext], catalogue) -> list[Finding]:
    from phi_lint.findings import evidence_of, make_finding, vendor_label, where_both

    csp = (sighting.details or {}).get("csp") or {}
    vendor_name, category = vendor_label(catalogue, sighting.vendor_id)
    allows = csp.get("allows") or []
    allowed = ", ".join(f"{item['source']} in {item['directive']}" for item in allows)
    loads = any(item["directive"] in LOADS for item in allows)
    what = "may be loaded at run time" if loads else "may be sent data at run time"
    auth = [r for r in reaches if contexts[r.page].authenticated]
    health = [r for r in reaches if contexts[r.page].health and not contexts[r.page].authenticated]
    sensitive = auth + health
    if sensitive:
        where = where_both(sighting, auth, health, contexts).replace("and reaches", "and applies to", 1)
    else:
        where = "on no page known to be authenticated or health-related"
    message = (
        f"The Content-Security-Policy ({csp.get('shape', 'policy')}) in {sighting.path} allows {allowed} "
        f"({vendor_name}, {category}) {where}: {vendor_name} {what}; inventory only, the policy is not a "
        "sighting of the tracker."
    )
    headline = Headline("allowed by a Content-Security-Policy", detail=csp.get("shape", ""), after="; inventory only")
    return [make_finding("PHI100", sighting, vendor_name, category, message, sensitive,
                         evidence_of(sensitive, contexts), headline=headline)]
