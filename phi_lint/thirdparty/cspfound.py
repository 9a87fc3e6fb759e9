"""One sighting (kind "csp") per committed Content-Security-Policy and catalogue vendor it allows.

Its vendor_id is the vendor's, so the finding names the vendor and is fingerprinted, suppressed
and baselined like any other; its kind keeps it out of the page rules (phi_lint.policy routes it
to phi_lint.thirdparty.csppolicy): a policy is evidence that the vendor may be loaded, never a
sighting of the tracker itself. A policy that applies project-wide says so in `details["csp"]`,
and the scan gives it every page (phi_lint.scan).
"""

from __future__ import annotations

from phi_lint.models import Sighting, Span
from phi_lint.textio import LineIndex
from phi_lint.thirdparty.csp import allowed_vendors, host_sources
from phi_lint.thirdparty.cspfiles import PROJECT, file_policies

CSP_KIND = "csp"


def is_project_wide(sighting: Sighting) -> bool:
    return sighting.kind == CSP_KIND and ((sighting.details or {}).get("csp") or {}).get("scope") == PROJECT


def csp_sightings(rel: str, kind: str, text: str, classifier) -> list[Sighting]:
    found = []
    lines = None
    for policy in file_policies(rel, kind, text):
        vendors = allowed_vendors(host_sources(policy.policy), classifier)
        if not vendors:
            continue  # hosts no catalogue knows in a policy are not loads: counted nowhere
        lines = lines or LineIndex(text)
        line, column = lines.position(policy.start)
        end_line, end_column = lines.position(max(policy.end, policy.start + 1))
        snippet = text[policy.start : policy.end].split("\n", 1)[0].strip()[:120]
        for vendor_id, sources in vendors.items():
            allows = [{"source": item.source, "directive": item.directive} for item in sources]
            found.append(
                Sighting(
                    vendor_id=vendor_id,
                    path=rel,
                    span=Span(line, column, end_line, end_column),
                    kind=CSP_KIND,
                    snippet=snippet,
                    signature=f"Content-Security-Policy ({policy.shape})",
                    lines=(line,),
                    details={"csp": {"shape": policy.shape, "scope": policy.scope, "allows": allows}},
                )
            )
    return found
